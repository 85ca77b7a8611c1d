package dev.syncline.api;

/**
 * The kinds of problem the API answers with, each an RFC 9457 problem type: a stable URI a client can branch
 * on, the status it comes with, and a short title. {@code docs/api.md} describes each.
 */
enum ProblemType {
    MALFORMED_REQUEST(400, "malformed-request", "The request is malformed"),
    UNAUTHORIZED(401, "unauthorized", "An API key is required"),
    APP_TOKEN_REFUSED(401, "app-token-refused", "The App's token is refused"),
    FORBIDDEN(403, "forbidden", "The operator's key is needed"),
    NOT_FOUND(404, "not-found", "Not found"),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
    CONFLICT(409, "conflict", "The current state refuses the request"),
    PAYLOAD_TOO_LARGE(413, "payload-too-large", "The request body is too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
    VALIDATION_FAILED(422, "validation-failed", "The request breaks rules"),
    CONFIGURATION_REJECTED(422, "configuration-rejected", "The configuration step was refused"),
    INTERNAL_ERROR(500, "internal-error", "Internal error"),
    APP_CALL_FAILED(502, "app-call-failed", "The App did not cooperate");

    private static final String BASE = "https://syncline.dev/problems/";

    private final int status;
    private final String slug;
    private final String title;

    ProblemType(int status, String slug, String title) {
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    int status() {
        return status;
    }

    String uri() {
        return BASE + slug;
    }

    String title() {
        return title;
    }
}
