package dev.researchmon.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MagicRegistryTest {
    private static final Pattern NAME_LINE = Pattern.compile(" {2}(%%?[a-z]+) {2,}(\\S.*)");
    private static final Pattern USAGE_LINE = Pattern.compile(" {4,}usage: (%%?[a-z]+).*");

    @Test
    void lsmagic_listsEveryMagic_inOneFormat_withADescription() {
        MagicRegistry registry = MagicRegistry.load(new PrintStream(OutputStream.nullOutputStream()));
        List<String> lines = registry.listing();

        assertEquals("Line magics:", lines.get(0));
        assertTrue(lines.contains("Cell magics:"), lines.toString());
        String text = String.join("\n", lines);
        for (String magic : List.of(
                "%classpath",
                "%jars", "%lsmagic", "%monitoring", "%metrics", "%gpu", "%dashboard", "%maven", "%%timed")) {
            assertTrue(
                    Pattern.compile("(?m)^  " + Pattern.quote(magic) + " ")
                            .matcher(text)
                            .find(),
                    magic + " in\n" + text);
        }
        int column = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.endsWith("magics:")) {
                continue;
            }
            var name = NAME_LINE.matcher(line);
            assertTrue(name.matches(), "a name line: " + line);
            assertFalse(name.group(2).contains("no description"), line);
            int at = line.indexOf(name.group(2));
            assertTrue(column < 0 || column == at, "descriptions start in one column:\n" + text);
            column = at;
            var usage = USAGE_LINE.matcher(lines.get(++i));
            assertTrue(usage.matches() && usage.group(1).equals(name.group(1)), "its usage below it: " + lines.get(i));
        }
    }
}
