package dev.researchmon.manager;

import dev.researchmon.manager.ManagerOptions.RuntimeChoice;
import dev.researchmon.manager.central.CentralStore;
import dev.researchmon.manager.central.StoreCredentials;
import dev.researchmon.manager.central.StoreTls;
import dev.researchmon.manager.docker.DockerConnection;
import dev.researchmon.manager.docker.DockerPrometheusConfig;
import dev.researchmon.manager.docker.DockerRuntime;
import dev.researchmon.manager.local.LocalRuntime;
import dev.researchmon.manager.prometheus.HostShipping;
import dev.researchmon.manager.stack.ComposeFile;
import dev.researchmon.manager.stack.HealthEndpoint;
import dev.researchmon.manager.stack.ServiceSpec;
import dev.researchmon.manager.stack.StackDescription;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which stack runs, and where: the host stack or, for {@code --role central}, the store; on a Docker
 * engine or as local processes ({@code auto}: Docker where its API answers). It reads the stack's
 * description with the resolved settings and refuses what cannot start before anything does.
 *
 * <pre>{@code
 * RuntimeSelector select = new RuntimeSelector(settings, checkout, enabling, out, err);
 * StackRuntime stack = select.hostStack();                     // or select.centralStack(select.centralStore())
 * }</pre>
 */
final class RuntimeSelector {
    private final SettingsResolver settings;
    private final Path checkout;
    private final boolean enabling;
    private final PrintWriter out;
    private final PrintWriter err;
    private StackDescription hostStack;

    /** @param enabling whether this call brings the stack up: only then are files and containers made */
    RuntimeSelector(SettingsResolver settings, Path checkout, boolean enabling, PrintWriter out, PrintWriter err) {
        this.settings = settings;
        this.checkout = checkout;
        this.enabling = enabling;
        this.out = out;
        this.err = err;
    }

    /** The host stack on the chosen runtime, after its ports and remote write are found sound. */
    StackRuntime hostStack() {
        Path compose = settings.composeFile();
        hostStack = ComposeFile.load(compose, settings.composeVariables(), false);
        PortGuard.refuseShared(hostStack);
        HostShipping shipping = new ShippingPlan(new SettingsFile(settings.stateDir()).path(), err)
                .hostShipping(settings.shipping(), settings.remoteWriteRemembered(), enabling);
        String dockerHost = settings.dockerHost();
        RuntimeChoice choice = settings.runtime();
        if (choice == RuntimeChoice.docker || (choice == RuntimeChoice.auto && answers(dockerHost, "the stack"))) {
            DockerPrometheusConfig prometheusConfig =
                    new DockerPrometheusConfig(shipping, settings.stateDir().resolve("docker"));
            // only an enable creates containers from it: --status and --no-monitoring leave the generated
            // file that the running Prometheus reads as it is
            return new DockerRuntime(
                    dockerHost,
                    gpus -> {
                        StackDescription stack = ComposeFile.load(compose, settings.composeVariables(), gpus);
                        return enabling ? prometheusConfig.applyTo(stack) : stack;
                    },
                    settings.timeout(),
                    out);
        }
        return new LocalRuntime(hostStack, checkout, settings.stateDir(), settings.timeout(), out, shipping);
    }

    /** Each part's host port as the host stack publishes it: what stack.json remembers. */
    Map<String, Integer> publishedPorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (ServiceSpec service : hostStack.services()) {
            for (HealthEndpoint health : service.health()) {
                service.published(health.containerPort()).ifPresent(p -> ports.put(health.part(), p.hostPort()));
            }
        }
        return ports;
    }

    /**
     * Where the central store listens and who may use it. Only an enable makes the password and admin
     * key files; --status and --no-monitoring just name them.
     */
    CentralStore centralStore() {
        StackSettings.Central store = settings.store();
        Path stateDir = settings.stateDir();
        try {
            Optional<StoreTls> tls = store.tlsCertFile() == null
                    ? Optional.empty()
                    : Optional.of(StoreTls.of(Path.of(store.tlsCertFile()), Path.of(store.tlsKeyFile())));
            Optional<Path> passwordFile =
                    Optional.ofNullable(store.passwordFile()).map(Path::of);
            Optional<StoreCredentials> credentials = Optional.empty();
            if (!settings.storeNoAuth()) {
                credentials = Optional.of(
                        enabling
                                ? StoreCredentials.prepare(stateDir, store.user(), passwordFile)
                                : new StoreCredentials(
                                        store.user(),
                                        passwordFile.orElse(stateDir.resolve(StoreCredentials.PASSWORD_FILE)),
                                        stateDir.resolve(StoreCredentials.ADMIN_KEY_FILE),
                                        false));
            }
            return new CentralStore(store.bind(), store.port(), store.retention(), credentials, tls);
        } catch (UsageException e) {
            throw e;
        } catch (ManagerException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The store (and, on Docker, Grafana reading it), both described by compose.central.yaml. */
    StackRuntime centralStack(CentralStore store) {
        String dockerHost = settings.dockerHost();
        RuntimeChoice choice = settings.runtime();
        boolean docker = choice == RuntimeChoice.docker
                || (choice == RuntimeChoice.auto && answers(dockerHost, "the central store"));
        Path compose = settings.composeFile();
        Map<String, String> variables = settings.composeVariables();
        variables.put("VICTORIA_METRICS_PORT", String.valueOf(store.port()));
        variables.put("VICTORIA_METRICS_BIND", store.bind());
        variables.put("VICTORIA_METRICS_RETENTION", store.retention());
        if (!docker) {
            // the local store gets its secrets through its own environment, not through the
            // compose file, which refuses to be read without them being named
            for (String name : List.of("STORE_USER", "STORE_PASSWORD", "STORE_ADMIN_KEY")) {
                variables.putIfAbsent(name, "");
            }
            return LocalRuntime.centralStore(
                    ComposeFile.load(compose, variables, false),
                    store,
                    checkout,
                    settings.stateDir(),
                    settings.timeout(),
                    out);
        }
        if (store.tls().isPresent()) {
            throw new ManagerException(
                    "--store-tls-cert is for the local runtime so far: on Docker, put a TLS proxy in "
                            + "front of the store, or run it with --runtime local");
        }
        // The store and Grafana get the secrets through their containers' environment, filled in here
        // from the files: compose.central.yaml names only the variables. Only an enable creates containers.
        Map<String, String> secrets = !enabling
                ? Map.of()
                : store.credentials()
                        .map(StoreCredentials::victoriaMetricsEnvironment)
                        .orElse(Map.of());
        variables.put("STORE_USER", secrets.getOrDefault("httpAuth_username", ""));
        variables.put("STORE_PASSWORD", secrets.getOrDefault("httpAuth_password", ""));
        variables.put("STORE_ADMIN_KEY", secrets.getOrDefault("deleteAuthKey", ""));
        return new DockerRuntime(
                dockerHost, gpus -> ComposeFile.load(compose, variables, false), settings.timeout(), out);
    }

    /** auto's question: does a Docker API answer? If not, the user is told that local processes run instead. */
    private boolean answers(String dockerHost, String what) {
        if (DockerConnection.whyNotAnswering(dockerHost).isEmpty()) {
            return true;
        }
        out.println("no Docker API answers at " + dockerHost + ": running " + what + " as local processes");
        return false;
    }
}
