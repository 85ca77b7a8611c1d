package dev.syncline.core.sync;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One synchronization of one installation.
 *
 * @param counts per-phase counters; phases without entries are absent or zero
 */
public record Run(
        UUID id,
        UUID installationId,
        SyncMode mode,
        RunStatus status,
        Instant createdAt,
        Instant updatedAt,
        Map<Phase, PhaseCounts> counts) {

    public Run {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(installationId, "installationId");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        EnumMap<Phase, PhaseCounts> copy = new EnumMap<>(Phase.class);
        for (Phase phase : Phase.values()) {
            copy.put(phase, counts == null ? PhaseCounts.ZERO : counts.getOrDefault(phase, PhaseCounts.ZERO));
        }
        counts = Map.copyOf(copy);
    }

    /** A new run in {@code preparing}, with every counter at zero. */
    public static Run start(UUID id, UUID installationId, SyncMode mode, Instant now) {
        return new Run(id, installationId, mode, RunStatus.PREPARING, now, now, Map.of());
    }

    public PhaseCounts countsOf(Phase phase) {
        return counts.get(phase);
    }
}
