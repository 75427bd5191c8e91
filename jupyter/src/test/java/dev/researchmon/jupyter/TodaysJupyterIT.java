package dev.researchmon.jupyter;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel against today's Jupyter, inside the research image on Debian trixie: Jupyter's
 * conformance suite 0.7, the kernel's jupyter_client checks on jupyter_client 8 (the same Python
 * scripts the kernel module runs on bookworm's jupyter_client 7), the usage reply against
 * ipykernel 6.29's, and nbconvert 7 executing the example notebooks with their metrics reaching
 * Prometheus under their notebook's name.
 */
class TodaysJupyterIT {
    @TempDir
    static Path dir;
    static ResearchContainer research;

    @BeforeAll
    static void start() throws Exception {
        research = ResearchContainer.start(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (research != null) {
            research.close();
        }
    }

    @Test
    void theContainer_runsTodaysJupyter() throws Exception {
        Container.Exit versions = research.exec(Duration.ofMinutes(1), "python3", "-c",
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
    void conformanceSuite07_passesEveryTestThatAppliesToJava() throws Exception {
        Container.Exit r = research.shell(Duration.ofMinutes(5), "python3 -m unittest -v test_conformance");
        assertEquals(0, r.code(), r.output());
        Matcher ran = Pattern.compile("Ran (\\d+) tests").matcher(r.output());
        assertTrue(ran.find() && Integer.parseInt(ran.group(1)) >= 12, r.output());
        assertTrue(r.output().contains("\nOK\n"), "a conformance test was skipped or failed\n" + r.output());
    }

    @Test
    void jupyterClient8_interruptExitUsageStreamingErrorsAndClasspath() throws Exception {
        // the %classpath check needs a jar the kernel has never seen: made here with the image's JDK
        Container.Exit r = research.shell(Duration.ofMinutes(8), String.join(" && ",
                "lib=$(mktemp -d) && mkdir -p $lib/src/testlib",
                "echo 'package testlib; public class Greeter { public String greet() { return \"hello from a jar\"; } }'"
                        + " > $lib/src/testlib/Greeter.java",
                "javac -d $lib/classes $lib/src/testlib/Greeter.java",
                "jar cf $lib/greeter.jar -C $lib/classes .",
                "RESEARCH_TEST_JAR=$lib/greeter.jar python3 -m unittest -v test_client_behaviour"));
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("\nOK\n"), "a jupyter_client check was skipped or failed\n" + r.output());
    }

    @Test
    void usageReply_matchesWhatTheUsagePanelReads_andIpykernel629() throws Exception {
        Container.Exit r = research.shell(Duration.ofMinutes(4), "python3 -m unittest -v test_resource_usage");
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("Ran 4 tests") && r.output().contains("\nOK\n"), r.output());
    }

    @Test
    void nbconvert7_executesTheExampleNotebooks_andTheirMetricsReachPrometheus() throws Exception {
        // training-djl.ipynb is left out: %maven fetches DJL from Maven Central, which a container
        // here cannot reach (HTTPS certificate checks fail on these machines)
        Container.Exit r = research.exec(Duration.ofMinutes(8), "bash", "-c", String.join(" && ",
                "cd ~/work && cp " + ResearchContainer.NOTEBOOKS + "/{quickstart,training,querying}.ipynb .",
                "jupyter nbconvert --version",
                "jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=180"
                        + " --ExecutePreprocessor.startup_timeout=120 --output-dir /tmp/executed"
                        + " quickstart.ipynb training.ipynb querying.ipynb"));
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().lines().anyMatch(l -> l.startsWith("7.")), "not nbconvert 7:\n" + r.output());
        for (String notebook : new String[]{"quickstart", "training", "querying"}) {
            Container.Exit errors = research.exec(Duration.ofMinutes(1), "python3", "-c",
                    "import json, sys; nb = json.load(open('/tmp/executed/" + notebook + ".ipynb'));"
                            + "print([o.get('ename') for c in nb['cells'] for o in c.get('outputs', []) if o['output_type'] == 'error'])");
            assertEquals("[]", errors.output().trim(), notebook + " has error outputs");
        }
        double cells = research.prometheus().awaitValue(
                "sum(notebook_cells_executed_total{notebook=~\".*quickstart.ipynb\"})", Duration.ofSeconds(60));
        assertTrue(cells > 0, "quickstart's cells did not reach Prometheus with its notebook label");
        assertFalse(research.prometheus().query("ml_batches_processed_total{notebook=~\".*quickstart.ipynb\"}")
                .path("data").path("result").isEmpty(), "quickstart's own Counter did not reach Prometheus");
    }
}
