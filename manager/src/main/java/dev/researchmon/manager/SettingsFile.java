package dev.researchmon.manager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * {@code stack.json} in the state folder: the {@link StackSettings} of the last successful
 * {@code --enable-monitoring}. Written whole (a temporary file moved into place), so that a reader
 * never sees half of it; a file that cannot be read is an error naming it, never silently ignored.
 *
 * <pre>{@code
 * SettingsFile file = new SettingsFile(stateDir);
 * Optional<StackSettings> last = file.read();
 * file.write(settings);
 * }</pre>
 */
public final class SettingsFile {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path file;

    public SettingsFile(Path stateDir) {
        this.file = stateDir.resolve("stack.json");
    }

    public Path path() {
        return file;
    }

    /** The remembered settings; empty when the stack was never enabled from this state folder. */
    public Optional<StackSettings> read() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            StackSettings settings = JSON.readValue(file.toFile(), StackSettings.class);
            if (settings == null) {
                throw new ManagerException(file + " is empty; remove it, or enable again with the options you want");
            }
            settings.ports().forEach((part, port) -> {
                if (port == null || port < 1 || port > 65535) {
                    throw new ManagerException(file + " gives " + part + " the port " + port
                            + ", not one in 1..65535; remove it, or enable again with --" + part + "-port");
                }
            });
            return Optional.of(settings);
        } catch (JsonProcessingException e) {
            throw new ManagerException(
                    file + " is not readable settings (" + e.getOriginalMessage()
                            + "); remove it, or enable again with the options you want",
                    e);
        } catch (IOException e) {
            throw new ManagerException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public void write(StackSettings settings) {
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), ".stack", ".json");
            try {
                JSON.writeValue(temp.toFile(), settings);
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new ManagerException("cannot remember the stack's settings in " + file + ": " + e.getMessage(), e);
        }
    }
}
