package dev.syncline.core.delivery;

import dev.syncline.core.sync.Phase;
import java.util.Objects;
import java.util.UUID;

/** Names one chunk of a run's plan: the unit of work, of retry and of counting. */
public record ChunkRef(UUID runId, Phase phase, int chunk) {

    public ChunkRef {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(phase, "phase");
        if (chunk < 0) {
            throw new IllegalArgumentException("chunk must not be negative, got " + chunk);
        }
    }

    @Override
    public String toString() {
        return runId + "/" + phase.wireName() + "/" + chunk;
    }
}
