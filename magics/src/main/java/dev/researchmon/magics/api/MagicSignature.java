package dev.researchmon.magics.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a magic accepts, declared once, as IPython's {@code @magic_arguments} declare a magic's
 * argparse parser: its name, what it does, and one or more forms (a sub-command word or none,
 * positional parameters, {@code --options}). The usage line, {@code %lsmagic}'s entry and every
 * argument error come from the declaration, so a wrong argument reads the same in every magic:
 * {@code usage: %metrics ... (unknown option --width)}.
 *
 * <pre>{@code
 * static final MagicSignature SIGNATURE = MagicSignature.line("dashboard",
 *         "Grafana's panels in the notebook")
 *     .form(MagicSignature.form()
 *         .many("ROW|PANEL")
 *         .option("--range", "1h")
 *         .option("--notebook", "this", "this", "all"))
 *     .build();
 * MagicArgs args = SIGNATURE.parse(call);   // or a MagicUsageException with the usage line
 * String range = args.option("--range");
 * }</pre>
 */
public final class MagicSignature {
    /** An option word in a raw rest of line: {@code --name value} or {@code --name=value}. */
    private static final Pattern RAW_OPTION = Pattern.compile("(?:^|\\s)--([A-Za-z-]+)(?:=|\\s+)?(\\S*)");

    private final String name;
    private final boolean cell;
    private final String description;
    private final List<Form> forms;

    private MagicSignature(String name, boolean cell, String description, List<Form> forms) {
        this.name = name;
        this.cell = cell;
        this.description = description;
        this.forms = List.copyOf(forms);
    }

    /** A line magic, {@code %name}. */
    public static Builder line(String name, String description) {
        return new Builder(name, false, description);
    }

    /** A cell magic, {@code %%name}. */
    public static Builder cell(String name, String description) {
        return new Builder(name, true, description);
    }

    /** A form to declare: no sub-command word. */
    public static Form form() {
        return new Form(null);
    }

    /** A form selected by its first word, such as {@code %metrics plot ...}. */
    public static Form subcommand(String word) {
        return new Form(word);
    }

    public String name() {
        return name;
    }

    public boolean isCell() {
        return cell;
    }

    public String description() {
        return description;
    }

    /** Every form, joined by " | ": {@code %monitoring on|off|status}. */
    public String usage() {
        List<String> shown = new ArrayList<>();
        for (Form f : forms) {
            shown.add(f.usage((cell ? "%%" : "%") + name));
        }
        return String.join(" | ", shown);
    }

    /** The one kind of error every magic gives: the usage line and what was wrong. */
    public MagicUsageException error(String problem) {
        return new MagicUsageException("usage: " + usage() + (problem == null ? "" : " (" + problem + ")"));
    }

    /** The arguments of {@code call} by this declaration. */
    public MagicArgs parse(MagicCall call) throws MagicUsageException {
        String line = call.argLine() == null ? "" : call.argLine().strip();
        String first = line.isEmpty() ? "" : line.split("\\s+", 2)[0];
        Form chosen = null;
        Form plain = null;
        for (Form f : forms) {
            if (f.word == null) {
                plain = f;
            } else if (f.word.equals(first)) {
                chosen = f;
            }
        }
        boolean hasSubcommands = forms.stream().anyMatch(f -> f.word != null);
        if (chosen == null) {
            if (plain == null || (hasSubcommands && !first.isEmpty() && plain.params.isEmpty())) {
                throw error(first.isEmpty() ? "a sub-command is missing" : "unknown sub-command \"" + first + "\"");
            }
            chosen = plain;
        }
        if (chosen.rest != null) {
            String rest =
                    chosen.word == null ? line : line.substring(first.length()).strip();
            return chosen.parseRaw(this, rest);
        }
        List<String> words = call.args();
        if (chosen.word != null && !words.isEmpty()) {
            words = words.subList(1, words.size());
        }
        return chosen.parseWords(this, words);
    }

    /** Collects the forms of a signature. */
    public static final class Builder {
        private final String name;
        private final boolean cell;
        private final String description;
        private final List<Form> forms = new ArrayList<>();

        private Builder(String name, boolean cell, String description) {
            this.name = name;
            this.cell = cell;
            this.description = description;
        }

        public Builder form(Form form) {
            forms.add(form);
            return this;
        }

        public MagicSignature build() {
            if (forms.isEmpty()) {
                forms.add(MagicSignature.form());
            }
            return new MagicSignature(name, cell, description, forms);
        }
    }

    /** One way to call a magic: its sub-command word (or none), parameters and options. */
    public static final class Form {
        private enum Arity {
            ONE,
            OPTIONAL,
            MANY,
            SOME
        }

        private record Param(String label, String meaning, Arity arity, List<String> choices) {}

        private record Option(String name, String example, String defaultValue, List<String> choices) {}

        private final String word;
        private final List<Param> params = new ArrayList<>();
        private final Map<String, Option> options = new LinkedHashMap<>();
        private Param rest;

        private Form(String word) {
            this.word = word;
        }

        /** One required word, one of {@code choices} if any are given. */
        public Form one(String label, String... choices) {
            params.add(new Param(label, label, Arity.ONE, List.of(choices)));
            return this;
        }

        /** One required word, and what it is, for the message when it is missing. */
        public Form described(String label, String meaning) {
            params.add(new Param(label, meaning, Arity.ONE, List.of()));
            return this;
        }

        /** One word or none (then no value), one of {@code choices}: {@code %monitoring cells [on|off]}. */
        public Form optional(String label, String... choices) {
            params.add(new Param(label, label, Arity.OPTIONAL, List.of(choices)));
            return this;
        }

