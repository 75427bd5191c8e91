package dev.researchmon.kernel.protocol.message;

/** {@code is_complete_reply}: complete, incomplete (with the next line's indent), invalid or unknown. */
public record IsCompleteReply(String status, String indent) {
    public static IsCompleteReply complete() {
        return new IsCompleteReply("complete", null);
    }

    public static IsCompleteReply incomplete(String indent) {
        return new IsCompleteReply("incomplete", indent);
    }

    public static IsCompleteReply invalid() {
        return new IsCompleteReply("invalid", null);
    }
}
