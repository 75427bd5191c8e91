package dev.researchmon.jupyter;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * This machine's classic notebook (Debian bookworm's notebook 6.4, as the local runtime starts it
 * where JupyterLab is not installed) in Debian's Chromium, headless through chromium-driver: a new
 * Java notebook from the dashboard's New menu, then what a researcher does in it, each step checked
 * from the rendered page. Screenshots of every step stay in {@code target/browser-screenshots/classic/}.
 * The steps build on each other (one notebook, one kernel), hence the order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClassicNotebookBrowserIT {
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

    @Test
    @Order(1)
    void newMenu_opensANewJavaNotebook() throws Exception {
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
