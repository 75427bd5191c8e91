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

    private Chromium() {}

    /**
     * Opens {@code page} in a {@code width} x {@code height} px window, saves a PNG of it, and
     * returns the DOM as the browser serialises it after parsing and laying the page out. One
     * browser start for both: it is the slow part.
     */
    static String open(Path page, Path png, int width, int height, Path workDir)
            throws IOException, InterruptedException {
        Path dom = workDir.resolve("dom.html");
        Files.deleteIfExists(png);
        run(
                List.of(
                        "--window-size=" + width + "," + height,
                        "--hide-scrollbars",
                        "--screenshot=" + png,
                        "--dump-dom",
                        page.toUri().toString()),
                workDir,
                dom);
        if (!Files.isRegularFile(png)) {
            throw new IOException("chromium wrote no screenshot of " + page + ":\n"
                    + Files.readString(workDir.resolve("chromium.log")));
        }
        return Files.readString(dom, StandardCharsets.UTF_8);
    }

    private static void run(List<String> args, Path workDir, Path stdout) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: bin/setup installs Debian's chromium");
        }
        Path profile = Files.createTempDirectory(workDir, "chromium-profile");
        List<String> command = new ArrayList<>(List.of(
                BINARY.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile));
        command.addAll(args);
        Path log = workDir.resolve("chromium.log");
        Process p = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(log.toFile())
                .start();
        try {
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException("chromium " + args + " failed:\n" + Files.readString(log));
            }
        } finally {
            ManagedProcess.stop(p.toHandle());
        }
    }
}
