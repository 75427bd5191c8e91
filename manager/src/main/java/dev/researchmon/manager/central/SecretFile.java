package dev.researchmon.manager.central;

import dev.researchmon.manager.ManagerException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * A secret that lives in a file only its owner reads (mode 600), made once and then reused, so that
 * a restart keeps it and the processes that need it read it themselves. Its value is never printed:
 * callers name the file instead.
 *
 * <pre>{@code
 * boolean made = SecretFile.createIfAbsent(stateDir.resolve("store-password"));
 * String password = SecretFile.read(stateDir.resolve("store-password"));
 * }</pre>
 */
public final class SecretFile {
    /** 256 bits; the issue asks for at least 128. */
    static final int RANDOM_BYTES = 32;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private SecretFile() {}

    /**
     * Writes a new random secret to {@code file} unless it exists; returns whether it wrote one. The
     * file is created with mode 600 in one step, so the secret is never readable by others, not even
     * for a moment.
     */
    public static boolean createIfAbsent(Path file) {
        if (Files.exists(file)) {
            return false;
        }
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        // URL-safe letters only: the secret travels in HTTP headers, query strings and environment
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.writeString(file, secret, StandardCharsets.US_ASCII);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false; // another manager made it first: use theirs
        } catch (IOException e) {
            throw new ManagerException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The secret in {@code file}, without the line end an editor may have added. */
    public static String read(Path file) {
        try {
            String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (secret.isEmpty()) {
                throw new ManagerException(file + " is empty: it must hold the store's password");
            }
            return secret;
        } catch (IOException e) {
            throw new ManagerException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Whether users other than the owner may read {@code file}; false where the file system cannot tell. */
    public static boolean readableByOthers(Path file) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            return mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
