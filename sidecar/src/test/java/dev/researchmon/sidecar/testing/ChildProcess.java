package dev.researchmon.sidecar.testing;

import java.io.BufferedReader;
import java.nio.file.Path;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A process a test started, with its merged output kept for failure messages, stopped by its own
 * handle (destroy, then destroyForcibly).
 *
 * <pre>{@code
 * try (ChildProcess p = ChildProcess.start(List.of("java", "-jar", jar), Map.of())) {
 *   p.awaitLine(l -> l.contains("listening"), Duration.ofSeconds(20));
 * }
 * }</pre>
 */
public final class ChildProcess implements AutoCloseable {
  private final Process process;
  private final List<String> lines = new ArrayList<>();

  private ChildProcess(Process process) {
    this.process = process;
    Thread reader = new Thread(this::pump, "child-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  public static ChildProcess start(List<String> command, Map<String, String> env) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    return new ChildProcess(builder.start());
  }

  /** A JVM running {@code mainClass} on this test JVM's class path. */
  public static ChildProcess java(String mainClass, List<String> args, Map<String, String> env)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx64m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(args);
    return start(command, env);
  }

  /** A JVM running {@code -jar jar}. */
  public static ChildProcess javaJar(String jar, List<String> args, Map<String, String> env)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx128m", "-XX:+UseSerialGC", "-jar", jar));
    command.addAll(args);
    return start(command, env);
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private void pump() {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }

  /** The first output line matching, waiting up to {@code timeout}. */
  public String awaitLine(Predicate<String> match, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lines) {
      int seen = 0;
      while (true) {
        for (; seen < lines.size(); seen++) {
          if (match.test(lines.get(seen))) {
            return lines.get(seen);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || (!process.isAlive() && seen == lines.size())) {
          throw new AssertionError("no matching line from pid " + process.pid() + " (alive="
              + process.isAlive() + "); output:\n" + output());
        }
        lines.wait(Math.max(1, Math.min(200, TimeUnit.NANOSECONDS.toMillis(left))));
      }
    }
  }

  public String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  public long pid() {
    return process.pid();
  }

  public Process process() {
    return process;
  }

  /** SIGKILL, as a crashing kernel would die. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }
}
