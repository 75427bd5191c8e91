package dev.researchmon.manager;

import dev.researchmon.manager.ManagerOptions.Role;
import dev.researchmon.manager.central.CentralStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code environment-manager}: one switch for the monitoring stack, on Docker where an engine
 * answers and as local processes where none does. This class only runs one command line through
 * its steps: the options ({@link ManagerOptions}), what they mean with the environment and stack.json
 * ({@link SettingsResolver}), which stack runs where ({@link RuntimeSelector}), the action, and what
 * is printed ({@link StatusPrinter}); errors become one message and an exit status here.
 *
 * <pre>
 * bin/environment-manager --enable-monitoring            # up, and wait until every part is healthy
 * bin/environment-manager --status                       # each part, its URL and health
 * bin/environment-manager --no-monitoring                # down; data volumes are kept
 * bin/environment-manager --enable-monitoring --runtime local --prometheus-port 19090
 * bin/environment-manager --enable-monitoring --host gpu-a --remote-write http://central:8428/api/v1/write \
 *         --remote-write-bearer-token-file /etc/research-monitor/token
 * </pre>
 *
 * Exit status: 0 done (for --status: every available part healthy), 1 error, 2 bad usage,
 * 3 --status found a part that is not healthy.
 */
@Command(
        name = "environment-manager",
        mixinStandardHelpOptions = true,
        version = "environment-manager 0.1.0",
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Starts, stops or shows the research monitoring stack described by docker/compose.yaml.")
public final class EnvironmentManager implements Callable<Integer> {
    static final int EXIT_ERROR = 1;
    static final int EXIT_NOT_HEALTHY = 3;

    @Mixin
    ManagerOptions options = new ManagerOptions();

    private final Map<String, String> environment;
    private final PrintWriter out;
    private final PrintWriter err;

    EnvironmentManager(Map<String, String> environment, PrintWriter out, PrintWriter err) {
        this.environment = environment;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(args, System.getenv(), out, err));
    }

    /** Runs one command line; errors become one message on {@code err} and an exit status. */
    public static int run(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new EnvironmentManager(environment, out, err))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(out)
                .setErr(err)
                .setParameterExceptionHandler((e, args1) -> usage(err, e.getMessage()))
                .setExecutionExceptionHandler((e, line, parsed) -> {
                    if (e instanceof UsageException) {
                        return usage(err, e.getMessage());
                    }
                    if (e instanceof ManagerException) {
                        err.println("environment-manager: " + e.getMessage());
                        err.flush();
                        return EXIT_ERROR;
                    }
                    throw e;
                });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** One line that names the mistake beats a screenful of usage. */
    private static int usage(PrintWriter err, String message) {
        err.println("environment-manager: " + message);
        err.println("Try 'environment-manager --help' for the options.");
        err.flush();
        return CommandLine.ExitCode.USAGE;
    }

    @Override
    public Integer call() {
        Path stateDir = SettingsResolver.stateDir(options, environment);
        SettingsFile settingsFile = new SettingsFile(stateDir);
        Path checkout = Checkout.root();
        SettingsResolver settings = new SettingsResolver(options, environment, settingsFile.read(), checkout);
        StatusPrinter print = new StatusPrinter(out, err);
        if (options.grafanaPassword != null) {
            print.warnAboutPasswordOnCommandLine();
        }
        boolean central = settings.role() == Role.central;
        boolean enabling = options.action.enable;
        RuntimeSelector select = new RuntimeSelector(settings, checkout, enabling, out, err);
        CentralStore store = central ? select.centralStore() : null;
        StackRuntime stack = central ? select.centralStack(store) : select.hostStack();
        out.println("runtime: " + stack.name());
        if (options.action.disable) {
            stack.disable();
            out.println("monitoring is off");
            return 0;
        }
        List<PartStatus> parts;
        if (enabling) {
            print.warnAboutDefaultPassword(stack, settings.grafanaPassword());
            parts = stack.enable();
            settingsFile.write(
                    central
                            ? settings.rememberCentral(stack.name())
                            : settings.rememberHost(stack.name(), select.publishedPorts()));
        } else {
            parts = stack.status();
        }
        print.parts(parts);
        if (central) {
            // no Prometheus here: the store answers the same queries, and Grafana on Docker reads it
            print.hostInstructions(store);
        } else {
            print.whereToLookWithoutGrafana(parts, settings.ports().getOrDefault("prometheus", 9090));
        }
        if (enabling) {
            out.println("monitoring is on");
            return 0;
        }
        boolean allHealthy = parts.stream().allMatch(p -> p.healthy() || p.state() == PartStatus.State.NOT_AVAILABLE);
        return allHealthy ? 0 : EXIT_NOT_HEALTHY;
    }
}
