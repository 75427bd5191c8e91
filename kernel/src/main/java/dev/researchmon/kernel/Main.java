package dev.researchmon.kernel;

import dev.researchmon.kernel.install.InstallCommand;
import dev.researchmon.kernel.protocol.JupyterKernel;
import dev.researchmon.kernel.wire.ConnectionFile;
import dev.researchmon.kernel.wire.KernelSockets;
import dev.researchmon.kernel.wire.MessageCodec;
import dev.researchmon.kernel.wire.WireFormatException;
import dev.researchmon.magics.api.KernelIdentity;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code research-kernel CONNECTION_FILE} runs the kernel (Jupyter starts it so);
 * {@code research-kernel install [--user|--prefix DIR] [--name NAME]} writes its kernelspec.
 */
@Command(name = "research-kernel", mixinStandardHelpOptions = true, version = "research-kernel 0.1.0",
        description = "The Java Jupyter kernel with research monitoring.",
        subcommands = InstallCommand.class)
public final class Main implements Callable<Integer> {
    private static final Pattern KERNEL_FILE = Pattern.compile("kernel-(.+)\\.json");

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONNECTION_FILE",
            description = "the connection file Jupyter writes ({connection_file} in the kernelspec)")
    Path connectionFile;

    public static void main(String[] args) {
        int code = new CommandLine(new Main()).execute(args);
        System.exit(code);
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
            codec = new MessageCodec(ConnectionFile.signer(props), UUID.randomUUID().toString());
        } catch (WireFormatException e) {
            log.println("research-kernel: " + e.getMessage());
            return 2;
        }
        try (KernelSockets sockets = new KernelSockets(props, codec, log)) {
            JupyterKernel kernel = new JupyterKernel(codec, sockets, identity(connectionFile), log, sockets::stop);
            kernel.start();
            sockets.run(kernel::handle);
        }
        return 0;
    }

    /** kernel_id from Jupyter's file name {@code kernel-<id>.json}; notebook from JPY_SESSION_NAME. */
    static KernelIdentity identity(Path connectionFile) {
        Matcher m = KERNEL_FILE.matcher(String.valueOf(connectionFile.getFileName()));
        String id = m.matches() ? m.group(1) : UUID.randomUUID().toString();
        String notebook = System.getenv().getOrDefault("JPY_SESSION_NAME", "");
        return new KernelIdentity(id, notebook, ProcessHandle.current().pid());
    }
}
