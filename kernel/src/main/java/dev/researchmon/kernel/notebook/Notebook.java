package dev.researchmon.kernel.notebook;

import dev.researchmon.magics.api.Display;
import java.util.Objects;

/**
 * Helpers every cell has imported statically: show rich output now, or clear the cell's output.
 *
 * <pre>{@code
 * display(html("<b>bold</b>"));
 * display(svg("<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>"));
 * clearOutput();
 * }</pre>
 */
public final class Notebook {
    /** Where the helpers publish; the kernel sets it once at start-up. */
    private static volatile NotebookOutput output = NotebookOutput.DISCARD;

    private Notebook() {}

    public static void attach(NotebookOutput out) {
        output = Objects.requireNonNull(out);
    }

    /** Shows {@code value} now, as rich as it can be rendered (HTML, SVG, PNG or text). */
    public static void display(Object value) {
        output.display(DisplayRenderer.render(value, String.valueOf(value)));
    }

    /** Clears the output of the cell; with {@code wait}, only when new output comes. */
    public static void clearOutput(boolean wait) {
        output.clearOutput(wait);
    }

    public static void clearOutput() {
        clearOutput(false);
    }

    public static Display html(String html) {
        return Display.html(html, "HTML object");
    }

    public static Display svg(String svg) {
        return Display.svg(svg, "SVG image");
    }

    public static Display png(byte[] png) {
        return Display.pngBase64(java.util.Base64.getEncoder().encodeToString(png), "PNG image");
    }
}
