package dev.researchmon.kernel.eval;

import java.lang.reflect.Array;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * The text JShell keeps of a snippet's value, with large arrays cut short. JShell writes out every
 * element of an array: a cell declaring {@code byte[] big = new byte[100_000_000]} spent 12 s and a
 * gigabyte of heap building a string nobody reads (IJava: 0.2 s). Up to {@link #ELEMENTS} elements
 * are written, then how many more there are; anything else is JShell's own text.
 *
 * <pre>{@code
 * ValueText.of(new int[5000], jshellText)   // "int[5000] { 0, 0, ... 4000 more }"
 * }</pre>
 */
final class ValueText {
    /** Elements written of a large array: as many as a notebook shows usefully. */
    static final int ELEMENTS = 1000;

    private ValueText() {}

    /** {@code value}'s text: {@code jshellText}'s for everything but an array of over {@link #ELEMENTS}. */
    static String of(Object value, Function<Object, String> jshellText) {
        if (value == null || !value.getClass().isArray() || Array.getLength(value) <= ELEMENTS) {
            return jshellText.apply(value);
        }
        int length = Array.getLength(value);
        StringJoiner elements = new StringJoiner(", ", " { ", ", ... " + (length - ELEMENTS) + " more }");
        for (int i = 0; i < ELEMENTS; i++) {
            Object element = Array.get(value, i);
            elements.add(
                    element != null && element.getClass().isArray()
                            ? element.getClass().getComponentType().getSimpleName() + "[" + Array.getLength(element)
                                    + "]"
                            : jshellText.apply(element));
        }
        String type = value.getClass().getComponentType().getSimpleName();
        return type + "[" + length + "]" + elements;
    }
}
