package dev.syncline.api;

import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.json.MalformedJsonException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Reads request bodies: JSON only, of a bounded size, every problem answered with what to fix. */
final class JsonBodies {

    /** Far above any valid request (a manifest's icon and schemas are capped well below), far below memory. */
    static final int MAX_BYTES = 1024 * 1024;

    private final JsonCodec json;

    JsonBodies(JsonCodec json) {
        this.json = json;
    }

    /**
     * @throws ProblemException 415 when the body is not declared JSON, 413 when it is too large, 400 when it is
     *     not JSON of the expected shape
     */
    <T> T read(ApiRequest request, Class<T> type) {
        String contentType = request.header("Content-Type").orElse("");
        String mediaType = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json") && !mediaType.endsWith("+json")) {
            throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, contentType.isBlank()
                    ? "The request has no Content-Type: send the JSON body with 'Content-Type: application/json'."
                    : "Content-Type must be application/json, got '" + contentType + "'.");
        }
        int size = request.body().getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_BYTES) {
            throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE,
                    "The body is " + size + " bytes; at most " + MAX_BYTES + " bytes are accepted.");
        }
        try {
            return json.read(request.body(), type);
        } catch (MalformedJsonException e) {
            String reason = e.getMessage().endsWith(".") ? e.getMessage() : e.getMessage() + ".";
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "The body cannot be read: " + reason);
        }
    }
}
