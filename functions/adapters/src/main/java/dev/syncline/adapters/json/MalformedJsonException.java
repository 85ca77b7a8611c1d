package dev.syncline.adapters.json;

/**
 * A JSON text that could not be read: not JSON at all, or JSON of the wrong shape for what was expected.
 * The message says where and what to fix, in the terms of the JSON (field names as the sender wrote
 * them, "an array", "a string"), never in Java's.
 */
public final class MalformedJsonException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    MalformedJsonException(String message, Throwable cause) {
        super(message, cause);
    }
}
