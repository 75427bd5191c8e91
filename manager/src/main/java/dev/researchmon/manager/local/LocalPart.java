package dev.researchmon.manager.local;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One part of the stack as a local process: what it needs installed, how it starts, and (through
 * its compose x-health entry, which names it) how its health is checked. Each part is one small
 * type registered in {@link LocalParts}, the way node_exporter registers its collectors, so that
 * adding a part touches no switch over part names.
 *
 * <pre>{@code
 * final class NodeExporterPart implements LocalPart {
 *     public String name() { return "node-exporter"; }
 *     public List<Path> needs(LocalContext context) { return List.of(NODE_EXPORTER); }
 *     public List<String> command(LocalContext context, int port) { ... }
 * }
 * }</pre>
 */
public interface LocalPart {
    /** The part's name: its x-health {@code part} in compose.yaml, its pid record and its log file. */
    String name();

    /** Files that must exist before it can start; a missing one stops enable before anything starts. */
    List<Path> needs(LocalContext context);

    /** Done before it starts, once its needs are met (installing a kernelspec, say). */
    default void prepare(LocalContext context) {}

    /** The command line that runs it in the foreground on {@code port} (its loopback port). */
    List<String> command(LocalContext context, int port);

    /** Variables added to its environment (kept out of argv, where ps shows them). */
    default Map<String, String> environment(LocalContext context) {
        return Map.of();
    }

    /**
     * Why it cannot run here even though it has a local form (a jar not built yet, say), which
     * leaves it out instead of failing the stack; empty when it can run.
     */
    default Optional<String> whyNotRunnable(LocalContext context) {
        return Optional.empty();
    }

    /**
     * The pid of an instance of this part that runs on {@code port} without the manager having started
     * it and that the stack may use as its own (adopted, and left running by --no-monitoring); empty
     * when whatever holds the port is not one.
     */
    default OptionalLong runningOutside(int port) {
        return OptionalLong.empty();
    }

    /** The option that moves its port, named when another program holds it. */
    default String portOption() {
        return "--" + name() + "-port";
    }

    /** Where its health is asked, given compose's x-health path: plain http on loopback unless it says otherwise. */
    default URI healthUrl(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** A line for --status beside its pid (where its token is, say). */
    default String statusDetail(LocalContext context) {
        return "";
    }

    /** Where its data is kept across stop and start, if anywhere: --no-monitoring says so. */
    default Optional<Path> dataDir(LocalContext context) {
        return Optional.empty();
    }
}
