package dev.researchmon.ml.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.magics.api.Display;
import dev.researchmon.magics.api.MagicCall;
import dev.researchmon.magics.api.MagicException;
import dev.researchmon.magics.api.MagicUsageException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MavenMagicTest {
    @TempDir
    Path tmp;

    private TempRepository remote;
    private MavenMagic magic;
    private final RecordingContext kernel = new RecordingContext();

    @BeforeEach
    void repositories() throws Exception {
        remote = new TempRepository(tmp.resolve("remote"));
        remote.put("org.example:app:1.0", "org.example:lib:2.0");
        remote.put("org.example:lib:2.0");
        remote.put("org.example:lib:3.0");
        remote.put("org.example:other:1.0", "org.example:lib:2.0");
        magic = new MavenMagic(new ArtifactResolver(tmp.resolve("local"), List.of(remote.root.toUri())));
    }

    @Test
    void maven_addsTheArtifactAndItsDependenciesToTheKernel() throws Exception {
        Display shown = run("org.example:app:1.0");

        assertEquals(List.of("app-1.0.jar", "lib-2.0.jar"), fileNames(kernel.classPath));
        assertTrue(shown.data().get("text/plain").startsWith("added 2 jars"), shown.toString());
    }

    @Test
    void maven_sameArtifactAgain_addsNothing() throws Exception {
        run("org.example:app:1.0");
        Display shown = run("org.example:app:1.0");

        assertEquals(2, kernel.classPath.size());
        assertTrue(shown.data().get("text/plain").contains("not added again: 2"), shown.toString());
    }

    @Test
    void maven_dependencyAlreadyBroughtByAnother_isNotAddedTwice() throws Exception {
        run("org.example:app:1.0");
        run("org.example:other:1.0");

        assertEquals(List.of("app-1.0.jar", "lib-2.0.jar", "other-1.0.jar"), fileNames(kernel.classPath));
    }

    @Test
    void maven_otherVersionOfALoadedArtifact_isRefusedWithARestartHint() throws Exception {
        run("org.example:app:1.0");

        MagicException e = assertThrows(MagicException.class, () -> run("org.example:lib:3.0"));

        assertEquals(
                "org.example:lib:2.0 is already loaded in this kernel; restart the kernel to use version 3.0",
                e.getMessage());
        assertEquals(2, kernel.classPath.size());
    }

    @Test
    void maven_noArguments_answersWithUsage() {
        MagicUsageException e = assertThrows(MagicUsageException.class, () -> run());
        assertEquals(
                "usage: " + magic.usage() + " (needs at least one GROUP:ARTIFACT:VERSION[:CLASSIFIER])",
                e.getMessage());
    }

    @Test
    void maven_badCoordinate_answersWithWhatIsWrongAndUsage() {
        MagicUsageException e = assertThrows(MagicUsageException.class, () -> run("org.example:app"));
        assertTrue(
                e.getMessage().startsWith("usage: " + magic.usage() + " (bad Maven coordinate 'org.example:app'"),
                e.getMessage());
    }

    @Test
    void maven_missingArtifact_saysNotFoundAndAddsNothing() {
        MagicException e = assertThrows(MagicException.class, () -> run("org.example:app:1.0", "org.example:gone:1.0"));
        assertTrue(e.getMessage().startsWith("artifact not found: org.example:gone:jar:1.0"), e.getMessage());
        assertEquals(List.of(), kernel.classPath);
    }

    private Display run(String... args) throws MagicException {
        return magic.execute(new MagicCall("maven", String.join(" ", args), List.of(args), null), kernel);
    }

    private static List<String> fileNames(List<Path> paths) {
        return paths.stream().map(p -> p.getFileName().toString()).toList();
    }
}
