package dev.researchmon.kernel.language;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * What cells print, sent as {@code stream} messages while the cell runs: bytes gather for a few
 * milliseconds and go out together, so a loop of {@code println} costs a handful of messages, not
 * one each; {@link #drain()} sends the rest before the cell's reply.
 *
 * <pre>{@code
 * StreamPublisher out = new StreamPublisher("stdout", (name, text) -> iopub(name, text));
 * System.setOut(new PrintStream(out.stream(), true, StandardCharsets.UTF_8));
 * }</pre>
 */
final class StreamPublisher {
    private static final long BATCH_MILLIS = 20;
    private static final int BATCH_BYTES = 64 * 1024;
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "stream-flusher");
        t.setDaemon(true);
        return t;
    });

    private final String name;
    private final BiConsumer<String, String> sink;
    private byte[] buffer = new byte[256];
    private int size;
    private boolean scheduled;

    StreamPublisher(String name, BiConsumer<String, String> sink) {
        this.name = name;
        this.sink = sink;
    }

    OutputStream stream() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                append(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                append(b, off, len);
            }
        };
    }

    private void append(byte[] b, int off, int len) {
        boolean full;
        synchronized (this) {
            if (size + len > buffer.length) {
                byte[] bigger = new byte[Math.max(buffer.length * 2, size + len)];
                System.arraycopy(buffer, 0, bigger, 0, size);
                buffer = bigger;
            }
            System.arraycopy(b, off, buffer, size, len);
            size += len;
            full = size >= BATCH_BYTES;
            if (!full && !scheduled) {
                scheduled = true;
                TIMER.schedule(this::drain, BATCH_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
        if (full) {
            drain();
        }
    }

    /** Sends what has gathered, up to the last complete UTF-8 character. */
    void drain() {
        String text;
        synchronized (this) {
            scheduled = false;
            int complete = completeUtf8Length(buffer, size);
            if (complete == 0) {
                return;
            }
            text = new String(buffer, 0, complete, StandardCharsets.UTF_8);
            System.arraycopy(buffer, complete, buffer, 0, size - complete);
            size -= complete;
            // the sink is called under the lock so that two drains cannot swap their texts
            sink.accept(name, text);
        }
    }

    /** How many leading bytes end on a character boundary (a split multi-byte char waits). */
    static int completeUtf8Length(byte[] bytes, int length) {
        for (int back = 1; back <= Math.min(3, length); back++) {
            int b = bytes[length - back] & 0xff;
            if ((b & 0xc0) == 0x80) {
                continue; // continuation byte: keep looking for the lead
            }
            int needed = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
            return needed > back ? length - back : length;
        }
        return length;
    }
}
