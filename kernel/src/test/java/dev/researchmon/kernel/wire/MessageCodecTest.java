package dev.researchmon.kernel.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
    private final MessageCodec codec;

    MessageCodecTest() throws Exception {
        codec = new MessageCodec(new HMACGenerator("HmacSHA256", "secret"), "session-1");
    }

    private Message request() {
        var content = codec.json().createObjectNode().put("code", "1 + 1");
        var header = codec.json().createObjectNode().put("msg_id", "abc").put("msg_type", "execute_request");
        return new Message(
                List.of("client".getBytes(StandardCharsets.UTF_8)),
                header,
                codec.json().createObjectNode(),
                codec.json().createObjectNode(),
                content,
                List.of());
    }

    @Test
    void signedMessage_roundTrips() throws Exception {
        Message decoded = codec.decode(codec.encode(request()));
        assertEquals("execute_request", decoded.type());
        assertEquals("1 + 1", decoded.content().path("code").asText());
        assertEquals("client", new String(decoded.identities().get(0), StandardCharsets.UTF_8));
    }

    @Test
    void reply_carriesParentHeader_andRoutesBack() {
        Message reply = codec.reply(request(), "execute_reply", codec.json().createObjectNode());
        assertEquals("abc", reply.parentHeader().path("msg_id").asText());
        assertEquals("session-1", reply.header().path("session").asText());
        assertEquals("5.3", reply.header().path("version").asText());
        assertEquals("client", new String(reply.identities().get(0), StandardCharsets.UTF_8));
    }

    @Test
    void tamperedMessage_isRejected() {
        List<byte[]> frames = new ArrayList<>(codec.encode(request()));
        frames.set(frames.size() - 1, "{\"code\":\"System.exit(0)\"}".getBytes(StandardCharsets.UTF_8));
        WireFormatException e = assertThrows(WireFormatException.class, () -> codec.decode(frames));
        assertTrue(e.getMessage().contains("signature"));
    }

    @Test
    void framesWithoutDelimiter_areRejected() {
        WireFormatException e = assertThrows(
                WireFormatException.class, () -> codec.decode(List.of("x".getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage().contains("<IDS|MSG>"));
    }
}
