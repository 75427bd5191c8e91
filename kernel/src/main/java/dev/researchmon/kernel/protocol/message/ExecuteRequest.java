package dev.researchmon.kernel.protocol.message;

/**
 * {@code execute_request}. Missing fields take the protocol's defaults, except {@code allow_stdin}:
 * a front end that does not say it can answer input gets end-of-file rather than a hang.
 */
public record ExecuteRequest(
        String code, Boolean silent, Boolean storeHistory, Boolean allowStdin, Boolean stopOnError) {
    public ExecuteRequest {
        code = code == null ? "" : code;
        silent = silent != null && silent;
        // a silent request is never stored, whatever it says
        storeHistory = !silent && (storeHistory == null || storeHistory);
        allowStdin = allowStdin != null && allowStdin;
        stopOnError = stopOnError == null || stopOnError;
    }
}
