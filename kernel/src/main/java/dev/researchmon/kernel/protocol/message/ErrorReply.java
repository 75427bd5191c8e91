package dev.researchmon.kernel.protocol.message;

import java.util.List;

/** Any reply of a request that could not be served (a malformed request): status error. */
public record ErrorReply(String status, String ename, String evalue, List<String> traceback) {
    public static ErrorReply of(String ename, String evalue) {
        return new ErrorReply("error", ename, evalue, List.of(ename + ": " + evalue));
    }
}
