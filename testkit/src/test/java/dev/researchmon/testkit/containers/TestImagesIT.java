package dev.researchmon.testkit.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The container tests' foundation on the machine's shared image store: a Debian trixie base made
 * from Debian's packages, the stack's parts built on it under compose.yaml's names, and a second
 * ensure that finds them made from the same inputs and builds nothing.
 */
class TestImagesIT {
    static PodmanService podman;

    @BeforeAll
    static void start() throws Exception {
        podman = PodmanService.startShared();
    }

    @AfterAll
    static void stop() {
        if (podman != null) {
            podman.close();
        }
    }

    @Test
    void base_isDebianTrixie_andRunsInTheService() throws Exception {
        String base = TestImages.ensureBase(podman);
        String osRelease = podman.podman("run", "--rm", base, "cat", "/etc/os-release");
        assertTrue(osRelease.contains("VERSION_CODENAME=trixie"), osRelease);
    }

    @Test
    void partImages_carryComposeNames_andDebiansPrometheus253() throws Exception {
        Map<String, String> images = TestImages.ensurePartImages(podman);
        assertEquals(TestImages.composeImages(TestImages.repoRoot()), images);
        String version = podman.podman("run", "--rm", images.get("prometheus"), "--version");
        assertTrue(version.contains("version 2.53."), version);
        assertEquals(
                "nobody",
                podman.podman("run", "--rm", "--entrypoint", "id", images.get("alertmanager"), "-un")
                        .strip(),
                "parts run unprivileged");
        for (String standIn : TestImages.STAND_IN_PARTS) {
            assertTrue(podman.tryPodman("image", "exists", images.get(standIn)).ok(), standIn);
        }
    }

    @Test
    void researchImage_fromTheDockerfile_runsAsResearcherWithJupyterLab4_andNbconvertRunsAJavaNotebook()
            throws Exception {
        String image = TestImages.ensureResearchImage(podman);
        // --no-healthcheck: the image's HEALTHCHECK is asserted from its config below; run here, podman
        // would try to arm a systemd timer for it and print its warnings among the command's output
        String tools = podman.podman(
                "run",
                "--rm",
                "--no-healthcheck",
                "--entrypoint",
                "/bin/sh",
                image,
                "-c",
                "id -un; jupyter lab --version; jupyter nbconvert --version; java -version 2>&1; "
                        + "ls /etc/jupyter/jupyter_server_config.d/; cat /usr/local/share/jupyter/kernels/java/kernel.json");
        assertTrue(tools.startsWith("researcher\n"), "runs as the unprivileged user: " + tools);
        assertTrue(tools.contains("\n4."), "JupyterLab 4: " + tools);
        assertTrue(tools.contains("\n7."), "nbconvert 7: " + tools);
        assertTrue(tools.contains("version \"25"), "the newest JDK the kernel supports: " + tools);
        assertTrue(
                tools.contains("jupyterlab.json") && tools.contains("nbclassic.json"),
                "JupyterLab and the classic UI are server extensions: " + tools);
        assertTrue(tools.contains("research-kernel.jar"), "the research kernel's spec: " + tools);
        assertTrue(
                podman.tryPodman(
                                "image",
                                "exists",
                                TestImages.composeImages(TestImages.repoRoot()).get("research"))
                        .ok(),
                "also under compose.yaml's name, for the manager's docker runtime");
        assertTrue(podman.podman("image", "inspect", "--format", "{{json .Config.Healthcheck}}", image)
                .contains("/-/healthy"));

        // a batch run: nbconvert starts the research kernel on the image's JDK and runs a Java cell
        String notebook = "{\"cells\":[{\"cell_type\":\"code\",\"metadata\":{},\"outputs\":[],\"execution_count\":null,"
                + "\"source\":\"System.out.println(\\\"sum=\\\" + (20 + 22));\"}],"
                + "\"metadata\":{\"kernelspec\":{\"name\":\"java\",\"display_name\":\"Java\",\"language\":\"java\"}},"
                + "\"nbformat\":4,\"nbformat_minor\":5}";
        String executed = podman.podman(
                "run",
                "--rm",
                "--no-healthcheck",
                "--entrypoint",
                "/bin/sh",
                image,
                "-c",
                "printf '%s' '" + notebook
                        + "' > /tmp/batch.ipynb && jupyter nbconvert --to notebook --execute --stdout /tmp/batch.ipynb");
        assertTrue(executed.contains("sum=42"), executed);
    }

    @Test
    void ensureAgain_buildsNothing_whenInputsAreUnchanged() throws Exception {
        Map<String, String> images = TestImages.ensurePartImages(podman);
        String before = id(images.get("node-exporter")) + id(TestImages.BASE);
        TestImages.ensurePartImages(podman);
        assertEquals(before, id(images.get("node-exporter")) + id(TestImages.BASE));
    }

    @Test
    void sharedImages_areReadOnlyToTheService_butItsContainersAreItsOwn() throws Exception {
        TestImages.ensureBase(podman);
        try (PodmanService other = PodmanService.startShared()) {
            other.podman("create", "--name", "only-in-other", TestImages.BASE, "true");
            assertTrue(other.tryPodman("container", "exists", "only-in-other").ok());
            assertTrue(!podman.tryPodman("container", "exists", "only-in-other").ok(), "containers are not shared");
            assertTrue(podman.tryPodman("image", "exists", TestImages.BASE).ok(), "images are");
        }
    }

    private static String id(String image) throws Exception {
        return podman.podmanOnImages(Duration.ofMinutes(1), "image", "inspect", "--format", "{{.Id}}", image)
                .strip();
    }
}
