package dev.syncline.sampleapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One request the sample App received, as recorded for tests. The {@code X-APP-TOKEN} value is never kept
 * (its header is present with a redacted value) and neither is a handshake's {@code shared_secret}.
 *
 * @param method HTTP method
 * @param path request path, for example {@code /consume/product_created}
 * @param event the event of a {@code /consume/{event}} request, {@code null} for other paths
 * @param body the parsed JSON body ({@code null} node when empty; a text node holding the raw text when the
 *     body was not JSON). Treat it as read-only.
 * @param headers request headers by lower-case name
 * @param claims the token's claims, present only when the token verified
 * @param receivedAt when the request arrived
 * @param status the HTTP status the App answered
 * @param outcome what the App did with it
 * @param reason why it was rejected, faulted or invalid; {@code null} when accepted
 */
public record ReceivedRequest(
        String method,
        String path,
        String event,
        JsonNode body,
        Map<String, List<String>> headers,
        Map<String, Object> claims,
        Instant receivedAt,
        int status,
        Outcome outcome,
        String reason) {

    /** What the App did with a request. */
    public enum Outcome {
        /** Handled: the catalog was changed, the handshake stored, or the file served. */
        ACCEPTED,
        /** A repeated {@code X-Idempotency-Key}: acknowledged with the first answer, not applied again. */
        DUPLICATE,
        /** The token was missing or did not verify: answered 401. */
        REJECTED,
        /** An injected fault answered instead of the App. */
        FAULTED,
        /** The request itself was wrong (body, path, method, missing claim): answered 4xx. */
        INVALID,
        /** The App failed unexpectedly: answered 500. */
        FAILED
    }

    static final String REDACTED = "[redacted]";

    public ReceivedRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        body = body == null ? NullNode.getInstance() : body.deepCopy();
        var copiedHeaders = new LinkedHashMap<String, List<String>>();
        headers.forEach((name, values) -> copiedHeaders.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        headers = Collections.unmodifiableMap(copiedHeaders);
        // Claims may hold JSON nulls, which Map.copyOf refuses.
        claims = Collections.unmodifiableMap(new LinkedHashMap<>(claims));
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** The first value of a header, by case-insensitive name. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** The {@code app_installation_id} claim of a verified token. */
    public Optional<String> installationId() {
        return claim("app_installation_id");
    }

    /** The {@code synchronization_id} claim of a verified token. */
    public Optional<String> synchronizationId() {
        return claim("synchronization_id");
    }

    public Optional<String> idempotencyKey() {
        return header("X-Idempotency-Key");
    }

    /** {@code resource_id.id} of a resource event: the SKU, attribute code or category code. */
    public Optional<String> resourceId() {
        JsonNode id = body.path("resource_id").path("id");
        return id.isTextual() ? Optional.of(id.asText()) : Optional.empty();
    }

    /** The change types inside {@code synchronization.events}, in the order sent. */
    public List<String> changeTypes() {
        return body.path("synchronization").path("events").valueStream()
                .map(change -> change.path("type").asText())
                .toList();
    }

    public boolean isConsume() {
        return event != null;
    }

    private Optional<String> claim(String name) {
        return claims.get(name) instanceof String value ? Optional.of(value) : Optional.empty();
    }

    ObjectNode toJson() {
        ObjectNode json = Json.object()
                .put("method", method)
                .put("path", path)
                .put("event", event)
                .put("installation_id", installationId().orElse(null))
                .put("synchronization_id", synchronizationId().orElse(null))
                .put("status", status)
                .put("outcome", outcome.name().toLowerCase(Locale.ROOT))
                .put("reason", reason)
                .put("received_at", receivedAt.toString());
        json.set("headers", Json.MAPPER.valueToTree(headers));
        json.set("claims", Json.MAPPER.valueToTree(claims));
        json.set("body", body);
        return json;
    }
}
