package dev.researchmon.kernel.protocol.message;

import java.util.Map;

/** {@code inspect_reply}: plain-text documentation of the name at the cursor, if found. */
public record InspectReply(String status, boolean found, Map<String, String> data, Map<String, Object> metadata) {
    public static InspectReply found(String text) {
        return new InspectReply("ok", true, Map.of("text/plain", text), Map.of());
    }

    public static InspectReply notFound() {
        return new InspectReply("ok", false, Map.of(), Map.of());
    }
}
