package dev.researchmon.kernel.protocol.message;

/** {@code history_request}: tail (the default), range or search. */
public record HistoryRequest(
        Boolean output,
        String histAccessType,
        Integer session,
        Integer start,
        Integer stop,
        Integer n,
        String pattern,
        Boolean unique) {
    public HistoryRequest {
        output = output != null && output;
        histAccessType = histAccessType == null ? "tail" : histAccessType;
        session = session == null ? 0 : session;
        start = start == null ? 0 : start;
        stop = stop == null ? 0 : stop;
        n = n == null ? 10 : n;
        pattern = pattern == null ? "*" : pattern;
        unique = unique != null && unique;
    }
}
