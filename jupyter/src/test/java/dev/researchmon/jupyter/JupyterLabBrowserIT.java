package dev.researchmon.jupyter;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JupyterLab 4 of the research image, in Debian's Chromium (headless, through chromium-driver):
 * a new Java notebook from the launcher, then what a researcher does in it, each step checked from
 * the rendered page. Screenshots of every step stay in {@code target/browser-screenshots/jupyterlab/}.
 * The steps build on each other (one notebook, one kernel), hence the order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(SharedResearchContainer.class)
class JupyterLabBrowserIT {
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

    @Test
    @Order(1)
    void launcher_opensANewJavaNotebook() throws Exception {
        notebook.opensANewJavaNotebook();
    }

    @Test
    @Order(2)
    void monitoringOn_isConfirmedInTheNotebook() throws Exception {
        notebook.monitoringOn_saysSo();
    }

    @Test
    @Order(3)
    void counterCell_showsItsValue_andItsSeriesCarriesTheNotebooksName() throws Exception {
        notebook.counterCell_showsItsValue_andReachesPrometheus();
        notebook.seriesCarryTheNotebookTheServerOpened();
    }

    @Test
    @Order(4)
    void metrics_rendersATable() throws Exception {
        notebook.metricsTable_rendersTheCounter();
    }

    @Test
    @Order(5)
    void metricsPlot_rendersAnSvgChartWithPoints() throws Exception {
        notebook.metricsPlot_drawsAChartWithPoints();
    }

    @Test
    @Order(6)
    void dashboard_renders() throws Exception {
        notebook.dashboard_renders();
    }

    @Test
    @Order(7)
    void tab_offersToUpperCase() throws Exception {
        notebook.completion_offersToUpperCase();
    }

    @Test
    @Order(8)
    void interruptFromTheToolbar_returnsTheKernelToIdle() throws Exception {
        notebook.interruptFromToolbar_bringsTheKernelBackToIdle();
    }
}
