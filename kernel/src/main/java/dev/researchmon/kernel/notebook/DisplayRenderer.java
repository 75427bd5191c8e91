package dev.researchmon.kernel.notebook;

import dev.researchmon.magics.api.Display;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/**
 * Picks the richest MIME bundle for a value: a {@link Display} as it is, an image as PNG, a string
 * as its own text (as IJava shows it: JSON or a report printed, not a quoted Java literal), anything
 * else as its text.
 *
 * <pre>{@code
 * Display d = DisplayRenderer.render(image, "BufferedImage@1a2b");   // image/png + text/plain
 * }</pre>
 */
public final class DisplayRenderer {
    private DisplayRenderer() {}

    /**
     * @param value the object to show
     * @param text  its plain-text form (JShell's text for expression values: strings quoted, arrays listed)
     */
    public static Display render(Object value, String text) {
        if (value instanceof Display d) {
            return d;
        }
        if (value instanceof String || value instanceof Character) {
            return Display.text(value.toString());
        }
        if (value instanceof RenderedImage image) {
            try {
                ByteArrayOutputStream png = new ByteArrayOutputStream();
                if (ImageIO.write(image, "png", png)) {
                    return Display.pngBase64(Base64.getEncoder().encodeToString(png.toByteArray()), text);
                }
            } catch (IOException e) {
                // fall back to text
            }
        }
        return Display.text(text == null ? "null" : text);
    }
}
