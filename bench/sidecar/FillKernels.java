/*
 * Fills a running sidecar with KERNELS kernels of SERIES gauge series each (label "dataset" of
 * LABEL_LENGTH characters), notebook paths under NOTEBOOK_DIR, one report each; used by
 * bench/sidecar/scrape-vs-bytes.sh. Single-file program:
 *   java -cp sidecar/target/metrics-sidecar.jar bench/sidecar/FillKernels.java \
 *       PORT TOKEN_FILE KERNELS SERIES LABEL_LENGTH [NOTEBOOK_DIR]
 */
import dev.researchmon.report.*;
import java.net.URI;
import java.net.http.*;
import java.nio.file.*;
import java.time.Duration;
import java.util.*;

public class FillKernels {
  public static void main(String[] a) throws Exception {
    int port = Integer.parseInt(a[0]);
    String token = Files.readString(Path.of(a[1])).strip();
    int kernels = Integer.parseInt(a[2]);
    int series = Integer.parseInt(a[3]);
    int labelLen = Integer.parseInt(a[4]);
    String deep = a.length > 5 ? a[5] : "nb";
    HttpClient c = HttpClient.newHttpClient();
    long t0 = System.nanoTime();
    for (int k = 0; k < kernels; k++) {
      List<MetricPoint> pts = new ArrayList<>();
      for (int i = 0; i < series; i++) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("dataset", (String.format("%08d-%03d-", i, k) + "d".repeat(Math.max(0, labelLen))).substring(0, Math.max(13, labelLen)));
        pts.add(MetricPoint.ofValue(l, i));
      }
      String id = String.format("kernel-%03d-0000-0000-0000-000000000000", k);
      KernelReport r = new KernelReport(id, deep + "/nb-" + k + ".ipynb", ProcessHandle.current().pid(), 1,
          List.of(new MetricFamily("user_value", "A user metric.", null, MetricType.GAUGE, pts)));
      long s = System.nanoTime();
      HttpResponse<String> resp = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + SidecarEndpoints.reportPath(id)))
          .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(ReportCodec.encode(r))).build(), HttpResponse.BodyHandlers.ofString());
      if (k % 10 == 0) System.out.println(k + " " + resp.statusCode() + " " + resp.body() + " " + (System.nanoTime() - s) / 1_000_000 + " ms");
    }
    System.out.println("fill " + (System.nanoTime() - t0) / 1_000_000 + " ms");
  }
}
