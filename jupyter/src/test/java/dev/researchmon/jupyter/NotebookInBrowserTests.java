package dev.researchmon.jupyter;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The browser steps as tests, the same for every front end: a subclass starts its Jupyter and the
 * browser in {@code @BeforeAll} and hands back the {@link NotebookInBrowser} that drives them. The
 * steps build on each other (one notebook, one kernel), hence the order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class NotebookInBrowserTests {
    /** The steps on this class's front end, set up by its {@code @BeforeAll}. */
    abstract NotebookInBrowser notebook();

    @Test
    @Order(1)
    void newNotebook_opensOnTheJavaKernel() throws Exception {
        notebook().opensANewJavaNotebook();
    }

    @Test
    @Order(2)
    void monitoringOn_isConfirmedInTheNotebook() throws Exception {
        notebook().monitoringOn_saysSo();
    }

    @Test
    @Order(3)
    void counterCell_showsItsValue_andItsSeriesCarriesTheNotebooksName() throws Exception {
        notebook().counterCell_showsItsValue_andReachesPrometheus();
        notebook().seriesCarryTheNotebookTheServerOpened();
    }

    @Test
    @Order(4)
    void metrics_rendersATable() throws Exception {
        notebook().metricsTable_rendersTheCounter();
    }

    @Test
    @Order(5)
    void metricsPlot_rendersAnSvgChartWithPoints() throws Exception {
        notebook().metricsPlot_drawsAChartWithPoints();
    }

    @Test
    @Order(6)
    void dashboard_renders() throws Exception {
        notebook().dashboard_renders();
    }

    @Test
    @Order(7)
    void tab_offersToUpperCase() throws Exception {
        notebook().completion_offersToUpperCase();
    }

    @Test
    @Order(8)
    void interruptFromTheToolbar_returnsTheKernelToIdle() throws Exception {
        notebook().interruptFromToolbar_bringsTheKernelBackToIdle();
    }
}
