package dev.researchmon.sidecar.gpu;

import dev.researchmon.sidecar.notebook.KernelRef;
import java.util.Map;
import java.util.Optional;

/**
 * Which notebook kernel a GPU process belongs to: the process itself or one of its ancestors
 * (a kernel that starts a Python worker that starts the CUDA process).
 *
 * <pre>{@code
 * Optional<KernelRef> owner = ProcessOwners.kernelOf(pid, kernels::get);
 * }</pre>
 */
final class ProcessOwners {
    /** How many parents up a GPU process may be from its kernel (e.g. kernel -> python -> worker). */
    private static final int MAX_ANCESTRY = 8;

    private ProcessOwners() {}

    static Optional<KernelRef> kernelOf(long pid, Map<Long, KernelRef> kernels) {
        if (kernels.isEmpty()) {
            return Optional.empty();
        }
        KernelRef direct = kernels.get(pid);
        if (direct != null) {
            return Optional.of(direct);
        }
        Optional<ProcessHandle> current = ProcessHandle.of(pid);
        for (int depth = 0; depth < MAX_ANCESTRY && current.isPresent(); depth++) {
            current = current.get().parent();
            if (current.isPresent() && kernels.containsKey(current.get().pid())) {
                return Optional.of(kernels.get(current.get().pid()));
            }
        }
        return Optional.empty();
    }
}
