package dev.researchmon.ml.maven;

import dev.researchmon.magics.api.Display;
import dev.researchmon.magics.api.Magic;
import dev.researchmon.magics.api.MagicCall;
import dev.researchmon.magics.api.MagicContext;
import dev.researchmon.magics.api.MagicException;
import dev.researchmon.magics.api.MagicSignature;
import dev.researchmon.magics.api.MagicUsageException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code %maven GROUP:ARTIFACT:VERSION[:CLASSIFIER] ...}: resolves the artifacts and their runtime
 * dependencies (local repository, then Maven Central) and adds the jars to the running kernel.
 *
 * <p>A jar is added once per kernel: asking again, or for a library that another one already
 * brought in, adds nothing; asking for a second version of a loaded artifact is refused, since a
 * class loader cannot hold both. When DJL ({@code ai.djl:api}) arrives, the training listener jar
 * comes with it, so {@code new dev.researchmon.ml.djl.PrometheusTrainingListener()} works at once.
 *
 * <pre>{@code
 * %maven ai.djl:api:0.36.0 ai.djl.pytorch:pytorch-engine:0.36.0
 * }</pre>
 *
 * One instance per kernel; the kernel runs one cell at a time, and the methods are synchronized
 * for the rest.
 */
public final class MavenMagic implements Magic {

    private static final MagicSignature SIGNATURE = MagicSignature.line(
                    "maven", "resolve Maven artifacts with their dependencies and add them to the kernel")
            .form(MagicSignature.form().some("GROUP:ARTIFACT:VERSION[:CLASSIFIER]"))
            .build();

    private final ArtifactResolver resolver;
    private final Set<Path> added = new HashSet<>();
    /** group:artifact[:classifier] -> version, of every jar added so far. */
    private final Map<String, String> loadedVersions = new HashMap<>();

    private final Set<Path> kernelClassPath;
    private Path listenerJar;

    public MavenMagic() {
        this(ArtifactResolver.mavenCentral());
    }

    public MavenMagic(ArtifactResolver resolver) {
        this.resolver = resolver;
        this.kernelClassPath = kernelClassPath();
    }

    @Override
    public MagicSignature signature() {
        return SIGNATURE;
    }

    @Override
    public synchronized Display execute(MagicCall call, MagicContext ctx) throws MagicException {
        List<MavenCoordinates> requested = parse(SIGNATURE.parse(call).values("GROUP:ARTIFACT:VERSION[:CLASSIFIER]"));
        List<ResolvedJar> jars;
        try {
            jars = resolver.resolve(requested);
        } catch (ResolutionException e) {
            throw new MagicException(e.getMessage(), e);
        }
        List<Path> toAdd = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (ResolvedJar jar : jars) {
            Path path = jar.path().toAbsolutePath().normalize();
            String key = jar.coordinates().versionlessKey();
            String loaded = loadedVersions.get(key);
            if (added.contains(path) || kernelClassPath.contains(path)) {
                skipped.add(jar.coordinates() + " (already loaded)");
            } else if (loaded != null && !loaded.equals(jar.coordinates().version())) {
                if (requested.stream().anyMatch(r -> r.versionlessKey().equals(key))) {
                    throw new MagicException(key + ":" + loaded + " is already loaded in this kernel;"
                            + " restart the kernel to use version "
                            + jar.coordinates().version());
                }
                skipped.add(jar.coordinates() + " (kept " + loaded + ", already loaded)");
            } else {
                toAdd.add(path);
            }
        }
        boolean withDjl = jars.stream().anyMatch(j -> isDjlApi(j.coordinates())) && listenerJar == null;
        if (withDjl) {
            toAdd.add(extractListenerJar());
        }
        if (!toAdd.isEmpty()) {
            ctx.addToClasspath(toAdd);
        }
        for (ResolvedJar jar : jars) {
            Path path = jar.path().toAbsolutePath().normalize();
            if (toAdd.contains(path)) {
                added.add(path);
                loadedVersions.put(
                        jar.coordinates().versionlessKey(), jar.coordinates().version());
            }
        }
        if (withDjl) {
            listenerJar = toAdd.get(toAdd.size() - 1);
        }
        return Display.text(report(toAdd, skipped, withDjl));
    }

    private List<MavenCoordinates> parse(List<String> args) throws MagicUsageException {
        List<MavenCoordinates> coordinates = new ArrayList<>();
        for (String arg : args) {
            try {
                coordinates.add(MavenCoordinates.parse(arg));
            } catch (IllegalArgumentException e) {
                throw SIGNATURE.error(e.getMessage());
            }
        }
        return coordinates;
    }

    private static boolean isDjlApi(MavenCoordinates c) {
        return (c.groupId() + ":" + c.artifactId()).equals(DjlListenerJar.DJL_API);
    }

    private static Path extractListenerJar() throws MagicException {
        try {
            return DjlListenerJar.extractTo(Files.createTempDirectory("researchmon-ml-"));
        } catch (IOException | RuntimeException e) {
            throw new MagicException(
                    "DJL resolved, but the training listener jar could not be added: " + e.getMessage(), e);
        }
    }

    private static String report(List<Path> added, List<String> skipped, boolean withDjl) {
        StringBuilder out = new StringBuilder();
        out.append("added ").append(added.size()).append(added.size() == 1 ? " jar" : " jars");
        for (Path p : added) {
            out.append("\n  ").append(p.getFileName());
        }
        if (!skipped.isEmpty()) {
            out.append("\nnot added again: ").append(skipped.size());
            for (String s : skipped) {
                out.append("\n  ").append(s);
            }
        }
        if (withDjl) {
            out.append("\ntraining metrics for DJL: config.addTrainingListeners(")
                    .append("new dev.researchmon.ml.djl.PrometheusTrainingListener())");
        }
        return out.toString();
    }

    /** Jars the kernel itself started with: the notebook already sees their classes. */
    private static Set<Path> kernelClassPath() {
        Set<Path> paths = new HashSet<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                paths.add(Path.of(entry).toAbsolutePath().normalize());
            }
        }
        return paths;
    }
}
