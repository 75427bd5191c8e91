package dev.researchmon.magics.api;

import java.util.List;

/**
 * Contributes magics to the kernel. Listed in
 * {@code META-INF/services/dev.researchmon.magics.api.MagicProvider}; the kernel loads every
 * provider on its class path at start-up.
 */
public interface MagicProvider {
    List<Magic> magics();

    /** Repairs the kernel may try when a snippet throws; see {@link SnippetRecovery}. */
    default List<SnippetRecovery> recoveries() {
        return List.of();
    }
}
