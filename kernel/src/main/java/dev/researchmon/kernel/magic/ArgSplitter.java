package dev.researchmon.kernel.magic;

import dev.researchmon.magics.api.MagicUsageException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a magic's argument line the way a shell would: spaces separate, single and double quotes
 * group, a backslash escapes the next character.
 *
 * <pre>{@code
 * ArgSplitter.split("plot 'rate(x[5m])' --since 1h")   // [plot, rate(x[5m]), --since, 1h]
 * }</pre>
 */
public final class ArgSplitter {
    private ArgSplitter() {}

    public static List<String> split(String line) throws MagicUsageException {
        List<String> args = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inArg = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    current.append(line.charAt(++i));
                } else {
                    current.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inArg = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                current.append(line.charAt(++i));
                inArg = true;
            } else if (Character.isWhitespace(c)) {
                if (inArg) {
                    args.add(current.toString());
                    current.setLength(0);
                    inArg = false;
                }
            } else {
                current.append(c);
                inArg = true;
            }
        }
        if (quote != 0) {
            throw new MagicUsageException("unclosed " + quote + " quote in: " + line);
        }
        if (inArg) {
            args.add(current.toString());
        }
        return args;
    }
}
