package dev.researchmon.kernel.language;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * {@code System.in} for cells: when a cell reads and nothing is buffered, the notebook is asked for
 * a line ({@code input_request} on the stdin channel) and the read waits for the {@code input_reply}.
 * Where the front end allows no input (nbconvert, {@code allow_stdin: false}) reads see end-of-file
 * at once instead of hanging.
 *
 * <pre>{@code
 * System.setIn(stdin);
 * // in a cell: new Scanner(System.in).nextLine()   -> the text the user typed
 * }</pre>
 */
final class StdinBridge extends InputStream {
    private final Runnable flushOutput;
    private final Consumer<String> askForLine;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private volatile boolean allowed;
    private byte[] buffer = new byte[0];
    private int position;

    /**
     * @param flushOutput sends what the cell printed so far (its prompt) before asking
     * @param askForLine  sends the input_request about the running cell
     */
    StdinBridge(Runnable flushOutput, Consumer<String> askForLine) {
        this.flushOutput = flushOutput;
        this.askForLine = askForLine;
    }

    /** Set for each cell from its request's {@code allow_stdin}; drops lines left from the last. */
    synchronized void newCell(boolean allowStdin) {
        allowed = allowStdin;
        buffer = new byte[0];
        position = 0;
        replies.clear();
    }

    /** Called with the value of an input_reply. */
    void deliver(String line) {
        replies.add(line);
    }

    @Override
    public synchronized int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, buffer.length - position);
        System.arraycopy(buffer, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public synchronized int available() {
        return buffer.length - position;
    }

    private boolean fill() throws IOException {
        if (position < buffer.length) {
            return true;
        }
        if (!allowed) {
            return false;
        }
        flushOutput.run();
        askForLine.accept("");
        try {
            buffer = (replies.take() + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for input");
        }
        position = 0;
        return true;
    }
}
