package dev.researchmon.kernel.magic;

import dev.researchmon.magics.api.MagicCall;
import dev.researchmon.magics.api.MagicUsageException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place where a cell is split into Java code and magics. A cell that starts with
 * {@code %%name args} is a cell magic with the rest of the cell as its body. Otherwise each line
 * that starts with {@code %} (after indentation) is a line magic, run in order between the Java
 * code around it. No Java line starts with {@code %}, so nothing valid is taken away.
 *
 * <pre>{@code
 * CellParts.parse("%classpath lib/*.jar\nimport foo.Bar;")  // [Magic(classpath), Code(import foo.Bar;)]
 * }</pre>
 */
public final class CellParts {
    /** One piece of a cell. */
    public sealed interface Part permits Code, Magic {}

    /**
     * Java code, run by JShell.
     *
     * @param firstLine the 0-based line of the cell it starts on, for error traces
     */
    public record Code(String source, int firstLine) implements Part {
        public Code(String source) {
            this(source, 0);
        }
    }

    /** A magic; {@code cell} for {@code %%name}. */
    public record Magic(MagicCall call, boolean cell) implements Part {}

    private CellParts() {}

    public static List<Part> parse(String cell) throws MagicUsageException {
        String stripped = cell.stripLeading();
        if (stripped.startsWith("%%")) {
            int eol = stripped.indexOf('\n');
            String first = eol < 0 ? stripped : stripped.substring(0, eol);
            String body = eol < 0 ? "" : stripped.substring(eol + 1);
            return List.of(new Magic(call(first.substring(2), body), true));
        }
        List<Part> parts = new ArrayList<>();
        StringBuilder code = new StringBuilder();
        int codeStart = 0;
        String[] lines = cell.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.stripLeading().startsWith("%")) {
                if (!code.toString().isBlank()) {
                    parts.add(new Code(code.toString(), codeStart));
                }
                code.setLength(0);
                codeStart = i + 1;
                parts.add(new Magic(call(line.stripLeading().substring(1), null), false));
            } else {
                code.append(line).append('\n');
            }
        }
        if (!code.toString().isBlank()) {
            // no trailing newline added by the split: keep the user's text as typed
            parts.add(new Code(code.substring(0, code.length() - 1), codeStart));
        }
        return parts;
    }

    /** Whether the cell holds any magic at all (the common case, none, takes the fast path). */
    public static boolean hasMagic(String cell) {
        if (cell.indexOf('%') < 0) {
            return false;
        }
        for (String line : cell.split("\n")) {
            if (line.stripLeading().startsWith("%")) {
                return true;
            }
        }
        return false;
    }

    private static MagicCall call(String text, String body) throws MagicUsageException {
        String t = text.strip();
        int space = indexOfWhitespace(t);
        String name = space < 0 ? t : t.substring(0, space);
        String argLine = space < 0 ? "" : t.substring(space + 1).strip();
        if (name.isEmpty()) {
            throw new MagicUsageException("a magic needs a name after %; %lsmagic lists them");
        }
        return new MagicCall(name, argLine, ArgSplitter.split(argLine), body);
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
