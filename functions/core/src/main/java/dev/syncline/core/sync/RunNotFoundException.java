package dev.syncline.core.sync;

import java.util.UUID;

/** There is no run with the given id. */
public final class RunNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RunNotFoundException(UUID runId) {
        super("No synchronization " + runId + " exists; check the id returned when the run was triggered.");
    }
}
