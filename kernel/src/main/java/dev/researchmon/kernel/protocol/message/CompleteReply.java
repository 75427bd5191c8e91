package dev.researchmon.kernel.protocol.message;

import java.util.List;
import java.util.Map;

/** {@code complete_reply}; cursor positions in code points, as Jupyter counts them. */
public record CompleteReply(
        String status, List<String> matches, int cursorStart, int cursorEnd, Map<String, Object> metadata) {
    public static CompleteReply of(List<String> matches, int cursorStart, int cursorEnd) {
        return new CompleteReply("ok", List.copyOf(matches), cursorStart, cursorEnd, Map.of());
    }
}
