package dev.researchmon.ml.maven;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * The jar holding {@code dev.researchmon.ml.djl.PrometheusTrainingListener}, which the build embeds
 * in this module's jar. It must be loaded by the notebook's class loader, next to DJL, so
 * {@code %maven} copies it out to a file and adds it like any resolved jar.
 *
 * <pre>{@code
 * Path jar = DjlListenerJar.extractTo(Files.createTempDirectory("researchmon"));
 * }</pre>
 */
public final class DjlListenerJar {

    /** The artifact whose presence among resolved jars means "DJL is here": add the listener too. */
    public static final String DJL_API = "ai.djl:api";

    private static final String LOCATOR = "/dev/researchmon/ml/maven/listener-jar.properties";

    private DjlListenerJar() {}

    /**
     * Copies the embedded jar into {@code directory}.
     *
     * @throws IllegalStateException when this build carries no listener jar (classes run unpackaged)
     */
    public static Path extractTo(Path directory) {
        String resource = resourceName();
        try (InputStream in = DjlListenerJar.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the DJL listener jar " + resource
                        + " is not in this build (run from a packaged jar, mvn package)");
            }
            Files.createDirectories(directory);
            Path target = directory.resolve(resource.substring(resource.lastIndexOf('/') + 1));
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the DJL listener jar to " + directory, e);
        }
    }

    private static String resourceName() {
        Properties p = new Properties();
        try (InputStream in = DjlListenerJar.class.getResourceAsStream(LOCATOR)) {
            if (in == null) {
                throw new IllegalStateException(LOCATOR + " is missing from the class path");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("resource");
    }
}
