package dev.syncline.core.plan;

import dev.syncline.core.SynclineException;

/** A trigger named a snapshot that was never uploaded (or has expired). */
public final class SnapshotNotFoundException extends SynclineException.NotFound {

    private static final long serialVersionUID = 1L;

    public SnapshotNotFoundException(String snapshotId) {
        super("Snapshot " + SynclineException.quote(snapshotId)
                + " does not exist for this installation; upload it with POST /v1/installations/{id}/snapshots first.");
    }
}
