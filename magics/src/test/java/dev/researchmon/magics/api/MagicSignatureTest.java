package dev.researchmon.magics.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The declaration itself: usage lines, the parse, and the one kind of error message. */
class MagicSignatureTest {
    private static final MagicSignature SUBCOMMANDS = MagicSignature.line("m", "sub-commands")
            .form(MagicSignature.form())
            .form(MagicSignature.subcommand("show")
                    .rest("EXPR", "an expression")
                    .option("--range", "30m")
                    .optionWithoutDefault("--step", "15s"))
            .build();
    private static final MagicSignature WORDS = MagicSignature.line("w", "words")
            .form(MagicSignature.form().one("MODE", "on", "off").many("NAME").option("--as", "this", "this", "all"))
            .build();

    private static MagicCall call(String name, String line) {
        List<String> words =
                line.isBlank() ? List.of() : Arrays.asList(line.strip().split("\\s+"));
        return new MagicCall(name, line, words, null);
    }

    private static String error(MagicSignature signature, String line) {
        return assertThrows(MagicUsageException.class, () -> signature.parse(call(signature.name(), line)))
                .getMessage();
    }

    @Test
    void usage_comesFromTheForms() {
        assertEquals("%m | %m show EXPR [--range 30m] [--step 15s]", SUBCOMMANDS.usage());
        assertEquals("%w on|off [NAME ...] [--as this|all]", WORDS.usage());
        assertEquals("%%c", MagicSignature.cell("c", "").build().usage());
    }

    @Test
    void rest_keepsTheLineAsTyped_lessItsOptionsWherever() throws Exception {
        MagicArgs a = SUBCOMMANDS.parse(call("m", "show sum by (a) (x{n=\"a b\"}) --range 2h"));
        assertEquals("show", a.subcommand());
        assertEquals("sum by (a) (x{n=\"a b\"})", a.value("EXPR"));
        assertEquals("2h", a.option("--range"));
        assertNull(a.option("--step"), "no default: absent");
        assertNull(SUBCOMMANDS.parse(call("m", "")).subcommand());
    }

    @Test
    void words_fillParametersAndOptions_withDefaults() throws Exception {
        MagicArgs a = WORDS.parse(call("w", "on a --as=all b"));
        assertEquals("on", a.value("MODE"));
        assertEquals(List.of("a", "b"), a.values("NAME"));
        assertEquals("all", a.option("--as"));
        assertEquals("this", WORDS.parse(call("w", "off")).option("--as"));
    }

    @Test
    void everyWrongArgument_isTheUsageLineAndWhatWasWrong() {
        String usage = "usage: " + WORDS.usage() + " (";
        assertEquals(usage + "needs one of on, off)", error(WORDS, ""));
        assertEquals(usage + "got \"maybe\"; it takes on, off)", error(WORDS, "maybe"));
        assertEquals(usage + "unknown option --colour)", error(WORDS, "on --colour red"));
        assertEquals(usage + "--as needs a value)", error(WORDS, "on --as"));
        assertEquals(usage + "--as takes this or all, not mine)", error(WORDS, "on --as mine"));
        String sub = "usage: " + SUBCOMMANDS.usage() + " (";
        assertEquals(sub + "unknown sub-command \"graph\")", error(SUBCOMMANDS, "graph up"));
        assertEquals(sub + "show needs an expression)", error(SUBCOMMANDS, "show --range 5m"));
        MagicSignature none = MagicSignature.line("n", "").build();
        assertEquals("usage: %n (it takes no arguments, got \"0\")", error(none, "0"));
    }
}
