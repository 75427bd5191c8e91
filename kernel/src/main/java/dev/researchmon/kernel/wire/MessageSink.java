package dev.researchmon.kernel.wire;

/**
 * Where handlers put the messages they send; any thread may call it, the socket thread does the
 * sending so that each ZMQ socket stays owned by one thread.
 *
 * <pre>{@code
 * sink.send(Channel.SHELL, codec.reply(request, "kernel_info_reply", content));
 * }</pre>
 */
@FunctionalInterface
public interface MessageSink {
    void send(Channel channel, Message message);

    /**
     * Declares a thread that is never interrupted nor stopped (the shell worker): its sends may
     * wake the socket loop directly, one thread hop less per reply.
     */
    default void trust(Thread sender) {}
}
