package dev.researchmon.sidecar.gpu;

import dev.researchmon.sidecar.notebook.KernelRef;
import java.util.List;

/**
 * The GPU energy and busy time each notebook, other processes and idleness were given since the
 * sidecar started: immutable, published with each {@link GpuState} by {@link EnergyLedger}.
 *
 * <pre>{@code
 * for (NotebookEnergy.Account a : state.energy().accounts()) { a.joules(); a.busySeconds(); }
 * }</pre>
 */
public record NotebookEnergy(List<Account> accounts) {
    public static final NotebookEnergy NONE = new NotebookEnergy(List.of());

    public NotebookEnergy {
        accounts = List.copyOf(accounts);
    }

    /**
     * One GPU's account for one owner.
     *
     * @param kernel the notebook kernel, or {@code null} for {@link #owner} {@code other} or {@code idle}
     * @param owner the {@code notebook} label: the kernel's notebook, {@code other} or {@code idle}
     */
    public record Account(
            int gpu, String uuid, String name, KernelRef kernel, String owner, double joules, double busySeconds) {}
}
