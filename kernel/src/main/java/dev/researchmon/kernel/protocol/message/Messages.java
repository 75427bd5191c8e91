package dev.researchmon.kernel.protocol.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Message contents as records: Jupyter's snake_case names from the records' camelCase components,
 * absent optional fields left out, unknown fields (a newer protocol's) ignored.
 *
 * <pre>{@code
 * ExecuteRequest req = Messages.read(msg.content(), ExecuteRequest.class);
 * ObjectNode content = Messages.content(ExecuteReply.ok(3, List.of()));
 * }</pre>
 */
public final class Messages {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Messages() {}

    /**
     * A request's content as its record.
     *
     * @throws BadRequestException when a field has the wrong type
     */
    public static <T> T read(JsonNode content, Class<T> type) {
        try {
            return JSON.treeToValue(content, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new BadRequestException(type.getSimpleName(), e);
        }
    }

    /**
     * {@code display_data}'s content, {@code {"data": {...}, "metadata": {}, "transient": {}}}, made
     * as a tree at once rather than from a record: a cost footer sends one after every cell, and
     * Jackson's record-to-tree conversion (serialize, then read the tokens back) was the larger part
     * of what that message cost the cell's thread, in C1 code and cold caches after javac's work.
     */
    public static ObjectNode displayData(Map<String, String> data) {
        ObjectNode content = JSON.createObjectNode();
        ObjectNode mimeBundle = content.putObject("data");
        data.forEach(mimeBundle::put);
        content.putObject("metadata");
        content.putObject("transient");
        return content;
    }

    /** A record as message content. */
    public static ObjectNode content(Object record) {
        return JSON.valueToTree(record);
    }
}
