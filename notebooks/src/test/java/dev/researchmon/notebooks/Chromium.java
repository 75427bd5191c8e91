package dev.researchmon.notebooks;

import dev.researchmon.testkit.ManagedProcess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless, as a reader's browser: the DOM of a page after it has been parsed
 * and laid out ({@code --dump-dom}), and a screenshot of it. Each run gets a fresh profile, and
 * the flags that keep it off the network this machine does not have.
 */
final class Chromium {
    static final Path BINARY = Path.of("/usr/bin/chromium");

    private Chromium() {
    }

    /** The page's DOM as the browser serialises it after loading {@code page}. */
    static String dumpDom(Path page, Path workDir) throws IOException, InterruptedException {
        Path out = workDir.resolve("dom.html");
        run(List.of("--dump-dom", page.toUri().toString()), workDir, out);
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** A PNG of the top {@code height} px of {@code page} in a {@code width} px wide window. */
    static void screenshot(Path page, Path png, int width, int height, Path workDir) throws IOException, InterruptedException {
        run(List.of("--screenshot=" + png, "--window-size=" + width + "," + height, "--hide-scrollbars",
                page.toUri().toString()), workDir, workDir.resolve("screenshot.log"));
        if (!Files.isRegularFile(png)) {
            throw new IOException("chromium wrote no screenshot:\n" + Files.readString(workDir.resolve("screenshot.log")));
        }
    }

    private static void run(List<String> args, Path workDir, Path stdout) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: bin/setup installs Debian's chromium");
        }
        Path profile = Files.createTempDirectory(workDir, "chromium-profile");
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile,
                // the exported page names scripts on a CDN this machine cannot reach: give up on them soon
                "--virtual-time-budget=10000"));
        command.addAll(args);
        Path log = workDir.resolve("chromium.log");
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(log.toFile()).start();
        try {
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException("chromium " + args + " failed:\n" + Files.readString(log));
            }
        } finally {
            ManagedProcess.stop(p.toHandle());
        }
    }
}
