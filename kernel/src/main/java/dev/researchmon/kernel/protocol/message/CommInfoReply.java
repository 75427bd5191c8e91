package dev.researchmon.kernel.protocol.message;

import java.util.Map;

/** {@code comm_info_reply}: this kernel opens no comms. */
public record CommInfoReply(String status, Map<String, Object> comms) {
    public static CommInfoReply none() {
        return new CommInfoReply("ok", Map.of());
    }
}
