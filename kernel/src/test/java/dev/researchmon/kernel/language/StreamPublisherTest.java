package dev.researchmon.kernel.language;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamPublisherTest {

    @Test
    void manyPrintlns_goOutAsFewMessages_inOrder() {
        List<String> sent = new ArrayList<>();
        StreamPublisher out = new StreamPublisher("stdout", (name, text) -> sent.add(text));
        PrintStream ps = new PrintStream(out.stream(), true, StandardCharsets.UTF_8);
        for (int i = 0; i < 1000; i++) {
            ps.println(i);
        }
        out.drain();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            expected.append(i).append('\n');
        }
        assertEquals(expected.toString(), String.join("", sent));
        assertTrue(sent.size() < 10, "sent " + sent.size() + " messages");
    }

    @Test
    void splitMultiByteCharacter_waitsForItsLastByte() throws Exception {
        List<String> sent = new ArrayList<>();
        StreamPublisher out = new StreamPublisher("stdout", (name, text) -> sent.add(text));
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        out.stream().write(new byte[] {'a', euro[0], euro[1]});
        out.drain();
        assertEquals(List.of("a"), sent);
        out.stream().write(euro[2]);
        out.drain();
        assertEquals(List.of("a", "€"), sent);
    }

    @Test
    void completeUtf8Length_findsTheBoundary() {
        byte[] b = "aé".getBytes(StandardCharsets.UTF_8);
        assertEquals(3, StreamPublisher.completeUtf8Length(b, 3));
        assertEquals(1, StreamPublisher.completeUtf8Length(b, 2));
    }
}
