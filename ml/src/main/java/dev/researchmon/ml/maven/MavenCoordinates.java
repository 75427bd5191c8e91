package dev.researchmon.ml.maven;

import java.util.regex.Pattern;

/**
 * An artifact as {@code %maven} takes it: {@code GROUP:ARTIFACT:VERSION[:CLASSIFIER]}, always a jar.
 *
 * <pre>{@code
 * MavenCoordinates.parse("ai.djl.pytorch:pytorch-native-cpu:2.7.1:linux-x86_64").classifier(); // linux-x86_64
 * }</pre>
 */
public record MavenCoordinates(String groupId, String artifactId, String version, String classifier) {

    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_.+\\-\\[\\](),]+");

    public MavenCoordinates {
        classifier = classifier == null ? "" : classifier;
    }

    /**
     * Parses one coordinate.
     *
     * @throws IllegalArgumentException naming the coordinate and the expected form
     */
    public static MavenCoordinates parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length < 3 || parts.length > 4) {
            throw bad(text, "expected GROUP:ARTIFACT:VERSION[:CLASSIFIER]");
        }
        for (String part : parts) {
            if (!PART.matcher(part).matches()) {
                throw bad(text, part.isEmpty() ? "a part is empty" : "'" + part + "' has characters not allowed there");
            }
        }
        return new MavenCoordinates(parts[0], parts[1], parts[2], parts.length == 4 ? parts[3] : "");
    }

    /** {@code group:artifact}, the identity that must not be loaded in two versions. */
    public String versionlessKey() {
        return groupId + ":" + artifactId + (classifier.isEmpty() ? "" : ":" + classifier);
    }

    @Override
    public String toString() {
        return groupId + ":" + artifactId + ":" + version + (classifier.isEmpty() ? "" : ":" + classifier);
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("bad Maven coordinate '" + text + "': " + why);
    }
}
