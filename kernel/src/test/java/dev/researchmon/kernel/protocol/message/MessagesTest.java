package dev.researchmon.kernel.protocol.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessagesTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void executeRequest_takesTheProtocolsDefaults_andIgnoresUnknownFields() throws Exception {
        ExecuteRequest r =
                Messages.read(json.readTree("{\"code\": \"1 + 1\", \"future_field\": 3}"), ExecuteRequest.class);
        assertEquals("1 + 1", r.code());
        assertFalse(r.silent());
        assertTrue(r.storeHistory());
        assertTrue(r.stopOnError());
        assertFalse(r.allowStdin(), "a front end that does not say it answers input gets end-of-file");
    }

    @Test
    void silentExecuteRequest_isNeverStored() throws Exception {
        ExecuteRequest r = Messages.read(
                json.readTree("{\"code\": \"x\", \"silent\": true, \"store_history\": true}"), ExecuteRequest.class);
        assertFalse(r.storeHistory());
    }

    @Test
    void replies_haveSnakeCaseNames_andLeaveOutWhatDoesNotApply() {
        ObjectNode ok = Messages.content(ExecuteReply.ok(3, List.of(ExecuteReply.page("doc"))));
        assertEquals(3, ok.path("execution_count").asInt());
        assertEquals("page", ok.path("payload").get(0).path("source").asText());
        assertTrue(ok.path("user_expressions").isObject());
        assertFalse(ok.has("ename"));
        ObjectNode error = Messages.content(ExecuteReply.error(4, new ErrorContent("E", "v", List.of("E: v"))));
        assertEquals("error", error.path("status").asText());
        assertEquals("E: v", error.path("traceback").get(0).asText());
        assertFalse(error.has("payload"));
        assertEquals(
                "{\"status\":\"complete\"}",
                Messages.content(IsCompleteReply.complete()).toString());
        java.util.Map<String, String> bundle = new java.util.LinkedHashMap<>();
        bundle.put("text/plain", "cell 3");
        bundle.put("text/html", "<b>cell 3</b>");
        assertEquals(
                "{\"data\":{\"text/plain\":\"cell 3\",\"text/html\":\"<b>cell 3</b>\"},\"metadata\":{},\"transient\":{}}",
                Messages.displayData(bundle).toString());
        assertTrue(Messages.content(new ClearOutput(true)).path("wait").asBoolean());
    }

    @Test
    void fieldOfTheWrongType_isABadRequestNamingTheMessage() throws Exception {
        BadRequestException e = assertThrows(
                BadRequestException.class,
                () -> Messages.read(
                        json.readTree("{\"code\": \"x\", \"cursor_pos\": \"end\"}"), CompleteRequest.class));
        assertTrue(e.getMessage().startsWith("malformed CompleteRequest: "), e.getMessage());
    }

    @Test
    void completeRequest_withoutCursor_pointsAtTheEndInCodePoints() throws Exception {
        CompleteRequest r = Messages.read(json.readTree("{\"code\": \"a\\uD83D\\uDE00b\"}"), CompleteRequest.class);
        assertEquals(3, r.cursorPos());
    }
}
