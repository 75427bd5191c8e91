package dev.researchmon.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.magics.api.MagicUsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClasspathMagicTest {

    @Test
    void glob_matchesEveryJarInTheFolder(@TempDir Path dir) throws Exception {
        Files.createFile(dir.resolve("a.jar"));
        Files.createFile(dir.resolve("b.jar"));
        Files.createFile(dir.resolve("notes.txt"));
        assertEquals(List.of(dir.resolve("a.jar"), dir.resolve("b.jar")), ClasspathMagic.resolve(dir + "/*.jar"));
    }

    @Test
    void plainPath_isTakenAsIs(@TempDir Path dir) throws Exception {
        Path classes = Files.createDirectory(dir.resolve("classes"));
        assertEquals(List.of(classes), ClasspathMagic.resolve(classes.toString()));
    }

    @Test
    void missingPath_isAUsageError(@TempDir Path dir) {
        MagicUsageException e = assertThrows(
                MagicUsageException.class,
                () -> ClasspathMagic.resolve(dir.resolve("nope.jar").toString()));
        assertTrue(e.getMessage().contains("no such jar or folder"));
    }

    @Test
    void globMatchingNothing_isAUsageError(@TempDir Path dir) {
        MagicUsageException e = assertThrows(MagicUsageException.class, () -> ClasspathMagic.resolve(dir + "/*.jar"));
        assertTrue(e.getMessage().contains("nothing matches"));
    }

    @Test
    void noArguments_givesTheUsageLine() {
        ClasspathMagic magic = new ClasspathMagic("jars");
        MagicUsageException e = assertThrows(
                MagicUsageException.class,
                () -> magic.execute(new dev.researchmon.magics.api.MagicCall("jars", "", List.of(), null), null));
        assertTrue(e.getMessage().contains("%jars PATH..."));
    }
}
