package dev.researchmon.kernel.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.researchmon.kernel.wire.Channel;
import dev.researchmon.kernel.wire.Message;
import dev.researchmon.kernel.wire.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/** Requests as a Jupyter client sends them, and a one-line account of what the kernel sent, for tests that drive {@link KernelProtocol} without sockets. */
public final class ClientRequests {
    private ClientRequests() {}

    /** A request of {@code type} from client session "client", with a fresh msg_id. */
    public static Message request(MessageCodec codec, String type, ObjectNode content) {
        ObjectNode header = codec.json()
                .createObjectNode()
                .put("msg_id", UUID.randomUUID().toString())
                .put("msg_type", type)
                .put("session", "client")
                .put("version", "5.3");
        return new Message(
                List.of("client".getBytes(StandardCharsets.UTF_8)),
                header,
                codec.json().createObjectNode(),
                codec.json().createObjectNode(),
                content,
                List.of());
    }

    /** An execute_request for {@code code}, stored in history, stopping on error. */
    public static Message execute(MessageCodec codec, String code) {
        return request(
                codec,
                "execute_request",
                codec.json()
                        .createObjectNode()
                        .put("code", code)
                        .put("silent", false)
                        .put("store_history", true)
                        .put("stop_on_error", true));
    }

    /** {@code CHANNEL:type:execution_state}, the state empty for all but status messages. */
    public static String describe(Channel channel, Message message) {
        return channel + ":" + message.type() + ":"
                + message.content().path("execution_state").asText();
    }
}
