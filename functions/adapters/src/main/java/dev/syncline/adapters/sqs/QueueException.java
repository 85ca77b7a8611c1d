package dev.syncline.adapters.sqs;

/** SQS refused messages; the message says which and why. */
public final class QueueException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public QueueException(String message) {
        super(message);
    }
}
