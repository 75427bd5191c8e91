package dev.researchmon.kernel.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.dflib.jjava.jupyter.messages.HMACGenerator;

/**
 * Turns ZMQ multipart frames into {@link Message}s and back, signing with the connection's key
 * (HMAC from jjava-jupyter) and rejecting messages whose signature does not match.
 *
 * <pre>{@code
 * MessageCodec codec = new MessageCodec(hmac, UUID.randomUUID().toString());
 * Message reply = codec.reply(request, "kernel_info_reply", content);
 * socket.sendFrames(codec.encode(reply));
 * }</pre>
 */
public final class MessageCodec {
    /** Protocol version this kernel speaks. */
    public static final String PROTOCOL_VERSION = "5.3";

    private static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX");

    private final ObjectMapper json = new ObjectMapper();
    private final HMACGenerator hmac;
    private final String session;

    public MessageCodec(HMACGenerator hmac, String session) {
        this.hmac = hmac;
        this.session = session;
    }

    public ObjectMapper json() {
        return json;
    }

    public String session() {
        return session;
    }

    /** Parses and verifies the frames of one incoming message. */
    public Message decode(List<byte[]> frames) throws WireFormatException {
        int delim = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (Arrays.equals(frames.get(i), DELIMITER)) {
                delim = i;
                break;
            }
        }
        if (delim < 0 || frames.size() < delim + 6) {
            throw new WireFormatException("message without the <IDS|MSG> delimiter and its five frames");
        }
        byte[] header = frames.get(delim + 2);
        byte[] parent = frames.get(delim + 3);
        byte[] metadata = frames.get(delim + 4);
        byte[] content = frames.get(delim + 5);
        String expected = hmac.calculateSignature(header, parent, metadata, content);
        byte[] given = frames.get(delim + 1);
        if (expected != null && !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given)) {
            throw new WireFormatException("message signature does not match the connection key");
        }
        return new Message(
                frames.subList(0, delim),
                object(header),
                object(parent),
                object(metadata),
                object(content),
                frames.subList(delim + 6, frames.size()));
    }

    /** The frames of a message, signed. */
    public List<byte[]> encode(Message message) {
        List<byte[]> frames = new ArrayList<>(
                message.identities().size() + 6 + message.buffers().size());
        frames.addAll(message.identities());
        frames.add(DELIMITER);
        byte[] header = bytes(message.header());
        byte[] parent = bytes(message.parentHeader());
        byte[] metadata = bytes(message.metadata());
        byte[] content = bytes(message.content());
        String signature = hmac.calculateSignature(header, parent, metadata, content);
        frames.add(signature == null ? new byte[0] : signature.getBytes(StandardCharsets.US_ASCII));
        frames.add(header);
        frames.add(parent);
        frames.add(metadata);
        frames.add(content);
        frames.addAll(message.buffers());
        return frames;
    }

    /** A reply to {@code request}, routed back to its sender. */
    public Message reply(Message request, String type, ObjectNode content) {
        return new Message(
                request.identities(), header(type), request.header(), json.createObjectNode(), content, List.of());
    }

    /** A request, as a client sends it (the training run that makes the class archive is one). */
    public Message request(String type, ObjectNode content) {
        return new Message(
                List.of(), header(type), json.createObjectNode(), json.createObjectNode(), content, List.of());
    }

    /** An iopub message about {@code parent} (which may be {@code null} for none). */
    public Message broadcast(Message parent, String type, ObjectNode content) {
        byte[] topic = ("kernel." + session + "." + type).getBytes(StandardCharsets.UTF_8);
        ObjectNode parentHeader = parent == null ? json.createObjectNode() : parent.header();
        return new Message(List.of(topic), header(type), parentHeader, json.createObjectNode(), content, List.of());
    }

    private ObjectNode header(String type) {
        ObjectNode h = json.createObjectNode();
        h.put("msg_id", UUID.randomUUID().toString());
        h.put("session", session);
        h.put("username", "kernel");
        h.put("date", OffsetDateTime.now(ZoneOffset.UTC).format(DATE));
        h.put("msg_type", type);
        h.put("version", PROTOCOL_VERSION);
        return h;
    }

    private ObjectNode object(byte[] frame) throws WireFormatException {
        try {
            JsonNode node = json.readTree(frame);
            if (node == null || node.isMissingNode()) {
                return json.createObjectNode();
            }
            if (!node.isObject()) {
                throw new WireFormatException("message part is not a JSON object");
            }
            return (ObjectNode) node;
        } catch (IOException e) {
            throw new WireFormatException("message part is not JSON: " + e.getMessage(), e);
        }
    }

    private byte[] bytes(ObjectNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
