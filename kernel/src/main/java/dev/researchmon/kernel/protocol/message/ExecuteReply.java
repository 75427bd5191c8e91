package dev.researchmon.kernel.protocol.message;

import java.util.List;
import java.util.Map;

/** {@code execute_reply}: ok (with pager payloads), error, or aborted after an earlier error. */
public record ExecuteReply(
        String status,
        int executionCount,
        List<Map<String, Object>> payload,
        Map<String, Object> userExpressions,
        String ename,
        String evalue,
        List<String> traceback) {

    public static ExecuteReply ok(int executionCount, List<Map<String, Object>> payload) {
        return new ExecuteReply("ok", executionCount, List.copyOf(payload), Map.of(), null, null, null);
    }

    public static ExecuteReply error(int executionCount, ErrorContent error) {
        return new ExecuteReply("error", executionCount, null, null, error.ename(), error.evalue(), error.traceback());
    }

    public static ExecuteReply aborted(int executionCount) {
        return new ExecuteReply("aborted", executionCount, null, null, null, null, null);
    }

    /** The pager payload that shows {@code text} (IPython's {@code page} source). */
    public static Map<String, Object> page(String text) {
        return Map.of("source", "page", "data", Map.of("text/plain", text), "start", 0);
    }

    public boolean isError() {
        return status.equals("error");
    }
}
