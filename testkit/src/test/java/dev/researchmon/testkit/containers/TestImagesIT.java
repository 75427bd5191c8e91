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
        assertEquals("nobody", podman.podman("run", "--rm", "--entrypoint", "id", images.get("alertmanager"), "-un").strip(),
                "parts run unprivileged");
        for (String standIn : TestImages.STAND_IN_PARTS) {
            assertTrue(podman.tryPodman("image", "exists", images.get(standIn)).ok(), standIn);
        }
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
        return podman.podmanOnImages(Duration.ofMinutes(1), "image", "inspect", "--format", "{{.Id}}", image).strip();
    }
}
