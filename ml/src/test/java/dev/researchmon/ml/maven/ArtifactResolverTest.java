package dev.researchmon.ml.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.testkit.FreePort;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real resolutions with Maven Resolver against repositories the tests write into temp folders. */
class ArtifactResolverTest {
    @TempDir
    Path tmp;

    @Test
    void resolve_bringsTransitiveDependenciesIntoTheLocalRepository() throws Exception {
        TempRepository remote = new TempRepository(tmp.resolve("remote"));
        remote.put("org.example:app:1.0", "org.example:lib:2.0");
        remote.put("org.example:lib:2.0", "org.example:base:3.0");
        remote.put("org.example:base:3.0");
        Path local = tmp.resolve("local");

        List<ResolvedJar> jars = new ArtifactResolver(local, List.of(remote.root.toUri()))
                .resolve(List.of(MavenCoordinates.parse("org.example:app:1.0")));

        assertEquals(
                List.of("org.example:app:1.0", "org.example:lib:2.0", "org.example:base:3.0"),
                jars.stream().map(j -> j.coordinates().toString()).toList());
        for (ResolvedJar jar : jars) {
            assertTrue(jar.path().startsWith(local), jar.path() + " is not in the local repository");
            assertTrue(Files.size(jar.path()) > 0);
        }
    }

    @Test
    void resolve_usesTheLocalRepositoryWhenTheNetworkIsDown() throws Exception {
        TempRepository local = new TempRepository(tmp.resolve("local"));
        local.put("org.example:cached:1.0");

        List<ResolvedJar> jars = new ArtifactResolver(local.root, List.of(closedPort()))
                .resolve(List.of(MavenCoordinates.parse("org.example:cached:1.0")));

        assertEquals(1, jars.size());
    }

    @Test
    void resolve_missingArtifact_saysWhichAndWhere() throws Exception {
        TempRepository remote = new TempRepository(tmp.resolve("remote"));
        remote.put("org.example:present:1.0");

        ResolutionException e = assertThrows(
                ResolutionException.class,
                () -> new ArtifactResolver(tmp.resolve("local"), List.of(remote.root.toUri()))
                        .resolve(List.of(MavenCoordinates.parse("org.example:absent:9.9"))));

        assertTrue(e.getMessage().startsWith("artifact not found: org.example:absent"), e.getMessage());
    }

    @Test
    void resolve_unreachableRepository_saysNoNetwork() throws Exception {
        ResolutionException e = assertThrows(
                ResolutionException.class,
                () -> new ArtifactResolver(tmp.resolve("local"), List.of(closedPort()))
                        .resolve(List.of(MavenCoordinates.parse("org.example:anything:1.0"))));

        assertTrue(e.getMessage().startsWith("cannot reach"), e.getMessage());
        assertTrue(e.getMessage().contains("no network?"), e.getMessage());
    }

    /** A loopback port that nothing listens on: connections are refused, as with no network. */
    private static URI closedPort() {
        return URI.create("http://127.0.0.1:" + FreePort.loopback() + "/maven2/");
    }
}
