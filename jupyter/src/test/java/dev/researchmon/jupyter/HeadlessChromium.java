package dev.researchmon.jupyter;

import dev.researchmon.testkit.TempDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's {@code chromium}, headless, driven through Debian's {@code chromium-driver}: both from
 * packages, nothing downloaded (Selenium is told where they are, so its driver manager never runs).
 * Screenshots go to a folder the build keeps.
 *
 * <pre>{@code
 * try (HeadlessChromium browser = HeadlessChromium.start(shots)) {
 *     browser.driver().get(url);
 *     browser.screenshot("01-launcher");
 * }
 * }</pre>
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final Path screenshots;
    private final Path profile;

    private HeadlessChromium(ChromeDriver driver, Path screenshots, Path profile) {
        this.driver = driver;
        this.screenshots = screenshots;
        this.profile = profile;
    }

    /** Whether this machine has both Debian packages ({@code bin/setup} installs them). */
    static boolean installed() {
        return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
    }

    static HeadlessChromium start(Path screenshots) throws IOException {
        Files.createDirectories(screenshots);
        Path profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments(
                "--headless=new",
                "--window-size=1440,1000",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--user-data-dir=" + profile,
                // the sandbox needs user namespaces or a setuid helper, neither of which a root CI
                // shell has; the pages are the test's own
                "--no-sandbox");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(screenshots.resolve("chromedriver.log").toFile())
                .build();
        return new HeadlessChromium(new ChromeDriver(service, options), screenshots, profile);
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Saves the page as {@code name.png} in the screenshots folder; returns the file. */
    Path screenshot(String name) throws IOException {
        return Files.write(screenshots.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            TempDirs.deleteTree(profile);
        }
    }
}
