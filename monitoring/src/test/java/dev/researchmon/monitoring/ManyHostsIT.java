package dev.researchmon.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.researchmon.testkit.FreePort;
import dev.researchmon.testkit.LocalPrometheus;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Many research hosts, one store, nothing lost. Two hosts run on this machine as a user runs them,
 * {@code bin/environment-manager --enable-monitoring --host gpu-a|gpu-b --remote-write ...}, each with
 * its own state folder and free ports, and ship at once into two stores: Debian's VictoriaMetrics,
 * brought up with {@code --role central}, and a central Prometheus started with
 * {@code --web.enable-remote-write-receiver}. VictoriaMetrics is closed, as {@code --role central}
 * leaves it by default: the hosts ship with the user and password file it printed, and every
 * query here gives them too. Every check holds for both stores. The tests run in
 * order on one set of processes (the outage, then a host stopped), which keeps the wall time to the
 * 60 s outage plus start-up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManyHostsIT {
    static final List<String> HOSTS = List.of("gpu-a", "gpu-b");
    /** Short, so rate windows fill in seconds; the manager lets an operator choose it too. */
    static final String SCRAPE_INTERVAL = "1s";

    static final Duration DEADLINE = Duration.ofSeconds(120);
    static final Duration OUTAGE = Duration.ofSeconds(60);
    static final Path VICTORIA_METRICS = Path.of("/usr/bin/victoria-metrics");

    private Path work;
    private Instant started;
    private final Map<String, ResearchHost> hosts = new LinkedHashMap<>();
    private Path centralState;
    private int victoriaMetricsPort;
    private LocalPrometheus centralPrometheus;
    private int centralPrometheusPort;

    @BeforeAll
    void startStoresAndHosts() throws Exception {
        started = Instant.now();
        assertTrue(Files.isExecutable(VICTORIA_METRICS), "install Debian's victoria-metrics (bin/setup)");
        work = Files.createTempDirectory("many-hosts-");
        centralState = Files.createDirectories(work.resolve("central"));
        victoriaMetricsPort = FreePort.loopback();
        centralPrometheusPort = FreePort.loopback();
        startVictoriaMetrics();
        startCentralPrometheus();
        // as the store told: the same credentials go to every store given (the central Prometheus ignores them)
        List<String> options = List.of(
                "--scrape-interval",
                SCRAPE_INTERVAL,
                "--remote-write",
                "http://127.0.0.1:" + victoriaMetricsPort + "/api/v1/write",
                "--remote-write",
                "http://127.0.0.1:" + centralPrometheusPort + "/api/v1/write",
                "--remote-write-basic-auth-user",
                "research",
                "--remote-write-password-file",
                passwordFile().toString());
        // side by side, as two machines would come up
        ExecutorService pool = Executors.newFixedThreadPool(HOSTS.size());
        try {
            Map<String, Future<ResearchHost>> starting = new LinkedHashMap<>();
            for (String name : HOSTS) {
                starting.put(name, pool.submit(() -> ResearchHost.start(name, work, options)));
            }
            for (Map.Entry<String, Future<ResearchHost>> host : starting.entrySet()) {
                hosts.put(host.getKey(), host.getValue().get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @AfterAll
    void stopEverything() {
        hosts.values().forEach(ResearchHost::close);
        stopVictoriaMetrics();
        if (centralPrometheus != null) {
            centralPrometheus.close();
        }
        System.out.println("ManyHostsIT: wall time "
                + Duration.between(started, Instant.now()).toSeconds() + " s");
    }

    /** The store as a user brings it up: {@code environment-manager --enable-monitoring --role central}. */
    private void startVictoriaMetrics() throws IOException, InterruptedException {
        String output = ResearchHost.runManager(centralState, central("--enable-monitoring"));
        assertTrue(
                output.contains("monitoring is on"), output + log(centralState.resolve("logs/victoria-metrics.log")));
        assertTrue(
                output.contains("hosts ship with: --remote-write http://127.0.0.1:" + victoriaMetricsPort
                        + "/api/v1/write" + " --remote-write-basic-auth-user research --remote-write-password-file "
                        + passwordFile()),
                output);
    }

    /** Made by the first enable, mode 600, and kept across the outage's restart. */
    private Path passwordFile() {
        return centralState.resolve("store-password");
    }

    private void stopVictoriaMetrics() {
        try {
            ResearchHost.runManager(centralState, central("--no-monitoring"));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot stop the store", e);
        }
    }

    private List<String> central(String action) {
        return List.of(
                action,
                "--role",
                "central",
                "--store-port",
                String.valueOf(victoriaMetricsPort),
                "--store-bind",
                "127.0.0.1");
    }

    private void startCentralPrometheus() throws IOException, InterruptedException {
        // it scrapes nothing itself: everything it holds arrives by remote write
        centralPrometheus = LocalPrometheus.start(
                work.resolve("central-prometheus"),
                centralPrometheusPort,
                "global:\n  scrape_interval: 15s\n",
                "--web.enable-remote-write-receiver",
                "--storage.tsdb.retention.time=1d");
    }

    /** Both stores, by name. */
    private Map<String, QueryApi> stores() {
        String password;
        try {
            password = Files.readString(passwordFile());
        } catch (IOException e) {
            throw new IllegalStateException("the store's password file is gone", e);
        }
        return Map.of(
                "victoria-metrics",
                new QueryApi(
                        URI.create("http://127.0.0.1:" + victoriaMetricsPort),
                        java.net.http.HttpClient.newHttpClient(),
                        QueryApi.basicAuth("research", password)),
                "central prometheus",
                new QueryApi(centralPrometheus.url()));
    }

    @Test
    @Order(1)
    void bothHosts_nodeSidecarAndPrometheusSeries_arriveLabelledByHost() throws Exception {
        Map<String, String> kinds = Map.of(
                "node", "node_uname_info",
                "sidecar", "sidecar_collector_success",
                "prometheus", "prometheus_tsdb_head_series",
                "recording rule", "instance:node_cpu_utilisation:rate5m");
        for (Map.Entry<String, QueryApi> store : stores().entrySet()) {
            for (String host : HOSTS) {
                for (Map.Entry<String, String> kind : kinds.entrySet()) {
                    String selector = kind.getValue() + "{host=\"" + host + "\"}";
                    waitFor(
                            kind.getKey() + " series of " + host + " in " + store.getKey() + " (" + selector + ")",
                            DEADLINE,
                            () -> !store.getValue().result(selector).isEmpty());
                }
            }
            assertEquals(
                    new TreeSet<>(HOSTS),
                    new TreeSet<>(store.getValue().labelValues("host", "up")),
                    store.getKey() + ": the hosts are exactly the two that ship to it");
        }
    }

    /**
     * Every panel query, with {@code $host} set to each host in turn, returns that host's series only,
     * and those of the host's own parts (node, sidecar, Prometheus) return data; with both hosts chosen
     * every series still carries its host. Every recording rule, evaluated over the store, keeps hosts
     * apart, and each host's recorded series arrived.
     */
    @Test
    @Order(2)
    void dashboardQueries_andRecordingRules_returnDataPerHostFromTheStore() throws Exception {
        GrafanaDashboard dashboard = GrafanaDashboard.load(DashboardStructureTest.DASHBOARD);
        List<String> problems = new ArrayList<>();
        Instant deadline = Instant.now().plus(DEADLINE);
        do {
            problems.clear();
            for (Map.Entry<String, QueryApi> store : stores().entrySet()) {
                for (GrafanaDashboard.Query query : dashboard.queries()) {
                    String what = store.getKey() + ": " + query.panelTitle() + " " + query.refId();
                    for (String host : HOSTS) {
                        check(
                                problems,
                                store.getValue(),
                                what,
                                query.expr(),
                                List.of(host),
                                mustHaveData(query.expr()));
                    }
                    check(
                            problems,
                            store.getValue(),
                            what + " (all hosts)",
                            query.expr(),
                            HOSTS,
                            mustHaveData(query.expr()));
                }
                for (RuleFiles.Rule rule : RuleFiles.recordingRules()) {
                    boolean needed = rule.name().startsWith("instance:node_");
                    String what = store.getKey() + ": rule " + rule.name();
                    check(problems, store.getValue(), what + " (expr)", rule.expr(), HOSTS, needed);
                    for (String host : HOSTS) {
                        check(
                                problems,
                                store.getValue(),
                                what + " (recorded)",
                                rule.name() + "{host=~\"$host\"}",
                                List.of(host),
                                needed);
                    }
                }
            }
            if (!problems.isEmpty()) {
                Thread.sleep(2000);
            }
        } while (!problems.isEmpty() && Instant.now().isBefore(deadline));
        assertTrue(problems.isEmpty(), problems.size() + " problems:\n" + String.join("\n", problems));
    }

    /** Panels of what each host runs here; GPU, notebook, training and container panels may be empty. */
    private static boolean mustHaveData(String expr) {
        return expr.contains("node_")
                || expr.startsWith("up")
                || expr.contains("sidecar_")
                || expr.contains("scrape_duration")
                || expr.contains("process_resident")
                || expr.contains("jvm_");
    }

    private static void check(
            List<String> problems,
            QueryApi store,
            String what,
            String expr,
            List<String> selectedHosts,
            boolean needsData)
            throws Exception {
        Map<String, List<String>> values = new LinkedHashMap<>();
        values.put("host", selectedHosts);
        values.put("instance", List.of(".*"));
        values.put("gpu", List.of(".*"));
        values.put("notebook", List.of(".*"));
        // the other variables on "All", which is Grafana's allValue .*; QueryTemplate escapes values, so undo it
        String expanded = new QueryTemplate(values, "10s", "5m").expand(expr).replace("\\\\.\\\\*", ".*");
        JsonNode answer = store.query(expanded);
        if (!"success".equals(answer.path("status").asText())) {
            problems.add(what + ": rejected: " + answer.path("error").asText() + "\n    " + expanded);
            return;
        }
        Set<String> seen = new TreeSet<>();
        for (JsonNode series : answer.path("data").path("result")) {
            String host = series.path("metric").path("host").asText("");
            if (!selectedHosts.contains(host)) {
                problems.add(what + ": a series without one of the chosen hosts " + selectedHosts + ": "
                        + series.path("metric"));
                return;
            }
            seen.add(host);
        }
        if (needsData && !seen.equals(new TreeSet<>(selectedHosts))) {
            problems.add(what + ": data for " + seen + ", expected " + selectedHosts + "\n    " + expanded);
        }
    }

    /**
     * Both stores go down for 60 s (VictoriaMetrics with {@code --no-monitoring --role central}, the
     * central Prometheus by its process) and come back on the same data: each holds afterwards every
     * sample that each host's own Prometheus scraped in the meantime.
     */
    @Test
    @Order(3)
    void storesDown60s_thenBack_loseNoSampleOfTheOutage() throws Exception {
        Instant down = Instant.now();
        stopVictoriaMetrics();
        centralPrometheus.close();
        Thread.sleep(OUTAGE.toMillis());
        Instant up = Instant.now();
        startVictoriaMetrics();
        startCentralPrometheus();

        // from before the stores went down to after they came back, all of it in the past by then
        Instant end = up.plusSeconds(3);
        Duration window = Duration.between(down.minusSeconds(5), end);
        for (String host : HOSTS) {
            String selector = "up{job=\"prometheus\", host=\"" + host + "\"}";
            waitFor("the present", Duration.ofSeconds(30), () -> Instant.now().isAfter(end.plusSeconds(1)));
            List<Long> kept = hosts.get(host).prometheus().sampleTimes(selector, end, window);
            long inOutage = kept.stream()
                    .filter(t -> t > down.toEpochMilli() + 2000 && t < up.toEpochMilli())
                    .count();
            assertTrue(
                    inOutage >= OUTAGE.toSeconds() / 2,
                    host + " scraped only " + inOutage + " times during the outage");
            for (Map.Entry<String, QueryApi> store : stores().entrySet()) {
                List<Long> shipped = new ArrayList<>();
                waitFor(host + "'s backlog in " + store.getKey(), DEADLINE, () -> {
                    shipped.clear();
                    shipped.addAll(store.getValue().sampleTimes(selector, end, window));
                    return shipped.size() >= kept.size();
                });
                assertEquals(
                        kept, shipped, host + ": " + store.getKey() + " differs from what the host's Prometheus kept");
            }
        }
    }

    /** Stopping one host leaves the other's series flowing into each store. */
    @Test
    @Order(9)
    void oneHostStopped_leavesTheOtherFlowing() throws Exception {
        hosts.get("gpu-b").stop();
        Instant stopped = Instant.now();
        // the 5 s from 5 s after gpu-b went, asked once each store shows that time (VictoriaMetrics
        // hides the last 10 s, its -search.latencyOffset)
        Instant at = stopped.plusSeconds(10);
        waitFor(
                "the stores to show 10 s after gpu-b stopped",
                Duration.ofSeconds(60),
                () -> Instant.now().isAfter(at.plusSeconds(11)));
        for (Map.Entry<String, QueryApi> store : stores().entrySet()) {
            JsonNode a = store.getValue()
                    .query("count_over_time(up{job=\"prometheus\", host=\"gpu-a\"}[5s])", at)
                    .path("data")
                    .path("result");
            JsonNode b = store.getValue()
                    .query("count_over_time(up{job=\"prometheus\", host=\"gpu-b\"}[5s])", at)
                    .path("data")
                    .path("result");
            assertTrue(
                    a.path(0).path("value").path(1).asDouble() >= 3, store.getKey() + ": gpu-a stopped flowing: " + a);
            assertTrue(b.isEmpty(), store.getKey() + ": gpu-b is stopped, yet new samples arrive: " + b);
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private void waitFor(String what, Duration timeout, Condition condition) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.holds()) {
            if (Instant.now().isAfter(deadline)) {
                StringBuilder logs = new StringBuilder();
                hosts.values().forEach(h -> logs.append(h.logs()));
                logs.append(log(centralState.resolve("logs/victoria-metrics.log")));
                fail("gave up waiting for " + what + " after " + timeout.toSeconds() + " s\n" + logs);
            }
            Thread.sleep(1000);
        }
    }

    private static String log(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return "\n--- " + file + "\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }
}
