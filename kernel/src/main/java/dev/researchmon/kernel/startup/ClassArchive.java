package dev.researchmon.kernel.startup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.researchmon.kernel.protocol.message.CompleteRequest;
import dev.researchmon.kernel.protocol.message.ExecuteRequest;
import dev.researchmon.kernel.protocol.message.Messages;
import dev.researchmon.kernel.protocol.message.ShutdownRequest;
import dev.researchmon.kernel.wire.ConnectionFile;
import dev.researchmon.kernel.wire.Frames;
import dev.researchmon.kernel.wire.LoopbackConnection;
import dev.researchmon.kernel.wire.Message;
import dev.researchmon.kernel.wire.MessageCodec;
import dev.researchmon.kernel.wire.WireFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The class archive that a kernelspec's JVM maps at start instead of loading, parsing and verifying
 * the kernel's, JShell's and javac's classes from their jars: start to the first {@code kernel_info}
 * reply about a third sooner (docs/performance.md). {@code install} makes it with one training run
 * of the real kernel under the kernelspec's own JVM options, driven over its sockets through
 * {@code kernel_info}, a few cells, a completion and a shutdown, so that it holds what a start and
 * the first cells load. On Java 17 to 24 it is a dynamic class-data sharing archive
 * ({@code kernel.jsa}); on Java 25 and later an AOT cache ({@code kernel.aot}, JEP 483/514), which
 * also holds the classes linked, and took about another 100 ms off JShell's creation here.
 *
 * <p>The archive is tied to the JVM and to the jar in the kernelspec folder, which only
 * {@code install} writes, and which it then makes again. A JVM whose archive no longer matches (a
 * JDK upgraded in place) starts without it, silently, as it would without one.
 *
 * <pre>{@code
 * Optional<String> why = ClassArchive.make(List.of(java, "@" + options), jar, dir, 25, Duration.ofMinutes(3));
 * List<String> more = why.isEmpty() ? ClassArchive.options(dir, 25) : List.of();
 * }</pre>
 */
public final class ClassArchive {
    /** Beside kernel.json, for Java 17 to 24. */
    public static final String FILE = "kernel.jsa";
    /** Beside kernel.json, for Java 25 on. */
    public static final String AOT_FILE = "kernel.aot";
    /** The first Java that re-makes a stale or missing dynamic archive at exit. */
    public static final int AUTO_CREATE_SINCE = 19;
    /** The first Java whose AOT cache ({@code -XX:AOTCacheOutput}, JEP 514) replaces the archive. */
    public static final int AOT_CACHE_SINCE = 25;
    /**
     * The JVM says nothing about the archive: neither the classes it cannot archive when it dumps
     * (on stdout, which Jupyter's tools share) nor a stale archive it refuses.
     */
    static final String QUIET = "-Xlog:cds*=off";
    /** The same for the AOT cache's log tags (Java 25 on). */
    static final String QUIET_AOT = "-Xlog:aot*=off";

    /** What the training run asks for: the kinds of cells a notebook starts with. */
    private static final List<String> CELLS = List.of(
            "1 + 1",
            "int x = 2;",
            "String s = \"abc\".toUpperCase();\ns.length()",
            "import java.util.*;\nList<Integer> l = new ArrayList<>(List.of(3, 1, 2));\nCollections.sort(l);\nl",
            "void hello(String name) {\n    System.out.println(\"hello \" + name);\n}\nhello(\"world\");",
            "long sum = 0;\nfor (int i = 0; i < 1_000; i++) {\n    sum += i;\n}\nsum",
            "record Point(int x, int y) {}\nnew Point(1, 2)",
            "Integer.parseInt(\"not a number\")",
            "%lsmagic");

    private ClassArchive() {}

    /** The archive's file in kernelspec folder {@code dir} for a JVM of release {@code feature}. */
    public static Path file(Path dir, int feature) {
        return dir.resolve(feature >= AOT_CACHE_SINCE ? AOT_FILE : FILE).toAbsolutePath();
    }

    /**
     * The kernelspec's JVM options that map the archive made in {@code dir} for a JVM of release
     * {@code feature}. On 25 the cache's recorded profiles are not replayed: measured, replaying
     * them made cells sent at once 1.6x slower, while the classes alone give the start its gain.
     */
    public static List<String> options(Path dir, int feature) {
        if (feature >= AOT_CACHE_SINCE) {
            return List.of("-XX:AOTCache=" + file(dir, feature), "-XX:-AOTReplayTraining", QUIET, QUIET_AOT);
        }
        List<String> options = new ArrayList<>();
        if (feature >= AUTO_CREATE_SINCE) {
            options.add("-XX:+AutoCreateSharedArchive");
        }
        options.add("-XX:SharedArchiveFile=" + file(dir, feature));
        options.add(QUIET);
        return options;
    }

    /** What makes the archive in a training run: written at the run's exit. */
    private static List<String> makingOptions(Path archive, int feature) {
        if (feature >= AOT_CACHE_SINCE) {
            return List.of("-XX:AOTCacheOutput=" + archive, QUIET, QUIET_AOT);
        }
        return List.of("-XX:ArchiveClassesAtExit=" + archive, QUIET);
    }

