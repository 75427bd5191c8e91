package dev.researchmon.jupyter;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * This machine's classic notebook (Debian bookworm's notebook 6.4, as the local runtime starts it
 * where JupyterLab is not installed) in Debian's Chromium, headless through chromium-driver: a new
 * Java notebook from the dashboard's New menu, then what a researcher does in it, each step checked
 * from the rendered page. Screenshots of every step stay in {@code target/browser-screenshots/classic/}.
 * The steps are those of {@link NotebookInBrowserTests}.
 */
class ClassicNotebookBrowserIT extends NotebookInBrowserTests {
    @TempDir
    static Path dir;

    static HostJupyter jupyter;
    static HeadlessChromium browser;
    static NotebookInBrowser notebook;

    @BeforeAll
    static void start() throws Exception {
        assertTrue(HeadlessChromium.installed(), "Debian's chromium and chromium-driver are missing: run bin/setup");
        jupyter = HostJupyter.start(dir);
        browser = HeadlessChromium.start(Path.of("target/browser-screenshots/classic"));
        NotebookPage page = ClassicNotebookPage.open(browser.driver(), jupyter.url(), jupyter.token());
        notebook = new NotebookInBrowser(browser, page, jupyter.prometheus());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (jupyter != null) {
                jupyter.close();
            }
        }
    }

    @Override
    NotebookInBrowser notebook() {
        return notebook;
    }
}
