package dev.researchmon.manager;

import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * The checkout this manager belongs to, where the compose files, launchers and built jars are:
 * {@code researchmon.home} when the launcher sets it ({@code bin/environment-manager} does), else
 * found from where this class was loaded ({@code manager/target/classes} or the shaded jar in
 * {@code manager/target}), both three levels below the root.
 *
 * <pre>{@code
 * Path compose = Checkout.root().resolve("docker/compose.yaml");
 * }</pre>
 */
public final class Checkout {
    private Checkout() {}

    public static Path root() {
        String home = System.getProperty("researchmon.home");
        if (home != null) {
            return Path.of(home).toAbsolutePath().normalize();
        }
        try {
            Path loadedFrom = Path.of(Checkout.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            return loadedFrom.getParent().getParent().getParent();
        } catch (URISyntaxException e) {
            throw new ManagerException("cannot tell where this checkout is; set -Dresearchmon.home", e);
        }
    }
}
