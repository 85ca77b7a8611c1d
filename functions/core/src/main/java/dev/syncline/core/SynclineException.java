package dev.syncline.core;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A domain failure the caller can do something about. Its message says what to fix.
 *
 * <p>The root is sealed over four kinds, and the kind alone decides how the API answers, so the API
 * maps them in one exhaustive {@code switch}: {@link Invalid} → 422 (with the violations), {@link
 * NotFound} → 404, {@link Conflict} → 409, {@link UpstreamFailure} → 502. Features extend a kind
 * when they need to carry more (for example what an App answered); the kinds themselves are {@code
 * non-sealed} for that reason. Anything that is not a {@code SynclineException} is a bug.
 *
 * <p>The kinds live here, above the feature packages, so that every feature throws the same four
 * and none depends on another just to report an error.
 */
public abstract sealed class SynclineException extends RuntimeException
        permits SynclineException.Invalid,
                SynclineException.NotFound,
                SynclineException.Conflict,
                SynclineException.UpstreamFailure {

    private static final long serialVersionUID = 1L;

    /** How long a rejected value may be when a message quotes it. */
    private static final int QUOTED_VALUE_LIMIT = 60;

    protected SynclineException(String message) {
        super(requireText(message));
    }

    private static String requireText(String message) {
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException(
                    "a domain exception needs a message saying what to fix");
        }
        return message;
    }

    /**
     * Quotes a rejected value for a message, shortened so that a huge input cannot make a huge
     * error response.
     */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        if (value.codePointCount(0, value.length()) <= QUOTED_VALUE_LIMIT) {
            return "'" + value + "'";
        }
        int end = value.offsetByCodePoints(0, QUOTED_VALUE_LIMIT);
        return "'" + value.substring(0, end) + "…'";
    }

    /**
     * One rule a request broke.
     *
     * @param field where the problem is, as the request names it ({@code description}, {@code
     *     features[2]})
     * @param message what is wrong and what would be accepted, starting with the field name
     */
    public record Violation(String field, String message) {
        public Violation {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(message, "message");
        }
    }

    /** The request is well-formed but breaks domain rules; every broken rule is listed. */
    public static non-sealed class Invalid extends SynclineException {
        private static final long serialVersionUID = 1L;

        // Domain exceptions are never serialized (the API answers with JSON).
        private final transient List<Violation> violations;

        /**
         * @param subject what was rejected, e.g. "manifest of app 'shop-export'"
         * @param violations every rule broken, at least one
         */
        public Invalid(String subject, List<Violation> violations) {
            super(summary(subject, violations));
            this.violations = List.copyOf(violations);
        }

        private static String summary(String subject, List<Violation> violations) {
            if (violations == null || violations.isEmpty()) {
                throw new IllegalArgumentException(
                        "an Invalid exception needs at least one violation");
            }
            return subject
                    + " is invalid: "
                    + violations.stream().map(Violation::message).collect(Collectors.joining("; "));
        }

        /** Every rule broken, in the order of the request's fields. */
        public List<Violation> violations() {
            return violations;
        }
    }

    /** What the request names does not exist. */
    public static non-sealed class NotFound extends SynclineException {
        private static final long serialVersionUID = 1L;

        public NotFound(String message) {
            super(message);
        }
    }

    /** The request is valid but the current state refuses it; the message says which state. */
    public static non-sealed class Conflict extends SynclineException {
        private static final long serialVersionUID = 1L;

        public Conflict(String message) {
            super(message);
        }
    }

    /** A service the request depended on (an App) failed; the message says what it answered. */
    public static non-sealed class UpstreamFailure extends SynclineException {
        private static final long serialVersionUID = 1L;

        public UpstreamFailure(String message) {
            super(message);
        }
    }
}
