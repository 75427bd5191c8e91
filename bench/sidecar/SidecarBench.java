/*
 * Load and measurement driver for the sidecar benchmark (run by bench/sidecar/run.sh, which starts
 * the sidecar, node_exporter and Prometheus). Single-file program:
 *   java -cp sidecar/target/metrics-sidecar.jar bench/sidecar/SidecarBench.java \
 *       SIDECAR_PORT TOKEN_FILE SIDECAR_PID PROMETHEUS_PORT KERNELS SECONDS [usual|limits]
 *
 * "limits" fills the sidecar to its default limits instead, as an adversary would: KERNELS kernels
 * of 2,000 series each (more than the 50,000 in all when KERNELS > 25), every series with a
 * 256-character label value and a 100-character one, notebook paths of 250 characters; what the
 * exposition bound (16 MiB at the launcher's heap) does not hold is dropped.
 *
 * 50 kernels (threads, each with its own client_java registry and ReportClient) report every 5 s as
 * kernels do. After 200 warm-up scrapes it scrapes /metrics once a second for SECONDS seconds, sampling the
 * sidecar's CPU time and RSS from /proc, then runs 1000 back-to-back scrapes for a finer latency
 * distribution, then asks Prometheus for scrape_duration_seconds of the sidecar and of
 * node_exporter over the same window.
 */
import dev.researchmon.report.KernelReport;
import dev.researchmon.report.MetricFamily;
import dev.researchmon.report.MetricPoint;
import dev.researchmon.report.MetricType;
import dev.researchmon.report.ReportClient;
import dev.researchmon.report.ReportMapper;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

public class SidecarBench {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  public static void main(String[] args) throws Exception {
    int sidecarPort = Integer.parseInt(args[0]);
    Path tokenFile = Path.of(args[1]);
    long sidecarPid = Long.parseLong(args[2]);
    int prometheusPort = Integer.parseInt(args[3]);
    int kernels = Integer.parseInt(args[4]);
    int seconds = Integer.parseInt(args[5]);
    boolean limits = args.length > 6 && args[6].equals("limits");

    ReportClient client = new ReportClient(URI.create("http://127.0.0.1:" + sidecarPort), tokenFile);
    ScheduledExecutorService reporters = Executors.newScheduledThreadPool(4);
    AtomicLong reports = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    long pid = ProcessHandle.current().pid();
    for (int k = 0; k < kernels; k++) {
      String id = String.format("bench-kernel-%02d", k);
      PrometheusRegistry registry = kernelRegistry(k);
      List<MetricFamily> atLimits = limits ? longLabelled(k) : null;
      String notebook = limits ? "work/" + "a-long-project-folder/".repeat(11) + id + ".ipynb"
          : "bench/" + id + ".ipynb";
      AtomicLong seq = new AtomicLong();
      Runnable report = () -> {
        try {
          client.report(new KernelReport(id, notebook, pid, seq.incrementAndGet(),
              limits ? atLimits : ReportMapper.fromSnapshots(registry.scrape())));
          reports.incrementAndGet();
        } catch (Exception e) {
          failures.incrementAndGet();
        }
      };
      // At the limits a report is ~1 MB: as a kernel's reporter does, the next one waits for the
      // previous (a fixed rate would queue them up back to back once the sidecar falls behind).
      if (limits) {
        reporters.scheduleWithFixedDelay(report, k * 100L, 5000, TimeUnit.MILLISECONDS);
      } else {
        reporters.scheduleAtFixedRate(report, k * 100L, 5000, TimeUnit.MILLISECONDS);
      }
    }
    Thread.sleep(limits ? 15000 : 6000); // every kernel has reported once

    String metricsUrl = "http://127.0.0.1:" + sidecarPort + "/metrics";
    String first = get(metricsUrl);
    long series = first.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).count();

    for (int i = 0; i < (limits ? 20 : 200); i++) {
      get(metricsUrl); // warm-up: a long-running sidecar has compiled its scrape path
    }
    List<Double> paced = new ArrayList<>();
    List<Long> rss = new ArrayList<>();
    long cpuStart = cpuTicks(sidecarPid);
    long wallStart = System.nanoTime();
    long promStart = System.currentTimeMillis() / 1000;
    for (int i = 0; i < seconds; i++) {
      long t0 = System.nanoTime();
      get(metricsUrl);
      paced.add((System.nanoTime() - t0) / 1e6);
      rss.add(rssKb(sidecarPid));
      Thread.sleep(Math.max(0, 1000 - (System.nanoTime() - t0) / 1_000_000));
    }
    double cpuSeconds = (cpuTicks(sidecarPid) - cpuStart) / 100.0; // USER_HZ = 100 on Linux
    double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
    long promEnd = System.currentTimeMillis() / 1000;

