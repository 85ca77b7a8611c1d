package dev.syncline.core.sync;

/** A run write lost a race or would break the status rules; the message says what the run's state is. */
public final class RunConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RunConflictException(String message) {
        super(message);
    }
}
