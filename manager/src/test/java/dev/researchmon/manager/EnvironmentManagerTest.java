package dev.researchmon.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's answers to bad input; nothing here starts a part of the stack. */
class EnvironmentManagerTest {
    @TempDir
    Path state;

    record Result(int code, String out, String err) {}

    /**
     * Runs the manager with this test's own state folder: a dockerHost or ports that the user's
     * {@code ~/.local/share/research-monitor/stack/stack.json} remembers must not win over the test's.
     */
    private Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> ownState = new java.util.HashMap<>();
        ownState.put("RESEARCH_MONITOR_STATE", state.resolve("stack").toString());
        ownState.put("RESEARCH_MONITOR_HOME", state.resolve("home").toString());
        ownState.putAll(env);
        int code = EnvironmentManager.run(args, ownState, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    private Result run(String... args) {
        return run(Map.of(), args);
    }

    @Test
    void unknownFlag_isRejectedWithItsNameAndAHint() {
        Result r = run("--enable-monitoring", "--monitoring-everything");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Unknown option: '--monitoring-everything'"), r.err());
        assertTrue(r.err().contains("--help"), r.err());
    }

    @Test
    void noAction_orTwoActions_areRejected() {
        Result none = run("--runtime", "local");
        assertEquals(2, none.code());
        assertTrue(none.err().contains("--enable-monitoring"), none.err());
        Result both = run("--enable-monitoring", "--no-monitoring");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("mutually exclusive"), both.err());
    }

