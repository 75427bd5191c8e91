package dev.researchmon.ml;

import dev.researchmon.magics.api.Magic;
import dev.researchmon.magics.api.MagicProvider;
import dev.researchmon.ml.maven.MavenMagic;
import java.util.List;

/** Contributes {@code %maven} to the kernel; found through {@link java.util.ServiceLoader}. */
public final class MlMagicProvider implements MagicProvider {
    @Override
    public List<Magic> magics() {
        return List.of(new MavenMagic());
    }
}
