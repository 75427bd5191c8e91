package dev.researchmon.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The kernel against today's Jupyter, inside the research image on Debian trixie: Jupyter's
 * conformance suite 0.7, the kernel's jupyter_client checks on jupyter_client 8 (the same Python
 * scripts the kernel module runs on bookworm's jupyter_client 7), the usage reply against
 * ipykernel 6.29's, the notebook's name from a Jupyter Server 2 session, and nbconvert 7 executing
 * the example notebooks with their metrics reaching Prometheus under their notebook's name. Each
 * Python module runs through the kernel's run_suite.py, so a failure names the Python test.
 */
@ExtendWith(SharedResearchContainer.class)
class TodaysJupyterIT {
    static ResearchContainer research;

    @BeforeAll
    static void start(ResearchContainer shared) {
        research = shared;
    }

    @Test
    void theContainer_runsTodaysJupyter() throws Exception {
        Container.Exit versions = research.exec(
                Duration.ofMinutes(1),
                "python3",
                "-c",
                "import jupyter_kernel_test, jupyter_client, nbconvert, nbclient, jupyter_server, jupyterlab;"
                        + "print('kernel_test', jupyter_kernel_test.__version__); print('client', jupyter_client.__version__);"
                        + "print('nbconvert', nbconvert.__version__); print('server', jupyter_server.__version__);"
                        + "print('lab', jupyterlab.__version__)");
        assertEquals(0, versions.code(), versions.output());
        String out = versions.output();
        assertTrue(out.matches("(?s).*kernel_test 0\\.7\\..*"), out);
        assertTrue(out.matches("(?s).*client 8\\..*"), out);
        assertTrue(out.matches("(?s).*nbconvert 7\\..*"), out);
        assertTrue(out.matches("(?s).*server 2\\..*"), out);
        assertTrue(out.matches("(?s).*lab 4\\..*"), out);
    }

    @Test
    void conformanceSuite07_passesEveryTest() throws Exception {
        research.pythonSuite("test_conformance", "", Duration.ofMinutes(5)).assertEveryTestPassed(12);
    }

    @Test
    void jupyterClient8_interruptExitUsageStreamingErrorsAndClasspath() throws Exception {
        research.pythonSuite("test_client_behaviour", ResearchContainer.testJarSetup(), Duration.ofMinutes(8))
                .assertEveryTestPassed(17);
    }

    @Test
    void usageReply_matchesWhatTheUsagePanelReads_andIpykernel629() throws Exception {
        research.pythonSuite("test_resource_usage", "", Duration.ofMinutes(4)).assertEveryTestPassed(4);
    }

    /**
     * A session opened on the image's Jupyter Server 2 as JupyterLab opens one: the kernel reports
     * under the notebook's path relative to the server's root (found through the server's
     * jpserver-*.json), not the absolute JPY_SESSION_NAME the server also gives it, and follows a rename.
     */
    @Test
    void jupyterServer2Session_labelsTheKernelsSeriesWithTheNotebook_andFollowsARename() throws Exception {
        research.pythonSuite("test_server_identity", "", Duration.ofMinutes(3)).assertEveryTestPassed(1);
    }

    /**
     * One nbconvert run per notebook, from the folder that holds it, as a researcher runs one: the
     * kernel then names its series after the notebook on nbconvert's command line. A cell tagged
     * {@code raises-exception} (querying's deliberate failure) is the only error output allowed.
     */
    @Test
    void nbconvert7_executesTheExampleNotebooks_andTheirMetricsReachPrometheus() throws Exception {
        Container.Exit version = research.exec(Duration.ofMinutes(1), "jupyter", "nbconvert", "--version");
        assertTrue(version.output().strip().startsWith("7."), "not nbconvert 7: " + version.output());
        // training-djl.ipynb is left out: %maven fetches DJL from Maven Central, which a container
        // here cannot reach (HTTPS certificate checks fail on these machines)
        for (String notebook : List.of("quickstart.ipynb", "training.ipynb", "querying.ipynb")) {
            Container.Exit run = research.exec(
                    Duration.ofMinutes(4),
                    "bash",
                    "-c",
                    String.join(
                            " && ",
                            "cd ~/work && cp " + ResearchContainer.NOTEBOOKS + "/" + notebook + " .",
                            "jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=180"
                                    + " --ExecutePreprocessor.startup_timeout=120 --output-dir /tmp/executed "
                                    + notebook));
            assertEquals(0, run.code(), notebook + ":\n" + run.output());
            Container.Exit errors = research.exec(
                    Duration.ofMinutes(1),
                    "python3",
                    "-c",
                    "import json; nb = json.load(open('/tmp/executed/" + notebook + "'));"
                            + "print([o.get('ename') for c in nb['cells'] if 'raises-exception' not in c['metadata'].get('tags', [])"
                            + " for o in c.get('outputs', []) if o['output_type'] == 'error'])");
            assertEquals("[]", errors.output().strip(), notebook + " has unexpected error outputs");
        }
        // series leave the sidecar when nbconvert shuts the kernel down: what Prometheus scraped before
        assertEquals(20, reached("ml_batches_processed_total{notebook=\"quickstart.ipynb\"}"));
        assertEquals(15, reached("training_epochs_total{notebook=\"training.ipynb\"}"));
        assertEquals(
                1,
                reached("notebook_cells_executed_total{notebook=\"querying.ipynb\",status=\"error\"}"),
                "querying's deliberate failure, counted under its notebook");
        assertTrue(reached("notebook_cells_executed_total{notebook=\"querying.ipynb\",status=\"ok\"}") >= 5);
    }

    private static double reached(String selector) throws Exception {
        return research.prometheus().awaitValue("max_over_time(" + selector + "[10m])", Duration.ofSeconds(60));
    }
}