        /** Any number of words, the last parameter. */
        public Form many(String label) {
            params.add(new Param(label, label, Arity.MANY, List.of()));
            return this;
        }

        /** At least one word, the last parameter. */
        public Form some(String label) {
            params.add(new Param(label, label, Arity.SOME, List.of()));
            return this;
        }

        /**
         * The rest of the line as typed, quotes and spaces kept (a PromQL expression), less the
         * form's options wherever they stand; required.
         */
        public Form rest(String label, String meaning) {
            rest = new Param(label, meaning, Arity.ONE, List.of());
            return this;
        }

        /** {@code --name VALUE}, {@code defaultValue} when left out; one of {@code choices} if given. */
        public Form option(String name, String defaultValue, String... choices) {
            options.put(name, new Option(name, defaultValue, defaultValue, List.of(choices)));
            return this;
        }

        /** {@code --name VALUE} without a default ({@link MagicArgs#option} is null when left out). */
        public Form optionWithoutDefault(String name, String example) {
            options.put(name, new Option(name, example, null, List.of()));
            return this;
        }

        private String usage(String magic) {
            StringBuilder u = new StringBuilder(magic);
            if (word != null) {
                u.append(' ').append(word);
            }
            for (Param p : params) {
                String label = p.choices().isEmpty() ? p.label() : String.join("|", p.choices());
                u.append(' ')
                        .append(
                                switch (p.arity()) {
                                    case ONE -> label;
                                    case OPTIONAL -> "[" + label + "]";
                                    case MANY -> "[" + label + " ...]";
                                    case SOME -> label + "...";
                                });
            }
            if (rest != null) {
                u.append(' ').append(rest.label());
            }
            for (Option o : options.values()) {
                u.append(" [")
                        .append(o.name())
                        .append(' ')
                        .append(o.choices().isEmpty() ? o.example() : String.join("|", o.choices()))
                        .append(']');
            }
            return u.toString();
        }

        private MagicArgs parseWords(MagicSignature signature, List<String> words) throws MagicUsageException {
            Map<String, String> given = new HashMap<>();
            List<String> positional = new ArrayList<>();
            for (int i = 0; i < words.size(); i++) {
                String w = words.get(i);
                if (!w.startsWith("--") || w.length() == 2) {
                    positional.add(w);
                    continue;
                }
                int eq = w.indexOf('=');
                String option = eq < 0 ? w : w.substring(0, eq);
                String value;
                if (eq >= 0) {
                    value = w.substring(eq + 1);
                } else if (i + 1 < words.size() && options.containsKey(option)) {
                    value = words.get(++i);
                } else {
                    value = "";
                }
                putOption(signature, given, option, value);
            }
            return new MagicArgs(word, assign(signature, positional), withDefaults(given));
        }

        private MagicArgs parseRaw(MagicSignature signature, String line) throws MagicUsageException {
            Map<String, String> given = new HashMap<>();
            StringBuilder text = new StringBuilder();
            Matcher m = RAW_OPTION.matcher(line);
            int last = 0;
            while (m.find()) {
                text.append(line, last, m.start());
                last = m.end();
                putOption(signature, given, "--" + m.group(1), m.group(2));
            }
            text.append(line.substring(last));
            String value = text.toString().strip();
            if (value.isEmpty()) {
                throw signature.error((word == null ? "" : word + " ") + "needs " + rest.meaning());
            }
            Map<String, List<String>> values = new HashMap<>();
            values.put(rest.label(), List.of(value));
            return new MagicArgs(word, values, withDefaults(given));
        }

        private void putOption(MagicSignature signature, Map<String, String> given, String option, String value)
                throws MagicUsageException {
            Option declared = options.get(option);
            if (declared == null) {
                throw signature.error("unknown option " + option);
            }
            if (value.isEmpty()) {
                throw signature.error(option + " needs a value");
            }
            if (!declared.choices().isEmpty() && !declared.choices().contains(value)) {
                throw signature.error(option + " takes " + String.join(" or ", declared.choices()) + ", not " + value);
            }
            given.put(option, value);
        }

        private Map<String, String> withDefaults(Map<String, String> given) {
            Map<String, String> all = new HashMap<>();
            for (Option o : options.values()) {
                String value = given.getOrDefault(o.name(), o.defaultValue());
                if (value != null) {
                    all.put(o.name(), value);
                }
            }
            return all;
        }

        private Map<String, List<String>> assign(MagicSignature signature, List<String> words)
                throws MagicUsageException {
            Map<String, List<String>> values = new HashMap<>();
            int at = 0;
            for (Param p : params) {
                int left = words.size() - at;
                switch (p.arity()) {
                    case ONE, OPTIONAL -> {
                        if (left == 0 && p.arity() == Arity.OPTIONAL) {
                            continue;
                        }
                        if (left == 0) {
                            throw signature.error(
                                    p.choices().isEmpty()
                                            ? "needs " + p.meaning()
                                            : "needs one of " + String.join(", ", p.choices()));
                        }
                        String w = words.get(at++);
                        if (!p.choices().isEmpty() && !p.choices().contains(w)) {
                            throw signature.error("got \"" + w + "\"; it takes " + String.join(", ", p.choices()));
                        }
                        values.put(p.label(), List.of(w));
                    }
                    case MANY, SOME -> {
                        if (left == 0 && p.arity() == Arity.SOME) {
                            throw signature.error("needs at least one " + p.meaning());
                        }
                        values.put(p.label(), List.copyOf(words.subList(at, words.size())));
                        at = words.size();
                    }
                }
            }
            if (at < words.size()) {
                throw signature.error(
                        params.isEmpty()
                                ? "it takes no arguments, got \"" + words.get(at) + "\""
                                : "unexpected \"" + words.get(at) + "\"");
            }
            return values;
        }
    }
}
