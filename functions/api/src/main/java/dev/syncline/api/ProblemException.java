package dev.syncline.api;

import java.util.Map;
import java.util.Objects;

/**
 * A request the API refuses before the domain sees it (no API key, not JSON, unknown route). The domain's own
 * refusals are {@code SynclineException}s; both end up as a {@link Problem}.
 */
final class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ProblemType type;
    // Never serialized: the API answers with JSON.
    private final transient Map<String, String> headers;

    ProblemException(ProblemType type, String detail) {
        this(type, detail, Map.of());
    }

    ProblemException(ProblemType type, String detail, Map<String, String> headers) {
        super(detail);
        this.type = Objects.requireNonNull(type, "type");
        this.headers = Map.copyOf(headers);
    }

    ProblemType type() {
        return type;
    }

    /** Headers the answer must carry, e.g. {@code Allow} with a 405. */
    Map<String, String> headers() {
        return headers;
    }
}
