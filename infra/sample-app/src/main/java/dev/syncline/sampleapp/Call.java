package dev.syncline.sampleapp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** One request being handled: what arrived, and what will be recorded about it. Used by one thread. */
final class Call {

    /** Larger bodies are refused with 413; the engine's entries are far smaller. */
    static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

    /** Headers whose values are credentials, kept out of every recording. */
    private static final Set<String> SECRET_HEADERS = Set.of("x-app-token", "authorization");

    /** How much of a body that is not JSON is kept in a recording. */
    private static final int KEPT_TEXT_CHARS = 2_000;

    private final String method;
    private final URI uri;
    private final Map<String, List<String>> headers;
    private final Instant receivedAt;
    private final boolean tooLarge;
    private final JsonNode body;
    private final boolean bodyIsJson;
    private final Recorder recorder;

    private String event;
    private JsonNode recordedBody;
    private Map<String, Object> claims = Map.of();
    private boolean recorded;

    private Call(String method, URI uri, Map<String, List<String>> headers, Instant receivedAt, byte[] body,
                 boolean tooLarge, Recorder recorder) {
        this.method = method;
        this.uri = uri;
        this.headers = headers;
        this.receivedAt = receivedAt;
        this.tooLarge = tooLarge;
        this.recorder = recorder;
        JsonNode parsed;
        boolean json;
        try {
            parsed = Json.parse(body);
            json = true;
        } catch (JsonProcessingException e) {
            String text = new String(body, StandardCharsets.UTF_8);
            parsed = TextNode.valueOf(text.length() > KEPT_TEXT_CHARS ? text.substring(0, KEPT_TEXT_CHARS) : text);
            json = false;
        }
        this.body = parsed;
        this.bodyIsJson = json;
        this.recordedBody = parsed;
    }

    static Call read(HttpExchange exchange, Instant receivedAt, Recorder recorder) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        boolean tooLarge = body.length > MAX_BODY_BYTES;
        var headers = new LinkedHashMap<String, List<String>>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                List.copyOf(values)));
        return new Call(exchange.getRequestMethod(), exchange.getRequestURI(), headers, receivedAt,
                tooLarge ? new byte[0] : body, tooLarge, recorder);
    }

    String method() {
        return method;
    }

    String path() {
        return uri.getPath();
    }

    String rawQuery() {
        return uri.getRawQuery();
    }

    /** The first value of a header, {@code null} when absent. */
    String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    boolean tooLarge() {
        return tooLarge;
    }

    JsonNode body() {
        return body;
    }

    boolean bodyIsJson() {
        return bodyIsJson;
    }

    void event(String event) {
        this.event = event;
    }

    /** Replaces what the recording shows of the body, to keep a secret out of it. */
    void recordBodyAs(JsonNode shown) {
        this.recordedBody = shown;
    }

    void claims(Map<String, Object> claims) {
        this.claims = claims;
    }

    /**
     * Records the request with the answer it got. Only the first call counts, so that a request recorded before
     * an injected hang is not recorded again when it is finally answered.
     */
    void record(Answer answer) {
        if (recorded) {
            return;
        }
        recorded = true;
        var shownHeaders = new LinkedHashMap<String, List<String>>();
        headers.forEach((name, values) -> shownHeaders.put(name,
                SECRET_HEADERS.contains(name) ? List.of(ReceivedRequest.REDACTED) : values));
        recorder.add(new ReceivedRequest(method, path(), event, recordedBody, shownHeaders, claims, receivedAt,
                answer.reply().status(), answer.outcome(), answer.reason()));
    }
}
