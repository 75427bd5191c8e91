package dev.researchmon.ml.maven;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** A Maven repository folder that a test fills with tiny real artifacts (a POM and a jar each). */
final class TempRepository {
    final Path root;

    TempRepository(Path root) {
        this.root = root;
    }

    /** Writes {@code g:a:v} whose POM depends on each of {@code dependencies} ({@code g:a:v}). */
    Path put(String coordinates, String... dependencies) throws IOException {
        String[] c = coordinates.split(":");
        Path dir = root.resolve(c[0].replace('.', '/')).resolve(c[1]).resolve(c[2]);
        Files.createDirectories(dir);
        StringBuilder deps = new StringBuilder();
        for (String d : dependencies) {
            String[] p = d.split(":");
            deps.append("<dependency><groupId>")
                    .append(p[0])
                    .append("</groupId><artifactId>")
                    .append(p[1])
                    .append("</artifactId><version>")
                    .append(p[2])
                    .append("</version></dependency>");
        }
        Files.writeString(
                dir.resolve(c[1] + "-" + c[2] + ".pom"),
                "<project><modelVersion>4.0.0</modelVersion><groupId>" + c[0] + "</groupId><artifactId>" + c[1]
                        + "</artifactId><version>" + c[2] + "</version><dependencies>" + deps
                        + "</dependencies></project>");
        Path jar = dir.resolve(c[1] + "-" + c[2] + ".jar");
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new JarEntry(c[1] + ".txt"));
            j.write(coordinates.getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }
}
