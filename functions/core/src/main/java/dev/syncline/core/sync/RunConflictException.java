package dev.syncline.core.sync;

import dev.syncline.core.SynclineException;

/** A run write lost a race or would break the status rules; the message says what the run's state is. */
public final class RunConflictException extends SynclineException.Conflict {

    private static final long serialVersionUID = 1L;

    public RunConflictException(String message) {
        super(message);
    }
}
