package dev.researchmon.kernel.magic;

import dev.researchmon.magics.api.Display;
import dev.researchmon.magics.api.Magic;
import dev.researchmon.magics.api.MagicCall;
import dev.researchmon.magics.api.MagicContext;
import dev.researchmon.magics.api.MagicException;
import dev.researchmon.magics.api.MagicSignature;
import dev.researchmon.magics.api.MagicUsageException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code %classpath} and {@code %jars} (the same magic under IJava's two names): add jars, class
 * folders or globs of jars ({@code lib/*.jar}) to the running kernel.
 */
final class ClasspathMagic implements Magic {
    private final MagicSignature signature;

    ClasspathMagic(String name) {
        this.signature = MagicSignature.line(
                        name, "add jars, class folders or globs like lib/*.jar to the running kernel")
                .form(MagicSignature.form().some("PATH"))
                .build();
    }

    @Override
    public MagicSignature signature() {
        return signature;
    }

    @Override
    public Display execute(MagicCall call, MagicContext ctx) throws MagicException {
        List<Path> entries = new ArrayList<>();
        for (String arg : signature.parse(call).values("PATH")) {
            try {
                entries.addAll(resolve(arg));
            } catch (MagicUsageException wrongPath) {
                throw signature.error(wrongPath.getMessage());
            }
        }
        ctx.addToClasspath(entries);
        return Display.text(
                "added " + entries.size() + (entries.size() == 1 ? " entry" : " entries") + " to the class path");
    }

    /** One path, or every file a glob in its last element matches. */
    static List<Path> resolve(String arg) throws MagicException {
        String expanded = arg.startsWith("~/") ? System.getProperty("user.home") + arg.substring(1) : arg;
        Path path = Path.of(expanded).toAbsolutePath().normalize();
        String last = path.getFileName() == null ? "" : path.getFileName().toString();
        if (!last.contains("*") && !last.contains("?") && !last.contains("[") && !last.contains("{")) {
            if (!Files.exists(path)) {
                throw new MagicUsageException("no such jar or folder: " + arg);
            }
            return List.of(path);
        }
        List<Path> matches = new ArrayList<>();
        Path dir = path.getParent();
        if (dir != null && Files.isDirectory(dir)) {
            try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, last)) {
                found.forEach(matches::add);
            } catch (IOException e) {
                throw new MagicException("cannot read " + dir + ": " + e.getMessage(), e);
            }
        }
        if (matches.isEmpty()) {
            throw new MagicUsageException("nothing matches " + arg);
        }
        matches.sort(null);
        return matches;
    }
}
