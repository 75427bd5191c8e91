package dev.researchmon.manager.central;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.manager.EnvironmentManager;
import dev.researchmon.manager.local.VictoriaMetricsPart;
import dev.researchmon.testkit.FreePort;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The central store as a new user brings it up, {@code --enable-monitoring --role central} with
 * nothing else (on loopback and a free port, in its own state folder): Debian's VictoriaMetrics 1.79,
 * closed. Every endpoint the issue found open refuses a caller without credentials or with wrong
 * ones, and a series written with the credentials beforehand is still there afterwards. The
 * password is nowhere a user or a log reader could see it, and a second enable reuses it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CentralStoreAuthIT {
    static final String SERIES = "issue25_survivor";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Every endpoint the issue saw answer without credentials; the admin ones last. */
    record Endpoint(String method, String path, boolean admin) {}

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("POST", "/api/v1/import/prometheus", false),
            new Endpoint("GET", "/api/v1/query?query=" + SERIES, false),
            new Endpoint("GET", "/api/v1/query_range?query=" + SERIES + "&start=0&end=1&step=1", false),
            new Endpoint("GET", "/api/v1/series?match[]=" + SERIES, false),
            new Endpoint("GET", "/api/v1/labels", false),
            new Endpoint("GET", "/api/v1/export?match[]=" + SERIES, false),
            new Endpoint("POST", "/api/v1/admin/tsdb/delete_series?match[]=" + SERIES, true),
            new Endpoint("GET", "/snapshot/create", true),
            new Endpoint("GET", "/snapshot/list", true),
            new Endpoint("GET", "/internal/force_merge", true),
            new Endpoint("GET", "/internal/resetRollupResultCache", true),
            new Endpoint("GET", "/flags", true),
            new Endpoint("GET", "/metrics", true),
            new Endpoint("GET", "/debug/pprof/", true));

    private Path state;
    private int port;
    private String password;
    private String adminKey;
    private final List<String> printed = new ArrayList<>();

    @BeforeAll
    void enableWithDefaults() throws Exception {
        assertTrue(
                Files.isExecutable(VictoriaMetricsPart.VICTORIA_METRICS),
                "install Debian's victoria-metrics (bin/setup)");
        state = Files.createTempDirectory("central-auth-");
        port = FreePort.loopback();
        String output = manager("--enable-monitoring");
        assertTrue(output.contains("monitoring is on"), output);
        password = Files.readString(state.resolve("store-password"));
        adminKey = Files.readString(state.resolve("store-admin-key"));
        assertTrue(
                output.contains("--remote-write-basic-auth-user research --remote-write-password-file "
                        + state.resolve("store-password")),
                output);
        assertTrue(output.contains("copy " + state.resolve("store-password") + " to each host"), output);

        String body = SERIES + "{job=\"issue25\"} 42\n";
        assertEquals(
                204,
                send("POST", "/api/v1/import/prometheus", basic("research", password), body)
                        .statusCode());
        awaitSurvivor();
    }

    @AfterAll
    void disable() throws IOException {
        manager("--no-monitoring");
    }

    @Test
    @Order(1)
    void everyEndpoint_refusesNoCredentialsAndWrongOnes_andTheSeriesSurvives() throws Exception {
        List<String> opened = new ArrayList<>();
        for (Endpoint endpoint : ENDPOINTS) {
            String wrongKey = (endpoint.path().contains("?") ? "&" : "?") + "authKey=wrong-" + adminKey.substring(0, 4);
            Map<String, HttpResponse<String>> answers = Map.of(
                    "no credentials", send(endpoint.method(), endpoint.path(), null, ""),
                    "a wrong password",
                            send(endpoint.method(), endpoint.path() + wrongKey, basic("research", "wrong"), ""),
                    "a wrong user",
                            send(endpoint.method(), endpoint.path() + wrongKey, basic("intruder", password), ""));
            answers.forEach((how, answer) -> {
                if (answer.statusCode() != 401 && answer.statusCode() != 403) {
                    opened.add(endpoint.method() + " " + endpoint.path() + " with " + how + ": " + answer.statusCode());
                }
            });
            if (endpoint.admin()) {
                // a host holds the password: it alone must not erase history or read the store's insides
                HttpResponse<String> hostOnly =
                        send(endpoint.method(), endpoint.path(), basic("research", password), "");
                if (hostOnly.statusCode() / 100 == 2) {
                    opened.add(endpoint.method() + " " + endpoint.path() + " with the hosts' password alone: "
                            + hostOnly.statusCode());
                }
            }
        }
        assertTrue(opened.isEmpty(), "answered without the right credentials:\n" + String.join("\n", opened));
        awaitSurvivor();
    }

    @Test
    @Order(2)
    void theAdminKey_opensTheAdminEndpoints() throws Exception {
        assertEquals(
                200,
                send("GET", "/snapshot/list?authKey=" + adminKey, basic("research", password), "")
                        .statusCode());
        assertEquals(200, send("GET", "/metrics?authKey=" + adminKey, null, "").statusCode());
    }

    @Test
    @Order(3)
    void thePassword_isOnNoCommandLine_inNoFileOfTheStateFolder_inNoLog_andNotInStatus() throws Exception {
        printed.add(manager("--status"));
        for (String secret : List.of(password, adminKey)) {
            String which = secret.equals(password) ? "the password" : "the admin key";
            try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
                for (Path process : processes
                        .filter(p -> p.getFileName().toString().matches("[0-9]+"))
                        .toList()) {
                    String cmdline;
                    try {
                        cmdline = Files.readString(process.resolve("cmdline"), StandardCharsets.ISO_8859_1);
                    } catch (IOException gone) {
                        continue;
                    }
                    assertFalse(
                            cmdline.contains(secret),
                            which + " is on the command line of " + process + ": " + cmdline.replace('\0', ' '));
                }
            }
            try (Stream<Path> files = Files.walk(state)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String name = file.getFileName().toString();
                    if (name.equals("store-password")
                            || name.equals("store-admin-key")
                            || file.startsWith(state.resolve("victoria-metrics/data"))) {
                        continue;
                    }
                    assertFalse(
                            Files.readString(file, StandardCharsets.ISO_8859_1).contains(secret),
                            which + " is in " + file);
                }
            }
            assertTrue(Files.isRegularFile(state.resolve("logs/victoria-metrics.log")));
            for (String output : printed) {
                assertFalse(output.contains(secret), which + " was printed:\n" + output);
            }
        }
    }

    @Test
    @Order(4)
    void aSecondEnable_andARestart_keepThePassword() throws Exception {
        String again = manager("--enable-monitoring");
        assertTrue(again.contains("already running"), again);
        assertFalse(again.contains("made a random password"), again);
        assertEquals(password, Files.readString(state.resolve("store-password")));
        manager("--no-monitoring");
        String restarted = manager("--enable-monitoring");
        assertTrue(restarted.contains("monitoring is on"), restarted);
        assertEquals(password, Files.readString(state.resolve("store-password")));
        assertEquals(adminKey, Files.readString(state.resolve("store-admin-key")));
        awaitSurvivor(); // read with the same password, from the same data
    }

    /** The series written at the start is there, read with the credentials. */
    private void awaitSurvivor() throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        HttpResponse<String> export;
        do {
            export = send("GET", "/api/v1/export?match[]=" + SERIES, basic("research", password), "");
            if (export.statusCode() == 200 && export.body().contains("\"" + SERIES + "\"")) {
                return;
            }
            Thread.sleep(500);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError(SERIES + " is gone: " + export.statusCode() + " " + export.body());
    }

    private String manager(String action) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = EnvironmentManager.run(
                new String[] {
                    action,
                    "--runtime",
                    "local",
                    "--role",
                    "central",
                    "--state-dir",
                    state.toString(),
                    "--store-bind",
                    "127.0.0.1",
                    "--store-port",
                    String.valueOf(port),
                    "--timeout",
                    "60"
                },
                Map.of(),
                new PrintWriter(out),
                new PrintWriter(err));
        String output = action + " (exit " + code + ")\n" + out + err;
        printed.add(output);
        return output;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> send(String method, String path, String authorization, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
