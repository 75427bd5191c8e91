package dev.researchmon.kernel.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.researchmon.kernel.wire.Channel;
import dev.researchmon.kernel.wire.Message;
import dev.researchmon.kernel.wire.MessageCodec;
import dev.researchmon.kernel.wire.MessageSink;
import dev.researchmon.magics.api.Display;

import java.util.Map;

/**
 * Publishes on iopub about the request being served: status, streams, displays, results, errors.
 * The parent is swapped whole when a new request starts, so output from any thread is attributed
 * to the cell that is running (or that ran last).
 *
 * <pre>{@code
 * iopub.serving(request);
 * iopub.stream("stdout", "hello\n");
 * }</pre>
 */
final class Iopub {
    private final MessageCodec codec;
    private final MessageSink sink;
    private volatile Message parent;

    Iopub(MessageCodec codec, MessageSink sink) {
        this.codec = codec;
        this.sink = sink;
    }

    void serving(Message request) {
        parent = request;
    }

    Message parent() {
        return parent;
    }

    ObjectNode object() {
        return codec.json().createObjectNode();
    }

    void publish(Message about, String type, ObjectNode content) {
        sink.send(Channel.IOPUB, codec.broadcast(about, type, content));
    }

    void status(Message about, String state) {
        ObjectNode c = object();
        c.put("execution_state", state);
        publish(about, "status", c);
    }

    void stream(String name, String text) {
        ObjectNode c = object();
        c.put("name", name);
        c.put("text", text);
        publish(parent, "stream", c);
    }

    void display(Display display) {
        ObjectNode c = object();
        putBundle(c, display);
        c.putObject("transient");
        publish(parent, "display_data", c);
    }

    void clearOutput(boolean wait) {
        ObjectNode c = object();
        c.put("wait", wait);
        publish(parent, "clear_output", c);
    }

    static void putBundle(ObjectNode content, Display display) {
        ObjectNode data = content.putObject("data");
        for (Map.Entry<String, String> e : display.data().entrySet()) {
            data.put(e.getKey(), e.getValue());
        }
        content.putObject("metadata");
    }
}