    List<Double> burst = new ArrayList<>();
    for (int i = 0; i < (limits ? 100 : 1000); i++) {
      long t0 = System.nanoTime();
      get(metricsUrl);
      burst.add((System.nanoTime() - t0) / 1e6);
    }
    reporters.shutdownNow();

    System.out.printf("mode=%s kernels=%d series_in_scrape=%d scrape_bytes=%d reports_ok=%d reports_failed=%d%n",
        limits ? "limits" : "usual", kernels, series, first.length(), reports.get(), failures.get());
    System.out.printf("burst median per MB served: %.1f ms/MB%n", pct(burst, 50) / (first.length() / 1e6));
    System.out.printf("paced (1/s, n=%d): median %.2f ms, p99 %.2f ms, max %.2f ms%n",
        paced.size(), pct(paced, 50), pct(paced, 99), Collections.max(paced));
    System.out.printf("burst (back-to-back, n=%d): median %.2f ms, p99 %.2f ms%n",
        burst.size(), pct(burst, 50), pct(burst, 99));
    System.out.printf("sidecar CPU at 1 scrape/s + %d kernels reporting every 5 s: %.2f%% of one core%n",
        kernels, 100 * cpuSeconds / wallSeconds);
    List<Double> rssMb = rss.stream().map(kb -> kb / 1024.0).toList();
    System.out.printf("sidecar RSS: median %.1f MB, max %.1f MB%n", pct(rssMb, 50), Collections.max(rssMb));

    String prom = "http://127.0.0.1:" + prometheusPort;
    int window = (int) (promEnd - promStart);
    for (String job : List.of("research", "node")) {
      String sel = "scrape_duration_seconds{job=\"" + job + "\"}[" + window + "s]";
      double p50 = promScalar(prom, "quantile_over_time(0.5, " + sel + ")", promEnd);
      double p99 = promScalar(prom, "quantile_over_time(0.99, " + sel + ")", promEnd);
      double n = promScalar(prom, "count_over_time(" + sel + ")", promEnd);
      System.out.printf("prometheus scrape_duration_seconds job=%s: median %.2f ms, p99 %.2f ms (n=%.0f)%n",
          job, p50 * 1000, p99 * 1000, n);
    }
    System.exit(0);
  }

  /** What a busy kernel holds: the built-in notebook metrics plus a few user metrics. */
  static PrometheusRegistry kernelRegistry(int k) {
    PrometheusRegistry r = new PrometheusRegistry();
    Counter cells = Counter.builder().name("notebook_cells_executed_total").help("cells")
        .labelNames("status").register(r);
    cells.labelValues("ok").inc(10 + k);
    cells.labelValues("error").inc(k % 3);
    Histogram d = Histogram.builder().name("notebook_cell_duration_seconds").help("cell time")
        .classicUpperBounds(0.01, 0.1, 1, 10, 60, 600).register(r);
    for (int i = 0; i < 20; i++) {
      d.observe(i * 0.37);
    }
    Gauge loss = Gauge.builder().name("training_loss").help("loss").labelNames("split").register(r);
    loss.labelValues("train").set(0.1 * k);
    loss.labelValues("val").set(0.2 * k);
    Counter steps = Counter.builder().name("training_steps_total").help("steps").register(r);
    steps.inc(1000 * k);
    return r;
  }

  /** 2,000 series of a gauge, each with a 256-character label value and a 100-character one. */
  static List<MetricFamily> longLabelled(int kernel) {
    List<MetricPoint> points = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("dataset", String.format("%08d-%03d-", i, kernel) + "d".repeat(256 - 13));
      labels.put("run", "r".repeat(100));
      points.add(MetricPoint.ofValue(labels, i));
    }
    return List.of(new MetricFamily("user_long_labelled_value", "A user metric with long labels.", null,
        MetricType.GAUGE, points));
  }

  static String get(String url) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
        .header("Accept", "text/plain").build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + r.statusCode());
    }
    return r.body();
  }

  static double promScalar(String prom, String query, long time) throws Exception {
    String body = get(prom + "/api/v1/query?time=" + time + "&query="
        + URLEncoder.encode(query, StandardCharsets.UTF_8));
    int i = body.indexOf("\"value\":[");
    if (i < 0) {
      return Double.NaN;
    }
    String rest = body.substring(i);
    String v = rest.substring(rest.indexOf(",\"") + 2);
    return Double.parseDouble(v.substring(0, v.indexOf('"')));
  }

  static long cpuTicks(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
  }

  static long rssKb(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  static double pct(List<Double> values, double p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, idx)));
  }
}
