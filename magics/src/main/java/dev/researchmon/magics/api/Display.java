package dev.researchmon.magics.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A MIME bundle to show in the notebook: {@code text/plain} always, richer types beside it.
 *
 * <pre>{@code
 * Display.html("<b>on</b>", "on");
 * }</pre>
 *
 * @param data MIME type to content; binary types (image/png) are base64 text as Jupyter expects
 */
public record Display(Map<String, String> data) {
    public Display {
        data = Map.copyOf(data);
        if (!data.containsKey("text/plain")) {
            throw new IllegalArgumentException("a display needs text/plain");
        }
    }

    public static Display text(String text) {
        return new Display(Map.of("text/plain", text));
    }

    public static Display html(String html, String plain) {
        return of("text/html", html, plain);
    }

    public static Display svg(String svg, String plain) {
        return of("image/svg+xml", svg, plain);
    }

    public static Display pngBase64(String base64, String plain) {
        return of("image/png", base64, plain);
    }

    private static Display of(String mime, String content, String plain) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("text/plain", plain);
        m.put(mime, content);
        return new Display(m);
    }
}
