package dev.syncline.sampleapp;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** An answer the App sends: status, extra headers and body bytes (empty for no body). */
record HttpReply(int status, Map<String, String> headers, byte[] body) {

    static final String JSON = "application/json";
    static final String CSV = "text/csv; charset=utf-8";

    HttpReply {
        headers = Map.copyOf(headers);
        body = body.clone();
    }

    static HttpReply json(int status, JsonNode body) {
        return new HttpReply(status, Map.of("Content-Type", JSON), Json.bytes(body));
    }

    static HttpReply error(int status, String code, String message) {
        return json(status, Json.error(code, message));
    }

    static HttpReply noContent() {
        return new HttpReply(204, Map.of(), new byte[0]);
    }

    static HttpReply csv(String text) {
        return new HttpReply(200, Map.of("Content-Type", CSV), text.getBytes(StandardCharsets.UTF_8));
    }

    HttpReply withHeader(String name, String value) {
        var merged = new LinkedHashMap<>(headers);
        merged.put(name, value);
        return new HttpReply(status, merged, body);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
