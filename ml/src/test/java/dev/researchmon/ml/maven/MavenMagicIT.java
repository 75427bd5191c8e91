package dev.researchmon.ml.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.magics.api.Display;
import dev.researchmon.magics.api.MagicCall;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Needs the packaged build: the DJL listener jar is embedded at prepare-package. */
class MavenMagicIT {
    @TempDir
    Path tmp;

    @Test
    void maven_djlApiResolved_addsTheTrainingListenerJarOnce() throws Exception {
        TempRepository remote = new TempRepository(tmp.resolve("remote"));
        remote.put("ai.djl:api:0.36.0");
        remote.put("org.example:uses-djl:1.0", "ai.djl:api:0.36.0");
        MavenMagic magic = new MavenMagic(new ArtifactResolver(tmp.resolve("local"), List.of(remote.root.toUri())));
        RecordingContext kernel = new RecordingContext();

        Display shown =
                magic.execute(new MagicCall("maven", "ai.djl:api:0.36.0", List.of("ai.djl:api:0.36.0"), null), kernel);
        magic.execute(
                new MagicCall("maven", "org.example:uses-djl:1.0", List.of("org.example:uses-djl:1.0"), null), kernel);

        assertEquals(3, kernel.classPath.size(), kernel.classPath.toString());
        Path listenerJar = kernel.classPath.get(1);
        try (JarFile jar = new JarFile(listenerJar.toFile())) {
            assertNotNull(jar.getEntry("dev/researchmon/ml/djl/PrometheusTrainingListener.class"));
            assertTrue(
                    jar.stream().noneMatch(e -> e.getName().startsWith("dev/researchmon/ml/training/")),
                    "the listener jar must not carry classes the kernel already has");
        }
        assertTrue(shown.data().get("text/plain").contains("PrometheusTrainingListener"), shown.toString());
    }
}
