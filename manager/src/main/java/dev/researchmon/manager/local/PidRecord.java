package dev.researchmon.manager.local;

import java.util.List;

/**
 * What the local runtime writes to {@code run/<part>.json} when it starts a process: enough to find
 * the same process again (the start time guards against a reused pid) and to report its port.
 */
public record PidRecord(long pid, long startedAtMillis, int port, List<String> command) {
    public PidRecord {
        command = List.copyOf(command);
    }
}
