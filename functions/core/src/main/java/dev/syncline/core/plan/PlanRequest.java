package dev.syncline.core.plan;

import dev.syncline.core.sync.SyncMode;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * What to plan: one run of one installation from one snapshot.
 *
 * @param subscribedEvents the App's subscribed event names; entries of other events are not planned
 */
public record PlanRequest(UUID runId, UUID installationId, String snapshotId, SyncMode mode, Set<String> subscribedEvents) {

    public PlanRequest {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(installationId, "installationId");
        Objects.requireNonNull(snapshotId, "snapshotId");
        Objects.requireNonNull(mode, "mode");
        subscribedEvents = Set.copyOf(subscribedEvents);
    }
}
