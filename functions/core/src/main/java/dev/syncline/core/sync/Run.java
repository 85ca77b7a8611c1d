package dev.syncline.core.sync;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One synchronization of one installation.
 *
 * @param snapshotId the snapshot the run plans from
 * @param reason why the run failed, why it awaits confirmation, or why it was cancelled unconfirmed; null otherwise
 * @param counts per-phase counters; phases without entries are zero
 * @param preview whether the run was asked for as a preview: once planned it waits in awaiting_confirmation, having sent
 *     nothing, until it is confirmed (run as planned) or cancelled (discarded)
 */
public record Run(
        UUID id,
        UUID installationId,
        SyncMode mode,
        String snapshotId,
        RunStatus status,
        String reason,
        Instant createdAt,
        Instant updatedAt,
        Map<Phase, PhaseCounts> counts,
        boolean preview) {

    public Run {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(installationId, "installationId");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(snapshotId, "snapshotId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        EnumMap<Phase, PhaseCounts> copy = new EnumMap<>(Phase.class);
        for (Phase phase : Phase.values()) {
            copy.put(phase, counts == null ? PhaseCounts.ZERO : counts.getOrDefault(phase, PhaseCounts.ZERO));
        }
        counts = Map.copyOf(copy);
    }

    /** A run that is not a preview. */
    public Run(UUID id, UUID installationId, SyncMode mode, String snapshotId, RunStatus status, String reason, Instant createdAt,
            Instant updatedAt, Map<Phase, PhaseCounts> counts) {
        this(id, installationId, mode, snapshotId, status, reason, createdAt, updatedAt, counts, false);
    }

    /** A new run in {@code preparing}, with every counter at zero. */
    public static Run start(UUID id, UUID installationId, SyncMode mode, String snapshotId, Instant now) {
        return new Run(id, installationId, mode, snapshotId, RunStatus.PREPARING, null, now, now, Map.of());
    }

    /** This new run as a preview: planned, then held until it is confirmed or cancelled. */
    public Run asPreview() {
        return new Run(id, installationId, mode, snapshotId, status, reason, createdAt, updatedAt, counts, true);
    }

    public PhaseCounts countsOf(Phase phase) {
        return counts.get(phase);
    }

    public Run withCounts(Map<Phase, PhaseCounts> newCounts) {
        return new Run(id, installationId, mode, snapshotId, status, reason, createdAt, updatedAt, newCounts, preview);
    }
}
