package dev.researchmon.jupyter;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * JupyterLab 4 of the research image, in Debian's Chromium (headless, through chromium-driver):
 * a new Java notebook from the launcher, then what a researcher does in it, each step checked from
 * the rendered page. Screenshots of every step stay in {@code target/browser-screenshots/jupyterlab/}.
 * The steps are those of {@link NotebookInBrowserTests}.
 */
@ExtendWith(SharedResearchContainer.class)
class JupyterLabBrowserIT extends NotebookInBrowserTests {
    static final Path SCREENSHOTS = Path.of("target/browser-screenshots/jupyterlab");

    static HeadlessChromium browser;
    static NotebookInBrowser notebook;

    @BeforeAll
    static void start(ResearchContainer research) throws Exception {
        assertTrue(HeadlessChromium.installed(), "Debian's chromium and chromium-driver are missing: run bin/setup");
        browser = HeadlessChromium.start(SCREENSHOTS);
        NotebookPage lab = JupyterLabPage.open(browser.driver(), research.jupyterUrl(), research.token());
        notebook = new NotebookInBrowser(browser, lab, research.prometheus());
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    @Override
    NotebookInBrowser notebook() {
        return notebook;
    }
}
