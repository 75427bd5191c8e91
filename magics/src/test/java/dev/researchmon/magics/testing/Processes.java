package dev.researchmon.magics.testing;

import java.util.concurrent.TimeUnit;

/** Stops a process a test started, by its handle: politely, then forcibly. */
public final class Processes {
    private Processes() {
    }

    public static void stop(ProcessHandle handle) {
        handle.descendants().forEach(Processes::stopOne);
        stopOne(handle);
    }

    private static void stopOne(ProcessHandle h) {
        if (!h.isAlive()) {
            return;
        }
        h.destroy();
        try {
            h.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            h.destroyForcibly();
        }
    }
}
