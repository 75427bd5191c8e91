package dev.researchmon.kernel.protocol.message;

/** A reply that carries only its status: {@code interrupt_reply}. */
public record StatusReply(String status) {
    public static StatusReply ok() {
        return new StatusReply("ok");
    }
}
