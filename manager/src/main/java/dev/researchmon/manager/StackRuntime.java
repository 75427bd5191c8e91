package dev.researchmon.manager;

import java.util.List;

/**
 * One way of running the stack described by docker/compose.yaml: on a Docker engine or as local
 * processes. Every operation is idempotent: enabling a running stack or disabling a stopped one
 * changes nothing.
 *
 * <pre>{@code
 * StackRuntime runtime = ...;
 * List<PartStatus> parts = runtime.enable();   // returns once every runnable part is healthy
 * runtime.disable();                            // data volumes are kept
 * }</pre>
 */
public interface StackRuntime {
    /** "docker" or "local", as the user names it on the command line. */
    String name();

    /** Starts what is not running and waits until each part is healthy; throws if one never is. */
    List<PartStatus> enable();

    /** Stops and removes what runs, keeping every data volume or data folder. */
    void disable();

    /** Each part with its URL and health, without changing anything. */
    List<PartStatus> status();
}
