package dev.researchmon.kernel.protocol.message;

import java.util.List;

/**
 * {@code history_reply}: rows of {@code [session, line, input]}, or {@code [session, line, [input,
 * output]]} when output was asked for.
 */
public record HistoryReply(String status, List<List<Object>> history) {
    public static HistoryReply of(List<List<Object>> rows) {
        return new HistoryReply("ok", List.copyOf(rows));
    }
}
