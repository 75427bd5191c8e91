package dev.researchmon.kernel;

import dev.researchmon.kernel.install.InstallCommand;
import dev.researchmon.kernel.language.JavaKernel;
import dev.researchmon.kernel.launch.NotebookName;
import dev.researchmon.kernel.launch.ParentWatchdog;
import dev.researchmon.kernel.protocol.Iopub;
import dev.researchmon.kernel.protocol.KernelProtocol;
import dev.researchmon.kernel.startup.IdleWarmUp;
import dev.researchmon.kernel.startup.StartupTuning;
import dev.researchmon.kernel.wire.ConnectionFile;
import dev.researchmon.kernel.wire.KernelSockets;
import dev.researchmon.kernel.wire.MessageCodec;
import dev.researchmon.kernel.wire.WireFormatException;
import dev.researchmon.magics.api.KernelIdentity;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code research-kernel CONNECTION_FILE} runs the kernel (Jupyter starts it so);
 * {@code research-kernel install [--user|--prefix DIR] [--name NAME]} writes its kernelspec.
 */
@Command(
        name = "research-kernel",
        mixinStandardHelpOptions = true,
        version = "research-kernel 0.1.0",
        description = "The Java Jupyter kernel with research monitoring.",
        subcommands = InstallCommand.class)
public final class Main implements Callable<Integer> {
    private static final Pattern KERNEL_FILE = Pattern.compile("kernel-(.+)\\.json");

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "CONNECTION_FILE",
            description = "the connection file Jupyter writes ({connection_file} in the kernelspec)")
    Path connectionFile;

    public static void main(String[] args) {
        System.exit(isJupyterLaunch(args) ? runKernel(Path.of(args[0])) : new CommandLine(new Main()).execute(args));
    }

    /**
     * Whether {@code args} are the one form Jupyter starts the kernel with, a connection file. That
     * form skips picocli: building its model of the commands took ~100 ms of a start that is
     * measured against ipykernel's (BENCHMARKS.md), and there is nothing in it to parse.
     */
    static boolean isJupyterLaunch(String[] args) {
        return args.length == 1 && !args[0].startsWith("-") && !args[0].startsWith("@") && !args[0].equals("install");
    }

    private static int runKernel(Path connectionFile) {
        Main kernel = new Main();
        kernel.connectionFile = connectionFile;
        try {
            return kernel.call();
        } catch (IOException | RuntimeException e) {
            // what picocli would do for the same failure: one message and a non-zero status
            System.err.println("research-kernel: " + e);
            return 1;
        }
    }

    @Override
    public Integer call() throws IOException {
        PrintStream log = System.err;
        if (connectionFile == null) {
            log.println("research-kernel: a connection file is needed (Jupyter passes it); "
                    + "or use: research-kernel install [--user|--prefix DIR] [--name NAME]");
            return 2;
        }
        KernelConnectionProperties props;
        MessageCodec codec;
        try {
            props = ConnectionFile.read(connectionFile);
            codec = new MessageCodec(
                    ConnectionFile.signer(props), UUID.randomUUID().toString());
        } catch (WireFormatException e) {
            log.println("research-kernel: " + e.getMessage());
            return 2;
        }
        Map<String, String> env = System.getenv();
        ParentWatchdog.fromEnvironment(env, Duration.ofSeconds(1), () -> {
                    // System.exit runs the shutdown hooks: monitoring's final report goes out first
                    log.println("research-kernel: the process that started this kernel (JPY_PARENT_PID "
                            + env.get("JPY_PARENT_PID") + ") is gone; exiting");
                    System.exit(0);
                })
                .ifPresent(ParentWatchdog::start);
        try (KernelSockets sockets = new KernelSockets(props, codec, log)) {
            Iopub iopub = new Iopub(codec, sockets);
            JavaKernel java = new JavaKernel(iopub, identity(connectionFile, env), log);
            KernelProtocol protocol = new KernelProtocol(codec, sockets, iopub, java, log, sockets::stop);
            java.start();
            if (StartupTuning.enabled()) {
                IdleWarmUp.start(java, () -> protocol.idleFor(IdleWarmUp.QUIET), log);
            }
            sockets.run(protocol::handle);
        }
        return 0;
    }

    /**
     * kernel_id from Jupyter's file name {@code kernel-<id>.json}; the notebook as {@link NotebookName}
     * finds it, asked again as reports go out so that a rename is followed.
     */
    static Supplier<KernelIdentity> identity(Path connectionFile, Map<String, String> env) {
        String id = kernelId(connectionFile);
        NotebookName notebook = NotebookName.forKernel(id, connectionFile, env);
        long pid = ProcessHandle.current().pid();
        return () -> new KernelIdentity(id, notebook.get(), pid);
    }

    static String kernelId(Path connectionFile) {
        Matcher m = KERNEL_FILE.matcher(String.valueOf(connectionFile.getFileName()));
        return m.matches() ? m.group(1) : UUID.randomUUID().toString();
    }
}
