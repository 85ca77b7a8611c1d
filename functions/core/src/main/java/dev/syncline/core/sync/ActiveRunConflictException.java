package dev.syncline.core.sync;

import dev.syncline.core.SynclineException;
import java.util.Objects;
import java.util.UUID;

/** The installation already has an active run: a client can follow or cancel it by the id it carries. */
public final class ActiveRunConflictException extends SynclineException.Conflict {

    private static final long serialVersionUID = 1L;

    private final UUID activeRunId;

    public ActiveRunConflictException(UUID installationId, UUID activeRunId) {
        this(installationId, activeRunId, false);
    }

    /** @param preview whether the active run is a preview, which holds the installation until it is run or discarded */
    public ActiveRunConflictException(UUID installationId, UUID activeRunId, boolean preview) {
        super(preview
                ? "Installation " + installationId + " has a preview " + activeRunId + " waiting to be run or discarded; run it with"
                        + " POST /v1/synchronizations/" + activeRunId + "/confirm or discard it with POST /v1/synchronizations/"
                        + activeRunId + "/cancel, then trigger again."
                : "Installation " + installationId + " already has an active synchronization " + activeRunId
                        + "; wait for it to end, confirm it if it awaits confirmation, or cancel it with POST /v1/synchronizations/"
                        + activeRunId + "/cancel.");
        this.activeRunId = Objects.requireNonNull(activeRunId, "activeRunId");
    }

    public UUID activeRunId() {
        return activeRunId;
    }
}
