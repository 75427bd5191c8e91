package dev.researchmon.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.report.KernelReport;
import dev.researchmon.report.MetricFamily;
import dev.researchmon.report.MetricPoint;
import dev.researchmon.report.MetricType;
import dev.researchmon.report.ReportAck;
import dev.researchmon.report.ReportCodec;
import dev.researchmon.report.SidecarEndpoints;
import dev.researchmon.report.TokenFile;
import dev.researchmon.testkit.FreePort;
import dev.researchmon.testkit.ManagedProcess;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar as {@code bin/metrics-sidecar} runs it (the launcher's heap, default limits), filled
 * as an adversary would: more kernels and series than the limits allow, every label value as long
 * as allowed, long notebook paths. Every scrape must still answer whole and valid.
 */
class LimitsIT {
    private static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));
    /** Kernels that each report the per-kernel bound (2,000 series): more than the 50,000 in all. */
    private static final int FULL_KERNELS = 30;
    /** Kernels past the 500 kernels the sidecar tracks. */
    private static final int SMALL_KERNELS = 480;
    /** What a sidecar at its limits may take in memory (heap and all the JVM's other parts). */
    private static final long RSS_BOUND_KB = 256 * 1024;

    private static final Pattern SERIES_GAUGE = Pattern.compile("(?m)^sidecar_notebook_series (\\S+)$");

    @TempDir
    static Path tmp;

    private static ManagedProcess sidecar;
    private static int port;
    private static String token;
    private static final List<ReportAck> acks = new ArrayList<>();

    @BeforeAll
    static void fill() throws Exception {
        port = FreePort.loopback();
        sidecar = ManagedProcess.start(
                "sidecar",
                List.of(
                        ROOT.resolve("bin/metrics-sidecar").toString(),
                        "--port",
                        Integer.toString(port),
                        "--no-collector.gpu",
                        "--kernel-ttl",
                        "3600"), // filling on a loaded machine may take long
                Map.of(SidecarEndpoints.HOME_ENV, tmp.toString()),
                tmp.resolve("logs"));
        sidecar.awaitLine(Pattern.compile("metrics-sidecar listening on.*"), Duration.ofSeconds(30));
        token = TokenFile.read(tmp.resolve(SidecarEndpoints.TOKEN_FILE_NAME));
        long pid = ProcessHandle.current().pid();
        String deepPath = "work/" + "a-rather-long-folder-name/".repeat(20);
        for (int k = 0; k < FULL_KERNELS; k++) {
            acks.add(post(
                    token,
                    new KernelReport(
                            String.format("kernel-%03d-%s", k, "f".repeat(100)),
                            deepPath + "notebook-" + k + ".ipynb",
                            pid,
                            1,
                            List.of(longLabelled(k, 2000)))));
        }
        for (int k = 0; k < SMALL_KERNELS; k++) {
            acks.add(post(
                    token,
                    new KernelReport(
                            "small-" + k, deepPath + "small-" + k + ".ipynb", pid, 1, List.of(longLabelled(k, 1)))));
        }
    }

    /**
     * A report as {@link dev.researchmon.report.ReportClient} sends it, but with a timeout for
     * megabyte bodies on a loaded machine rather than the client's 2 s meant for kernels.
     */
    private static ReportAck post(String token, KernelReport report) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + SidecarEndpoints.reportPath(report.kernelId())))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ReportCodec.encode(report)))
                .build();
        HttpResponse<byte[]> answer =
                dev.researchmon.sidecar.testing.Http.CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(
                200,
                answer.statusCode(),
                () -> new String(answer.body(), StandardCharsets.UTF_8) + "\n" + sidecar.logTail(30));
        return ReportCodec.read(answer.body(), ReportAck.class);
    }

    @AfterAll
    static void stop() {
        if (sidecar != null) {
            sidecar.close();
        }
    }

    /** A gauge family whose every series has a label value of the longest length allowed, and a
     * second one, as long as a report of 2,000 such series can be under the body bound (1 MiB). */
    private static MetricFamily longLabelled(int kernel, int series) {
        List<MetricPoint> points = new ArrayList<>(series);
        for (int i = 0; i < series; i++) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("dataset", String.format("%08d-%03d-", i, kernel) + "d".repeat(256 - 13));
            labels.put("run", "r".repeat(100));
            points.add(MetricPoint.ofValue(labels, i));
        }
        return new MetricFamily(
                "user_long_labelled_value", "A user metric with long labels.", null, MetricType.GAUGE, points);
    }

    private static HttpResponse<byte[]> scrape(String accept, boolean gzip) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(60))
                .header("Accept", accept);
        if (gzip) {
            r.header("Accept-Encoding", "gzip");
        }
        return dev.researchmon.sidecar.testing.Http.CLIENT.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> response) throws Exception {
        byte[] body = response.body();
        if (response.headers().firstValue("Content-Encoding").orElse("").equals("gzip")) {
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
                body = in.readAllBytes();
            }
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Whole: the series the sidecar says it holds are all there, and the last line is complete. */
    private static void assertComplete(String exposition) {
        Matcher held = SERIES_GAUGE.matcher(exposition);
        assertTrue(held.find(), "sidecar_notebook_series missing: scrape cut short?");
        long expected = (long) Double.parseDouble(held.group(1));
        long found = exposition
                .lines()
                .filter(l -> l.startsWith("user_long_labelled_value{"))
                .count();
        assertEquals(expected, found, "series lines against sidecar_notebook_series");
        assertTrue(exposition.endsWith("\n"), "last line complete");
    }

    @Test
    void reportsPastTheLimits_areAnsweredAndCountedNotFatal() throws Exception {
        assertEquals(FULL_KERNELS + SMALL_KERNELS, acks.size());
        String metrics = text(scrape("text/plain", false));
        List<String> own = metrics.lines().filter(l -> l.startsWith("sidecar_")).toList();
        assertTrue(metrics.contains("sidecar_kernels 500.0"), "500 kernels at most: " + own);
        for (String reason : List.of("too_many_kernels", "exposition_bytes")) {
            Matcher m = Pattern.compile("sidecar_report_series_dropped_total\\{reason=\"" + reason + "\"} (\\S+)")
                    .matcher(metrics);
            assertTrue(
                    m.find() && Double.parseDouble(m.group(1)) > 0,
                    reason + " drops expected:\n"
                            + metrics.lines()
                                    .filter(l -> l.startsWith("sidecar_"))
                                    .toList());
        }
        Matcher bytes = Pattern.compile("(?m)^sidecar_notebook_exposition_bytes (\\S+)$")
                .matcher(metrics);
        assertTrue(bytes.find());
        assertTrue(
                metrics.getBytes(StandardCharsets.UTF_8).length > Double.parseDouble(bytes.group(1)) / 2,
                "the held series are served");
    }

    @Test
    void everyScrapeAtTheLimits_isWholeAndValid_andMemoryStaysBounded() throws Exception {
        String promtoolInput = null;
        // Four readers at once, in every format, and a writer, several rounds: more than the HTTP pool
        // serves together.
        ExecutorService readers = Executors.newFixedThreadPool(5);
        try {
            for (int round = 0; round < 4; round++) {
                List<Future<String>> scrapes = new ArrayList<>();
                scrapes.add(readers.submit(() -> check(scrape("text/plain", false))));
                scrapes.add(readers.submit(() -> check(scrape("text/plain", true))));
                scrapes.add(readers.submit(
                        () -> check(scrape("application/openmetrics-text; version=1.0.0; charset=utf-8", true))));
                // and a kernel reports again meanwhile, as kernels do between scrapes
                int kernel = round;
                scrapes.add(readers.submit(() -> {
                    post(
                            token,
                            new KernelReport(
                                    String.format("kernel-%03d-%s", kernel, "f".repeat(100)),
                                    "again.ipynb",
                                    ProcessHandle.current().pid(),
                                    2,
                                    List.of(longLabelled(kernel, 2000))));
                    return null;
                }));
                scrapes.add(readers.submit(() -> {
                    HttpResponse<byte[]> pb = scrape(
                            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited",
                            false);
                    assertEquals(200, pb.statusCode());
                    assertTrue(pb.body().length > 100_000, "protobuf scrape holds the series: " + pb.body().length);
                    return null;
                }));
                for (Future<String> f : scrapes) {
                    String body = f.get();
                    if (body != null && promtoolInput == null && !body.endsWith("# EOF\n")) {
                        promtoolInput = body;
                    }
                }
            }
        } finally {
            readers.shutdownNow();
        }
        MetricsExpositionIT.assertPromtoolAccepts(promtoolInput);
        assertTrue(sidecar.isAlive(), sidecar.logTail(20));
        assertFalse(Files.readString(sidecar.logFile()).contains("OutOfMemoryError"), sidecar.logTail(40));
        long rssKb = rssKb(sidecar.pid());
        assertTrue(rssKb < RSS_BOUND_KB, "RSS " + rssKb + " kB over " + RSS_BOUND_KB + " kB");
        System.out.println("LimitsIT: sidecar RSS " + rssKb + " kB at the limits");
    }

    private static String check(HttpResponse<byte[]> response) throws Exception {
        assertEquals(200, response.statusCode());
        String body = text(response);
        assertComplete(body);
        if (response.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text")) {
            assertTrue(body.endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
        }
        return body;
    }

    private static long rssKb(long pid) throws Exception {
        // the launcher execs java, so its pid is the JVM's
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new AssertionError("no VmRSS for " + pid);
    }
}
