package dev.researchmon.magics.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.researchmon.magics.ResearchMagics;
import dev.researchmon.magics.TestContext;
import dev.researchmon.magics.api.Magic;
import dev.researchmon.magics.api.MagicCall;
import dev.researchmon.magics.api.MagicUsageException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every magic this module ships declares its arguments: its usage line is the documented one, and
 * a wrong argument gets that usage line and what was wrong, the same way in every magic.
 */
class DeclaredArgumentsTest {
    private final TestContext ctx = new TestContext("k1", "nb.ipynb");

    private static Map<String, Magic> magics() {
        Map<String, Magic> byName = new TreeMap<>();
        new ResearchMagics().magics().forEach(m -> byName.put((m.isCellMagic() ? "%%" : "%") + m.name(), m));
        return byName;
    }

    @Test
    void usageLines_areTheDocumentedOnes() {
        Map<String, String> usages = new TreeMap<>();
        magics().forEach((name, m) -> usages.put(name, m.usage()));
        assertEquals(
                Map.of(
                        "%dashboard", "%dashboard [ROW|PANEL ...] [--range 1h] [--notebook this|all]",
                        "%gpu", "%gpu",
                        "%metrics",
                                "%metrics | %metrics query PROMQL | %metrics plot PROMQL [--range 30m] [--step 15s]",
                        "%monitoring", "%monitoring on|off|status | %monitoring cells [on|off]",
                        "%%timed", "%%timed NAME"),
                usages);
    }

    @Test
    void everyMagic_answersAnUnknownOptionWithItsUsage() {
        magics().forEach((name, magic) -> {
            MagicCall call =
                    new MagicCall(magic.name(), "--bogus", List.of("--bogus"), magic.isCellMagic() ? "1" : null);
            MagicUsageException e = assertThrows(MagicUsageException.class, () -> magic.execute(call, ctx), name);
            assertTrue(e.getMessage().startsWith("usage: " + magic.usage() + " ("), e.getMessage());
            assertTrue(e.getMessage().contains("--bogus"), e.getMessage());
        });
        assertTrue(ctx.evaluated.isEmpty(), "no cell body ran");
    }

    @Test
    void everyMagic_answersAMissingOrExtraWordWithItsUsage() {
        Map<String, String> wrong = Map.of(
                "%dashboard", "--range",
                "%gpu", "0",
                "%metrics", "query",
                "%monitoring", "on now",
                "%%timed", "");
        magics().forEach((name, magic) -> {
            String line = wrong.get(name);
            List<String> words = line.isEmpty() ? List.of() : List.of(line.split(" "));
            MagicCall call = new MagicCall(magic.name(), line, words, magic.isCellMagic() ? "1" : null);
            MagicUsageException e = assertThrows(MagicUsageException.class, () -> magic.execute(call, ctx), name);
            assertTrue(e.getMessage().startsWith("usage: " + magic.usage() + " ("), e.getMessage());
        });
    }
}
