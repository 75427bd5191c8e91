package dev.researchmon.kernel.install;

import dev.researchmon.kernel.Main;
import dev.researchmon.kernel.startup.JitPolicy;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code research-kernel install [--user|--prefix DIR] [--name NAME] [--java PATH] [--replace]}. */
@Command(
        name = "install",
        mixinStandardHelpOptions = true,
        customSynopsis =
                "research-kernel install [--user|--prefix DIR] [--name NAME] [--java PATH] [--quick-jit|--full-jit] [--no-class-archive] [--no-startup-tuning] [--replace]",
        description = "Write the kernelspec so Jupyter offers this kernel (default name 'java', per user).")
public final class InstallCommand implements Callable<Integer> {

    static final class Where {
        @Option(names = "--user", description = "per-user data folder, or $JUPYTER_DATA_DIR (the default)")
        boolean user;

        @Option(names = "--prefix", paramLabel = "DIR", description = "DIR/share/jupyter/kernels, e.g. a virtualenv")
        Path prefix;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Where where;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            defaultValue = KernelspecInstaller.DEFAULT_NAME,
            description = "kernelspec name (default: ${DEFAULT-VALUE}; IJava notebooks open unchanged)")
    String name;

    @Option(
            names = "--java",
            paramLabel = "PATH",
            description = "the java launcher (or JDK folder) the kernel runs on, Java 17 or later "
                    + "(default: the JVM running this installer)")
    Path javaPath;

    static final class JitChoice {
        @Option(
                names = "--quick-jit",
                description = "C1 JIT only: hot loops in cells about 1.7x slower (the default is as quick per cell)")
        boolean quick;

        @Option(
                names = "--full-jit",
                description =
                        "the JVM's JIT as it comes, C2 compiling javac too: cells slower for their first few hundred")
        boolean full;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    JitChoice jitChoice;

    @Option(
            names = "--no-class-archive",
            description = "skip the training run that makes the kernelspec's class archive (which starts the kernel "
                    + "about a third sooner) and install in a second")
    boolean noClassArchive;

    @Option(
            names = "--no-startup-tuning",
            description = "none of the start-up tuning: the JVM's own JIT, no class archive, no warm-up of JShell "
                    + "before the first cell (for comparison, or to rule it out)")
    boolean noStartupTuning;

    @Option(
            names = "--replace",
            description = "replace a kernelspec of that name that research-kernel did not write (IJava's 'java'), "
                    + "removing its files")
    boolean replace;

    @Override
    public Integer call() throws Exception {
        Path kernels = where != null && where.prefix != null
                ? KernelspecInstaller.prefixKernelsDir(where.prefix)
                : KernelspecInstaller.userKernelsDir(System.getenv());
        try {
            JavaRuntime java = javaPath == null ? JavaRuntime.current() : JavaRuntime.probe(javaPath);
            KernelspecInstaller installer = new KernelspecInstaller(java.launcher(), ownJar(), jit());
            if (noStartupTuning) {
                installer = installer.withoutStartupTuning();
            } else if (!noClassArchive) {
                installer = installer.withClassArchive(java.feature(), System.err);
            }
            Path dir = installer.install(kernels, name, replace);
            System.out.println("Installed kernelspec " + name + " in " + dir);
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("research-kernel install: " + e.getMessage());
            return 2;
        }
    }

    private JitPolicy jit() {
        if (jitChoice == null) {
            return JitPolicy.TIERED_USER_CODE;
        }
        return jitChoice.quick ? JitPolicy.QUICK : JitPolicy.FULL;
    }

    private static Path ownJar() throws URISyntaxException {
        return Path.of(
                Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
