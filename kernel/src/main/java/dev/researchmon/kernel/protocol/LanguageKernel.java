package dev.researchmon.kernel.protocol;

import dev.researchmon.kernel.protocol.message.CompleteReply;
import dev.researchmon.kernel.protocol.message.CompleteRequest;
import dev.researchmon.kernel.protocol.message.ExecuteReply;
import dev.researchmon.kernel.protocol.message.ExecuteRequest;
import dev.researchmon.kernel.protocol.message.HistoryReply;
import dev.researchmon.kernel.protocol.message.HistoryRequest;
import dev.researchmon.kernel.protocol.message.InspectReply;
import dev.researchmon.kernel.protocol.message.InspectRequest;
import dev.researchmon.kernel.protocol.message.IsCompleteReply;
import dev.researchmon.kernel.protocol.message.IsCompleteRequest;
import dev.researchmon.kernel.protocol.message.KernelInfoReply;

/**
 * What {@link KernelProtocol} asks of a language, as the Jupyter base kernels' {@code do_*} methods:
 * typed requests in, typed replies out. Requests arrive one at a time on the shell worker, except
 * {@link #kernelInfo()}, {@link #interrupt()} and {@link #shutdown()}, which the socket thread calls
 * at any time.
 */
public interface LanguageKernel {
    /** Answered at once, also while the language is still starting. */
    KernelInfoReply kernelInfo();

    /** Runs a cell, publishing its input, output, result and error on iopub; its reply. */
    ExecuteReply execute(ExecuteRequest request);

    CompleteReply complete(CompleteRequest request);

    InspectReply inspect(InspectRequest request);

    IsCompleteReply isComplete(IsCompleteRequest request);

    HistoryReply history(HistoryRequest request);

    /** The line the user typed for the running cell's read. */
    void input(String line);

    /** Stops the running cell, if any. */
    void interrupt();

    /** The kernel is about to end: stop what runs. */
    void shutdown();

    /**
     * A request's reply and idle status have been handed to the sockets: the time for work nobody
     * waits for, on the shell worker, before the next request.
     */
    default void answered() {}
}
