package dev.researchmon.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The shared secret of kernels and the sidecar: a random token in a file only its owner can read
 * (mode 0600, in a 0700 directory). Whoever can read the file is a local writer the sidecar trusts.
 *
 * <pre>{@code
 * String token = TokenFile.readOrCreate(path); // sidecar, at start
 * String same = TokenFile.read(path);          // kernel, before reporting and after a 401
 * }</pre>
 */
public final class TokenFile {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenFile() {}

    /** Reads the token, or creates the file with a new random one if it does not exist yet. */
    public static String readOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return read(file);
        }
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        // Written to a 0600 temp file first, then moved, so no reader ever sees a half-written token
        // nor a moment where the file is readable by others.
        Path tmp = Files.createTempFile(
                dir,
                ".sidecar-token",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException raced) {
                return read(file);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return read(file);
    }

    /** The token in {@code file}, trimmed. */
    public static String read(Path file) throws IOException {
        String token = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (token.isEmpty()) {
            throw new IOException("token file " + file + " is empty");
        }
        return token;
    }
}
