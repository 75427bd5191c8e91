package dev.researchmon.ml.maven;

import java.nio.file.Path;

/**
 * One jar that a resolution produced.
 *
 * @param coordinates the artifact, with the version that conflict resolution picked
 * @param path        the jar in the local repository
 */
public record ResolvedJar(MavenCoordinates coordinates, Path path) {}
