package dev.syncline.sampleapp;

/** A request the App cannot act on as sent; answered 400 with the message, which says what is wrong. */
final class InvalidRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    InvalidRequestException(String message) {
        super(message);
    }
}
