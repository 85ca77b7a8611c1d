package dev.syncline.core.sync;

import dev.syncline.core.SynclineException;
import java.util.UUID;

/** There is no run with the given id. */
public final class RunNotFoundException extends SynclineException.NotFound {

    private static final long serialVersionUID = 1L;

    public RunNotFoundException(UUID runId) {
        super("No synchronization " + runId + " exists; check the id returned when the run was triggered.");
    }
}
