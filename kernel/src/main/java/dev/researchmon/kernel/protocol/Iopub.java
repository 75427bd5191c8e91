package dev.researchmon.kernel.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.researchmon.kernel.protocol.message.ClearOutput;
import dev.researchmon.kernel.protocol.message.ErrorContent;
import dev.researchmon.kernel.protocol.message.ExecuteInput;
import dev.researchmon.kernel.protocol.message.ExecuteResult;
import dev.researchmon.kernel.protocol.message.InputRequest;
import dev.researchmon.kernel.protocol.message.Messages;
import dev.researchmon.kernel.protocol.message.Status;
import dev.researchmon.kernel.protocol.message.Stream;
import dev.researchmon.kernel.wire.Channel;
import dev.researchmon.kernel.wire.Message;
import dev.researchmon.kernel.wire.MessageCodec;
import dev.researchmon.kernel.wire.MessageSink;
import dev.researchmon.magics.api.Display;
import java.util.Map;

/**
 * What the language kernel tells the front ends about the request being served: streams, displays,
 * results and errors on iopub, and input requests on stdin. The parent is swapped whole when a new
 * request starts, so output from any thread is attributed to the cell that is running (or that ran
 * last).
 *
 * <pre>{@code
 * iopub.stream("stdout", "hello\n");
 * iopub.executeResult(3, display);
 * }</pre>
 */
public final class Iopub {
    private final MessageCodec codec;
    private final MessageSink sink;
    private volatile Message parent;

    public Iopub(MessageCodec codec, MessageSink sink) {
        this.codec = codec;
        this.sink = sink;
    }

    void serving(Message request) {
        parent = request;
    }

    void status(Message about, String state) {
        publish(about, "status", new Status(state));
    }

    void publish(Message about, String type, Object content) {
        publishContent(about, type, Messages.content(content));
    }

    private void publishContent(Message about, String type, ObjectNode content) {
        sink.send(Channel.IOPUB, codec.broadcast(about, type, content));
    }

    /**
     * Holds what the request sends from now on (the cell's result, its footer, the reply) until the
     * idle status that ends it, so that they go out together ({@link MessageSink#hold()}): for
     * the tail of a request, once the cell has run, never while it runs.
     */
    public void holdUntilIdle() {
        sink.hold();
    }

    public void executeInput(String code, int executionCount) {
        publish(parent, "execute_input", new ExecuteInput(code, executionCount));
    }

    public void executeResult(int executionCount, Display value) {
        publish(parent, "execute_result", new ExecuteResult(executionCount, value.data(), Map.of()));
    }

    public void error(ErrorContent error) {
        publish(parent, "error", error);
    }

    public void stream(String name, String text) {
        publish(parent, "stream", new Stream(name, text));
    }

    public void display(Display display) {
        publishContent(parent, "display_data", Messages.displayData(display.data()));
    }

    public void clearOutput(boolean wait) {
        publish(parent, "clear_output", new ClearOutput(wait));
    }

    /** Asks the front end that sent the running cell for a line; false when no cell is known. */
    public boolean askForInput(String prompt) {
        Message cell = parent;
        if (cell == null) {
            return false;
        }
        sink.send(Channel.STDIN, codec.reply(cell, "input_request", Messages.content(new InputRequest(prompt, false))));
        return true;
    }
}
