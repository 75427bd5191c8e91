package dev.researchmon.kernel.protocol.message;

/** {@code input_reply}: the line the user typed. */
public record InputReply(String value) {
    public InputReply {
        value = value == null ? "" : value;
    }
}