    /**
     * Makes the archive for kernelspec folder {@code dir}: runs the kernel once ({@code jvm}: the
     * launcher and the kernelspec's options) with the options that write it at exit, and drives it
     * until it exits.
     *
     * @return why no archive was made, or empty when it was
     */
    public static Optional<String> make(List<String> jvm, Path jar, Path dir, int feature, Duration timeout) {
        Path archive = file(dir, feature);
        Optional<String> failed = train(jvm, jar, archive, makingOptions(archive, feature), timeout);
        if (failed.isPresent()) {
            // a JVM that failed still dumps what it loaded at exit: nothing a kernel could use
            try {
                Files.deleteIfExists(archive);
            } catch (IOException e) {
                return Optional.of(failed.get() + "; and " + archive + " could not be removed: " + e.getMessage());
            }
        }
        return failed;
    }

    private static Optional<String> train(
            List<String> jvm, Path jar, Path archive, List<String> making, Duration timeout) {
        Path work = null;
        Process kernel = null;
        try {
            work = Files.createTempDirectory("research-kernel-archive");
            Files.deleteIfExists(archive);
            LoopbackConnection connection = LoopbackConnection.onFreePorts("research-kernel-archive");
            Path connectionFile = work.resolve("kernel-archive.json");
            Files.writeString(connectionFile, connection.json());
            Path stderr = work.resolve("stderr.txt");
            List<String> command = new ArrayList<>(jvm);
            command.addAll(making);
            command.addAll(List.of("-jar", jar.toString(), connectionFile.toString()));
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(stderr.toFile());
            // a training kernel belongs to no notebook server and no parent that may go away
            pb.environment().keySet().removeIf(k -> k.startsWith("JPY_") || k.startsWith("RESEARCH_MONITOR_"));
            kernel = pb.start();
            long deadline = System.nanoTime() + timeout.toNanos();
            MessageCodec codec = new MessageCodec(
                    ConnectionFile.signer(ConnectionFile.read(connectionFile)),
                    UUID.randomUUID().toString());
            Optional<String> driven = drive(connection, codec, deadline, kernel);
            if (driven.isPresent()) {
                return driven;
            }
            long left = Math.max(1, deadline - System.nanoTime());
            if (!kernel.waitFor(left, TimeUnit.NANOSECONDS)) {
                return Optional.of("the training kernel did not exit within " + timeout.toSeconds() + " s of starting");
            }
            if (!Files.isRegularFile(archive) || Files.size(archive) == 0) {
                String err = Files.readString(stderr, StandardCharsets.UTF_8).strip();
                return Optional.of("the training kernel exited (status " + kernel.exitValue() + ") without writing "
                        + archive + (err.isEmpty() ? "" : ": " + err));
            }
            return Optional.empty();
        } catch (IOException | WireFormatException e) {
            return Optional.of(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        } finally {
            if (kernel != null && kernel.isAlive()) {
                kernel.destroyForcibly();
            }
            if (work != null) {
                try (var files = Files.list(work)) {
                    // the connection file and the captured stderr, no folders
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                    Files.deleteIfExists(work);
                } catch (IOException ignored) {
                    // a temporary folder left behind is harmless
                }
            }
        }
    }

    /** kernel_info, the cells, a completion, then shutdown; empty when every reply came. */
    private static Optional<String> drive(
            LoopbackConnection connection, MessageCodec codec, long deadline, Process kernel) {
        ObjectMapper json = codec.json();
        try (ZContext context = new ZContext()) {
            context.setLinger(0);
            ZMQ.Socket shell = context.createSocket(SocketType.DEALER);
            shell.connect(connection.address(connection.shell()));
            ZMQ.Socket control = context.createSocket(SocketType.DEALER);
            control.connect(connection.address(connection.control()));
            List<Request> requests = new ArrayList<>();
            requests.add(new Request(shell, "kernel_info_request", json.createObjectNode()));
            for (String cell : CELLS) {
                requests.add(new Request(
                        shell,
                        "execute_request",
                        Messages.content(new ExecuteRequest(cell, false, true, false, false))));
            }
            requests.add(
                    new Request(shell, "complete_request", Messages.content(new CompleteRequest("\"a\".toUpp", 9))));
            requests.add(new Request(control, "shutdown_request", Messages.content(new ShutdownRequest(false))));
            for (Request r : requests) {
                Message sent = codec.request(r.type(), r.content());
                Frames.send(r.socket(), codec.encode(sent));
                Optional<String> replied = awaitReply(r.socket(), codec, sent.id(), deadline, kernel);
                if (replied.isPresent()) {
                    return Optional.of(r.type() + ": " + replied.get());
                }
            }
            return Optional.empty();
        }
    }

    private static Optional<String> awaitReply(
            ZMQ.Socket socket, MessageCodec codec, String id, long deadline, Process kernel) {
        socket.setReceiveTimeOut(250);
        while (System.nanoTime() < deadline) {
            List<byte[]> frames = Frames.receive(socket, 0);
            if (frames.isEmpty()) {
                if (!kernel.isAlive()) {
                    return Optional.of("the training kernel exited with status " + kernel.exitValue());
                }
                continue;
            }
            try {
                if (id.equals(codec.decode(frames).parentHeader().path("msg_id").asText())) {
                    return Optional.empty();
                }
            } catch (Exception e) {
                return Optional.of("unreadable reply: " + e.getMessage());
            }
        }
        return Optional.of("no reply before the deadline");
    }

    private record Request(ZMQ.Socket socket, String type, ObjectNode content) {}
}
