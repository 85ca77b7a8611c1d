package dev.syncline.core.sync;

import java.util.Objects;
import java.util.UUID;

/**
 * A PIM's request to synchronize an installation from a snapshot.
 *
 * @param idempotencyKey the request's {@code Idempotency-Key}, or null
 * @param preview plan the snapshot and wait, sending nothing, until the run is confirmed or cancelled
 */
public record TriggerRequest(UUID installationId, SyncMode mode, String snapshotId, String idempotencyKey, boolean preview) {

    /** A request to run at once. */
    public TriggerRequest(UUID installationId, SyncMode mode, String snapshotId, String idempotencyKey) {
        this(installationId, mode, snapshotId, idempotencyKey, false);
    }

    public TriggerRequest {
        Objects.requireNonNull(installationId, "installationId");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(snapshotId, "snapshotId");
    }
}
