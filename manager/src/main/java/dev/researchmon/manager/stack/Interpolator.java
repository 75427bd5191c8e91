package dev.researchmon.manager.stack;

import dev.researchmon.manager.ManagerException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compose-style variable substitution: {@code ${VAR}}, {@code ${VAR:-default}} (default when unset
 * or empty), {@code ${VAR-default}} (default when unset), {@code ${VAR?message}} and
 * {@code ${VAR:?message}} (a refusal with the message when unset, or unset or empty), {@code $VAR}
 * and {@code $$} for a dollar.
 *
 * <pre>{@code
 * new Interpolator(Map.of("PROMETHEUS_PORT", "19090")).apply("127.0.0.1:${PROMETHEUS_PORT:-9090}:9090");
 * // "127.0.0.1:19090:9090"
 * }</pre>
 */
public final class Interpolator {
    private static final Pattern REFERENCE = Pattern.compile(
            "\\$(?:(\\$)|\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}|([A-Za-z_][A-Za-z0-9_]*)|(\\{[^}]*}?))");

    private final Map<String, String> variables;

    public Interpolator(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    public String apply(String text) {
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group(1) != null) {
                replacement = "$";
            } else if (m.group(6) != null) {
                throw new ManagerException("bad variable reference '$" + m.group(6) + "' in \"" + text + "\"");
            } else {
                String name = m.group(2) != null ? m.group(2) : m.group(5);
                String value = variables.get(name);
                String operator = m.group(3);
                boolean missing = operator != null && (value == null || (operator.startsWith(":") && value.isEmpty()));
                if (operator != null && operator.endsWith("?")) {
                    if (missing) {
                        throw new ManagerException("the compose file needs " + name + ": " + m.group(4));
                    }
                    replacement = value;
                } else if (operator != null) {
                    replacement = missing ? m.group(4) : value;
                } else {
                    replacement = value == null ? "" : value;
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
