package dev.researchmon.kernel.protocol.message;

/** {@code is_complete_request}. */
public record IsCompleteRequest(String code) {
    public IsCompleteRequest {
        code = code == null ? "" : code;
    }
}
