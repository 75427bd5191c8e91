package dev.researchmon.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {
    @TempDir
    Path tmp;

    @Test
    void readOrCreate_makesAnOwnerOnlyTokenInAnOwnerOnlyDirectory() throws IOException {
        Path file = tmp.resolve("state/sidecar.token");
        String token = TokenFile.readOrCreate(file);
        assertEquals(64, token.length());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    }

    @Test
    void readOrCreate_keepsAnExistingToken() throws IOException {
        Path file = tmp.resolve("sidecar.token");
        String first = TokenFile.readOrCreate(file);
        assertEquals(first, TokenFile.readOrCreate(file));
        assertEquals(first, TokenFile.read(file));
    }

    @Test
    void emptyTokenFile_isAnError() throws IOException {
        Path file = Files.writeString(tmp.resolve("sidecar.token"), "\n");
        assertThrows(IOException.class, () -> TokenFile.read(file));
    }
}
