package dev.researchmon.kernel.protocol.message;

/** {@code inspect_request}; the cursor (in code points) defaults to the end of the code. */
public record InspectRequest(String code, Integer cursorPos, Integer detailLevel) {
    public InspectRequest {
        code = code == null ? "" : code;
        cursorPos = cursorPos == null ? code.codePointCount(0, code.length()) : cursorPos;
        detailLevel = detailLevel == null ? 0 : detailLevel;
    }
}
