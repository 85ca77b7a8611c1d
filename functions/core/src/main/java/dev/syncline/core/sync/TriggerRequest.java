package dev.syncline.core.sync;

import java.util.Objects;
import java.util.UUID;

/**
 * A PIM's request to synchronize an installation from a snapshot.
 *
 * @param idempotencyKey the request's {@code Idempotency-Key}, or null
 */
public record TriggerRequest(UUID installationId, SyncMode mode, String snapshotId, String idempotencyKey) {

    public TriggerRequest {
        Objects.requireNonNull(installationId, "installationId");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(snapshotId, "snapshotId");
    }
}
