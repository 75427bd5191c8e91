package dev.researchmon.kernel.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One Jupyter message as it travels on a socket (wire protocol 5.x), already verified and parsed.
 *
 * <pre>{@code
 * String code = request.content().path("code").asText();
 * String type = request.type();   // "execute_request"
 * }</pre>
 *
 * @param identities   the ZMQ routing prefix; replies carry the request's identities back
 * @param header       {@code msg_id}, {@code msg_type}, {@code session}, {@code date}, ...
 * @param parentHeader the header of the request this message answers ({@code {}} for none)
 * @param metadata     free-form metadata
 * @param content      the message body
 * @param buffers      extra binary frames, rarely used
 */
public record Message(
        List<byte[]> identities,
        ObjectNode header,
        ObjectNode parentHeader,
        ObjectNode metadata,
        ObjectNode content,
        List<byte[]> buffers) {

    public Message {
        identities = List.copyOf(identities);
        buffers = List.copyOf(buffers);
    }

    /** The {@code msg_type} of the header. */
    public String type() {
        return header.path("msg_type").asText("");
    }

    /** The {@code msg_id} of the header. */
    public String id() {
        return header.path("msg_id").asText("");
    }
}
