package dev.syncline.local;

/** The local stack cannot start or go on; the message says what to change, and is all the user is shown. */
final class LocalStackException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    LocalStackException(String message) {
        super(message);
    }

    LocalStackException(String message, Throwable cause) {
        super(message, cause);
    }
}