    @Test
    void unknownRuntime_namesTheChoices() {
        Result r = run("--status", "--runtime", "kubernetes");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("auto, docker, local"), r.err());
    }

    @Test
    void portOutOfRange_isRejectedBeforeAnythingRuns() {
        Result r = run(
                "--enable-monitoring",
                "--runtime",
                "local",
                "--state-dir",
                state.toString(),
                "--prometheus-port",
                "70000");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--prometheus-port must be a port number in 1..65535, not 70000"), r.err());
    }

    @Test
    void passwordOnCommandLine_isWarnedAboutWithTheQuietWay() {
        Result r =
                run("--status", "--runtime", "local", "--state-dir", state.toString(), "--grafana-password", "hunter2");
        assertTrue(r.err().contains("process list") || r.err().contains("ps, /proc"), r.err());
        assertTrue(r.err().contains("GRAFANA_PASSWORD"), r.err());
        assertFalse(r.err().contains("hunter2"), "the warning must not repeat the password");

        Result quiet = run(
                Map.of("GRAFANA_PASSWORD", "hunter2"),
                "--status",
                "--runtime",
                "local",
                "--state-dir",
                state.toString());
        assertFalse(quiet.err().contains("warning"), quiet.err());
    }

    @Test
    void dockerRuntime_withNoSocket_isAClearErrorNotAStackTrace() {
        String host = "unix://" + state.resolve("absent.sock");
        Result r = run("--status", "--runtime", "docker", "--docker-host", host);
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no Docker API answers at " + host), r.err());
        assertTrue(r.err().contains("--runtime local"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void dockerRuntime_withASocketThatNeverAnswers_givesUpWithAClearError() throws IOException {
        Path socket = state.resolve("silent.sock");
        List<SocketChannel> accepted = new ArrayList<>();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(server.accept()); // accept, then say nothing
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long start = System.nanoTime();
            Result r = run(Map.of("DOCKER_HOST", "unix://" + socket), "--no-monitoring", "--runtime", "docker");
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertEquals(1, r.code(), r.out() + r.err());
            assertTrue(r.err().contains("no Docker API answers at unix://" + socket), r.err());
            assertTrue(seconds < 30, "gave up after " + seconds + " s");
        } finally {
            for (SocketChannel c : accepted) {
                c.close();
            }
        }
    }

    @Test
    void status_withoutGrafana_saysWhereToLookAtTheDashboard() {
        int port = 19090;
        Result r = run(
                "--status",
                "--runtime",
                "local",
                "--state-dir",
                state.toString(),
                "--prometheus-port",
                Integer.toString(port));
        assertTrue(r.out().contains("grafana        not available"), r.out());
        assertTrue(r.out().contains("Grafana is not available, so the dashboard is elsewhere:"), r.out());
        assertTrue(r.out().contains("in a notebook:   %dashboard"), r.out());
        assertTrue(
                r.out()
                        .contains("http://127.0.0.1:" + port
                                + "/graph   (Prometheus's own graph page) once Prometheus runs"),
                r.out());
    }

    @Test
    void autoRuntime_withoutADockerApi_fallsBackToLocalProcesses() {
        Result r = run(
                Map.of("DOCKER_HOST", "unix://" + state.resolve("absent.sock")),
                "--status",
                "--state-dir",
                state.toString());
        assertTrue(r.out().contains("running the stack as local processes"), r.out());
        assertTrue(r.out().contains("runtime: local"), r.out());
        assertTrue(r.out().contains("grafana        not available"), r.out());
        assertEquals(3, r.code(), "a stopped stack is not healthy");
    }

    @Test
    void missingComposeFile_isAClearError() {
        Result r = run(
                "--status",
                "--runtime",
                "local",
                "--compose-file",
                state.resolve("nope.yaml").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no stack description at"), r.err());
    }

    @Test
    void remoteWriteOptions_inAWrongCombination_areUsageErrors() throws IOException {
        java.nio.file.Path token = java.nio.file.Files.writeString(state.resolve("token"), "t");
        String[] base = {"--status", "--runtime", "local", "--state-dir", state.toString()};
        assertUsage(
                "--remote-write-* options need --remote-write URL",
                base,
                "--remote-write-bearer-token-file",
                token.toString());
        assertUsage(
                "choose one way to authenticate",
                base,
                "--remote-write",
                "http://c/api/v1/write",
                "--remote-write-bearer-token-file",
                token.toString(),
                "--remote-write-basic-auth-user",
                "u",
                "--remote-write-password-file",
                token.toString());
        assertUsage(
                "go together", base, "--remote-write", "http://c/api/v1/write", "--remote-write-basic-auth-user", "u");
        assertUsage(
                "is not a readable file",
                base,
                "--remote-write",
                "http://c/api/v1/write",
                "--remote-write-bearer-token-file",
                state.resolve("absent").toString());
        assertUsage("--host must be a host name", base, "--host", "gpu a");
        assertUsage("http:// or https://", base, "--remote-write", "central:8428");
    }

    @Test
    void noOption_takesASecretItself_onlyFilesThatHoldIt() {
        // the one exception predates remote write and is warned about (passwordOnCommandLine_...)
        picocli.CommandLine.Model.CommandSpec spec = new picocli.CommandLine(new EnvironmentManager(
                        Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())))
                .getCommandSpec();
        for (picocli.CommandLine.Model.OptionSpec option : spec.options()) {
            String name = option.longestName();
            if ((name.contains("token") || name.contains("password")) && !name.equals("--grafana-password")) {
                assertTrue(name.endsWith("-file"), name + " would put a secret on the command line");
            }
        }
    }

    @Test
    void credentialsOverPlainHttp_toAnotherMachine_areWarnedAbout() throws IOException {
        java.nio.file.Path token = java.nio.file.Files.writeString(state.resolve("token"), "t");
        Result r = run(
                "--status",
                "--runtime",
                "local",
                "--state-dir",
                state.toString(),
                "--remote-write",
                "http://central.example:8428/api/v1/write",
                "--remote-write-bearer-token-file",
                token.toString());
        assertTrue(r.err().contains("unencrypted; use https"), r.err());
    }

    @Test
    void centralRole_refusesHostOptions_andBadStoreSettings() throws IOException {
        String[] base = {"--status", "--runtime", "local", "--state-dir", state.toString(), "--role", "central"};
        assertUsage("--host and --remote-write* are for each host", base, "--remote-write", "http://c/api/v1/write");
        assertUsage("--host and --remote-write* are for each host", base, "--host", "gpu-a");
        assertUsage("--store-retention must be a duration", base, "--store-retention", "forever");
        assertUsage("--store-port must be a port number", base, "--store-port", "0");
    }

    @Test
    void centralRole_statusOfAStoppedStore_saysStopped() {
        Result r = run("--status", "--runtime", "local", "--state-dir", state.toString(), "--role", "central");
        assertEquals(3, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("victoria-metrics"), r.out());
        assertTrue(r.out().contains("stopped"), r.out());
    }

    @Test
    void centralRole_statusWithoutFlags_namesThePasswordFileTheStoreWasEnabledWith() {
        Path password = state.resolve("elsewhere/store-password");
        new SettingsFile(state)
                .write(StackSettings.NONE.withCentral(new StackSettings.Central(
                        "local", null, null, 18429, "127.0.0.1", "30d", "lab", password.toString(), null, null)));
        Result r = run("--status", "--state-dir", state.toString(), "--role", "central");
        assertEquals(3, r.code(), r.out() + r.err());
        assertTrue(r.out().startsWith("runtime: local"), "the remembered runtime:\n" + r.out());
        assertTrue(r.out().contains("http://127.0.0.1:18429/health"), r.out());
        assertTrue(
                r.out().contains("--remote-write-basic-auth-user lab --remote-write-password-file " + password),
                r.out());
    }

    @Test
    void twoPartsGivenOnePort_areRefusedBeforeAnythingStarts() throws IOException {
        Result r = run(
                "--enable-monitoring",
                "--runtime",
                "local",
                "--state-dir",
                state.toString(),
                "--prometheus-port",
                "19464",
                "--sidecar-port",
                "19464");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("prometheus and sidecar are both given port 19464"), r.err());
        assertTrue(r.err().contains("--prometheus-port, --sidecar-port"), r.err());
        assertFalse(r.out().contains("started"), r.out());
        try (java.util.stream.Stream<Path> left = java.nio.file.Files.list(state)) {
            assertEquals(List.of(), left.toList(), "nothing started, nothing written");
        }
        // a port given to one part that another keeps by default is the same mistake
        Result byDefault = run(
                "--enable-monitoring", "--runtime", "local", "--state-dir", state.toString(), "--jupyter-port", "9090");
        assertEquals(2, byDefault.code(), byDefault.out() + byDefault.err());
        assertTrue(byDefault.err().contains("prometheus and jupyter are both given port 9090"), byDefault.err());
    }

    @Test
    void withoutFlags_statusMeansTheRememberedStack_andShowsStoppedPartsAtTheirUrls() {
        new SettingsFile(state)
                .write(new StackSettings(
                        "local", null, null, Map.of("prometheus", 19191, "sidecar", 19464), null, null, null));
        Result r = run(
                Map.of("DOCKER_HOST", "unix://" + state.resolve("absent.sock")),
                "--status",
                "--state-dir",
                state.toString());
        assertEquals(3, r.code(), r.out() + r.err());
        assertTrue(r.out().startsWith("runtime: local"), "the remembered runtime, not auto's choice:\n" + r.out());
        assertTrue(r.out().contains("prometheus     stopped        http://127.0.0.1:19191/-/ready"), r.out());
        assertTrue(r.out().contains("sidecar        stopped        http://127.0.0.1:19464/-/healthy"), r.out());
        Result moved = run("--status", "--state-dir", state.toString(), "--prometheus-port", "19192");
        assertTrue(moved.out().contains("http://127.0.0.1:19192/-/ready"), "a flag given wins:\n" + moved.out());
    }

    @Test
    void rememberedRemoteWrite_whoseTokenFileHasGone_stopsEnableBeforeAnythingStarts_butNotStatusOrDisable() {
        Path gone = state.resolve("gone.token");
        new SettingsFile(state)
                .write(new StackSettings(
                        "local",
                        null,
                        null,
                        Map.of("prometheus", 19191),
                        null,
                        new StackSettings.Shipping(
                                "gpu-a",
                                List.of("https://central.lab:8428/api/v1/write"),
                                gone.toString(),
                                null,
                                null,
                                null,
                                "5s"),
                        null));
        Result enable = run("--enable-monitoring", "--state-dir", state.toString());
        assertEquals(1, enable.code(), enable.out() + enable.err());
        assertTrue(enable.err().contains(gone + " is not a readable file"), enable.err());
        assertTrue(enable.err().contains("remembered in " + state.resolve("stack.json")), enable.err());
        assertTrue(enable.err().contains("--no-remote-write"), enable.err());
        assertFalse(java.nio.file.Files.exists(state.resolve("run")), "nothing started");
        assertEquals(3, run("--status", "--state-dir", state.toString()).code(), "status still answers");
        Result off = run("--no-monitoring", "--state-dir", state.toString());
        assertEquals(0, off.code(), off.out() + off.err());
        assertUsage(
                "contradict each other",
                new String[] {"--status", "--state-dir", state.toString()},
                "--no-remote-write",
                "--remote-write",
                "https://c/api/v1/write");
    }

    @Test
    void unreadableRememberedState_isAClearError() throws IOException {
        java.nio.file.Files.writeString(state.resolve("stack.json"), "{ not json");
        Result r = run("--status", "--state-dir", state.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(state.resolve("stack.json") + " is not readable settings"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    private void assertUsage(String expected, String[] base, String... more) {
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(more))
                .toArray(String[]::new);
        Result r = run(args);
        assertEquals(2, r.code(), String.join(" ", args) + "\n" + r.out() + r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }
}
