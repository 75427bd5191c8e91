package dev.researchmon.magics.api;

import java.util.List;

/**
 * A magic as the user typed it.
 *
 * @param name    the magic's name, without {@code %} or {@code %%}
 * @param argLine everything after the name on the magic's line, untouched
 * @param args    {@code argLine} split like a shell would (quotes group, backslash escapes)
 * @param body    the cell's body after the magic line for cell magics; {@code null} for line magics
 */
public record MagicCall(String name, String argLine, List<String> args, String body) {
    public MagicCall {
        args = List.copyOf(args);
    }
}
