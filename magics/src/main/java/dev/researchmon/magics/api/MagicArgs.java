package dev.researchmon.magics.api;

import java.util.List;
import java.util.Map;

/**
 * A magic's arguments as its {@link MagicSignature} parsed them.
 *
 * <pre>{@code
 * MagicArgs args = SIGNATURE.parse(call);
 * if ("plot".equals(args.subcommand())) plot(args.value("PROMQL"), args.option("--range"));
 * }</pre>
 *
 * @param subcommand the form's sub-command word, or {@code null} for a form without one
 * @param values     each parameter's words by label
 * @param options    every declared option: as given, else its default (none: absent)
 */
public record MagicArgs(String subcommand, Map<String, List<String>> values, Map<String, String> options) {
    public MagicArgs {
        values = Map.copyOf(values);
        options = Map.copyOf(options);
    }

    /** The one word of parameter {@code label}, or {@code null} where there is none. */
    public String value(String label) {
        List<String> words = values.getOrDefault(label, List.of());
        return words.isEmpty() ? null : words.get(0);
    }

    /** Every word of parameter {@code label}. */
    public List<String> values(String label) {
        return values.getOrDefault(label, List.of());
    }

    /** The value of {@code --name}, or its default, or {@code null} if it has none. */
    public String option(String name) {
        return options.get(name);
    }
}
