package dev.researchmon.kernel.magic;

import dev.researchmon.magics.api.Display;
import dev.researchmon.magics.api.Magic;
import dev.researchmon.magics.api.MagicCall;
import dev.researchmon.magics.api.MagicContext;
import dev.researchmon.magics.api.MagicException;
import dev.researchmon.magics.api.MagicProvider;
import dev.researchmon.magics.api.MagicUsageException;
import dev.researchmon.magics.api.SnippetRecovery;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The magics this kernel knows: its own ({@code %classpath}, {@code %jars}, {@code %lsmagic}) and
 * every {@link MagicProvider} found with {@link ServiceLoader}. Line and cell magics have separate
 * name spaces, as in IPython.
 *
 * <pre>{@code
 * MagicRegistry magics = MagicRegistry.load(log);
 * Display shown = magics.run(new MagicCall("lsmagic", "", List.of(), null), false, context);
 * }</pre>
 */
public final class MagicRegistry {
    private final Map<String, Magic> lineMagics = new TreeMap<>();
    private final Map<String, Magic> cellMagics = new TreeMap<>();
    private final List<SnippetRecovery> recoveries = new ArrayList<>();

    /** The built-in magics and those of every provider on the class path. */
    public static MagicRegistry load(PrintStream log) {
        MagicRegistry registry = new MagicRegistry();
        for (String name : List.of("classpath", "jars")) {
            registry.register(new ClasspathMagic(name));
        }
        registry.register(new LsMagic(registry));
        ServiceLoader<MagicProvider> loader =
                ServiceLoader.load(MagicProvider.class, MagicRegistry.class.getClassLoader());
        try {
            for (MagicProvider provider : loader) {
                provider.magics().forEach(registry::register);
                registry.recoveries.addAll(provider.recoveries());
            }
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            log.println("research-kernel: a magic provider failed to load: " + e);
        }
        return registry;
    }

    /** The providers' repairs for a snippet that threw (see {@link SnippetRecovery}). */
    public List<SnippetRecovery> recoveries() {
        return List.copyOf(recoveries);
    }

    public void register(Magic magic) {
        (magic.isCellMagic() ? cellMagics : lineMagics).put(magic.name(), magic);
    }

    /** Runs a magic; an unknown name or bad arguments give a usage error, never a stack trace. */
    public Display run(MagicCall call, boolean cell, MagicContext context) throws MagicException {
        Magic magic = (cell ? cellMagics : lineMagics).get(call.name());
        if (magic == null) {
            String prefix = cell ? "%%" : "%";
            throw new MagicUsageException("unknown magic " + prefix + call.name() + "; %lsmagic lists the magics");
        }
        try {
            return magic.execute(call, context);
        } catch (MagicException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MagicException(prefixed(cell, call.name()) + " failed: " + e, e);
        }
    }

    /** Usage lines of every magic, line magics first. */
    public List<String> usages() {
        List<String> lines = new ArrayList<>();
        lineMagics.values().forEach(m -> lines.add(m.usage()));
        cellMagics.values().forEach(m -> lines.add(m.usage()));
        return lines;
    }

    /**
     * What {@code %lsmagic} shows: line magics, then cell magics, each as its name and what it does
     * on one line, and its usage aligned below, both from the magic's {@code MagicSignature}.
     */
    public List<String> listing() {
        int width = 2
                + Math.max(
                        lineMagics.keySet().stream()
                                .mapToInt(String::length)
                                .max()
                                .orElse(0),
                        cellMagics.keySet().stream()
                                        .mapToInt(String::length)
                                        .max()
                                        .orElse(0)
                                + 1);
        List<String> lines = new ArrayList<>();
        lines.add("Line magics:");
        lineMagics.values().forEach(m -> listed(lines, "%" + m.name(), m, width));
        lines.add("Cell magics:");
        cellMagics.values().forEach(m -> listed(lines, "%%" + m.name(), m, width));
        return lines;
    }

    private static void listed(List<String> lines, String name, Magic m, int width) {
        String what = m.description() == null || m.description().isBlank() ? "(no description)" : m.description();
        lines.add("  " + name + " ".repeat(width - name.length() + 2) + what);
        lines.add("  " + " ".repeat(width + 2) + "usage: " + m.usage());
    }

    private static String prefixed(boolean cell, String name) {
        return (cell ? "%%" : "%") + name;
    }
}
