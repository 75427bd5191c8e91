package dev.researchmon.kernel.protocol.message;

/** {@code complete_request}; the cursor (in code points) defaults to the end of the code. */
public record CompleteRequest(String code, Integer cursorPos) {
    public CompleteRequest {
        code = code == null ? "" : code;
        cursorPos = cursorPos == null ? code.codePointCount(0, code.length()) : cursorPos;
    }
}
