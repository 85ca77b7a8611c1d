package dev.syncline.sampleapp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The App's one configured JSON mapper, and the few ways it reads and writes JSON. */
final class Json {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            // A body such as `{"a":1} trailing` is a broken request, not an object with garbage after it.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    /** Parses a request body; an empty body is JSON {@code null}. */
    static JsonNode parse(byte[] body) throws JsonProcessingException {
        if (body.length == 0) {
            return NullNode.getInstance();
        }
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            // Reading from a byte array does no I/O; anything else is a parse problem already thrown above.
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    static String compact(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** The error body every non-2xx answer of the App carries: a stable code and a sentence for humans. */
    static ObjectNode error(String code, String message) {
        return object().put("error", code).put("message", message);
    }
}
