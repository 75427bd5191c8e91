package dev.researchmon.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {
    @Test
    void of_keepsTheLastLines_andAMissingLogIsANoteNotAnError(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("a.log"), "one\ntwo\nthree\n");
        assertEquals("two\nthree", LogTail.of(log, 2));
        assertEquals("one\ntwo\nthree", LogTail.of(log, 10));
        assertTrue(LogTail.of(dir.resolve("none.log"), 2).startsWith("(no log at "));
    }

    @Test
    void deleteTree_removesEverything_andAGoneFolderIsNothing(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("a/b/c"));
        Files.writeString(root.resolve("f"), "x");
        TempDirs.deleteTree(dir.resolve("a"));
        assertFalse(Files.exists(dir.resolve("a")));
        TempDirs.deleteTree(dir.resolve("a"));
    }
}
