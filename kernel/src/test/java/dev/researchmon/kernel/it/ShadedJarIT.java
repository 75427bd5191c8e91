package dev.researchmon.kernel.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The kernel jar as the build leaves it. Cells compile and run against it (it is on JShell's class
 * path), so what it holds under a library's own name is what a cell gets for that library.
 */
class ShadedJarIT {
    private static final Path JAR = Path.of("target/research-kernel.jar");

    /**
     * The kernel's Jackson lives only under the relocated name that the kernelspec's compiler
     * directives leave to C1 ({@code dev/researchmon/shaded/*.*}): a cell's own Jackson, added with
     * {@code %maven}, is the one it loads, at its version, and keeps C2.
     */
    @Test
    void kernelsJackson_isRelocated_andNothingIsLeftUnderItsOwnName() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            List<String> left = jar.stream()
                    .map(ZipEntry::getName)
                    .filter(n -> n.endsWith(".class") && n.contains("com/fasterxml/"))
                    .toList();
            assertEquals(List.of(), left);
            assertTrue(jar.getEntry("dev/researchmon/shaded/jackson/databind/ObjectMapper.class") != null);
            // Jackson finds its codec through services files, which must name the relocated classes
            assertTrue(jar.getEntry("META-INF/services/dev.researchmon.shaded.jackson.core.JsonFactory") != null);
            assertTrue(jar.getEntry("META-INF/services/com.fasterxml.jackson.core.JsonFactory") == null);
        }
    }
}
