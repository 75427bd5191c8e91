package dev.researchmon.sidecar.gpu.nvml;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Defines its own copy of a direct-mapped class. JNA's {@code Native.register} binds a class's
 * native methods to one library for the life of the class, while the sidecar's tests and benchmark
 * load several NVML libraries (configured stubs) side by side in one JVM: each library gets a
 * loader of its own and so a class of its own. Everything the copy refers to (its interface, the
 * structures, JNA) comes from the parent, so the reader sees one set of types.
 */
final class DirectMappingLoader extends ClassLoader {
    DirectMappingLoader() {
        super(DirectMappingLoader.class.getClassLoader());
    }

    /** This loader's copy of {@code direct}, defined from the same bytes on first use. */
    Class<?> copyOf(Class<?> direct) {
        String name = direct.getName();
        synchronized (getClassLoadingLock(name)) {
            Class<?> copy = findLoadedClass(name);
            if (copy != null) {
                return copy;
            }
            String resource = name.replace('.', '/') + ".class";
            try (InputStream in = direct.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException(resource + " is not on the class path");
                }
                byte[] bytes = in.readAllBytes();
                return defineClass(name, bytes, 0, bytes.length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
