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

    /**
     * From now until {@link #release()}, what the trusted thread sends waits in the queue: a burst
     * it sends together (a cell's result, cost footer, reply and idle status) then goes out in one
     * wake of the socket loop instead of one wake each, which costs the kernel's threads more than
     * encoding the messages does. No effect on other threads' sends, which still go out at once.
     */
    default void hold() {}

    /** Sends what {@link #hold()} kept back; nothing to do when nothing was held. */
    default void release() {}
}
