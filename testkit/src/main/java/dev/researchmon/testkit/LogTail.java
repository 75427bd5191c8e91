package dev.researchmon.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The last lines of a log, for failure messages: enough to see why a server stopped, never the
 * whole file.
 *
 * <pre>{@code
 * fail("sidecar did not start:\n" + LogTail.of(logFile, 30));
 * }</pre>
 */
public final class LogTail {
    private LogTail() {}

    /** The last {@code lines} lines of {@code text}. */
    public static String of(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /**
     * The last {@code lines} lines of the file at {@code log}; a short note when it cannot be read
     * (a test's failure message must not fail itself). Decoded leniently: a writer may be in the
     * middle of a character.
     */
    public static String of(Path log, int lines) {
        try {
            return of(new String(Files.readAllBytes(log), StandardCharsets.UTF_8), lines);
        } catch (IOException e) {
            return "(no log at " + log + ": " + e.getMessage() + ")";
        }
    }
}
