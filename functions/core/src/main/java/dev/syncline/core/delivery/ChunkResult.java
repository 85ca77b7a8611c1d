package dev.syncline.core.delivery;

import dev.syncline.core.sync.PhaseCounts;
import java.util.List;
import java.util.Objects;

/** The results of every entry of one chunk, recorded once. */
public record ChunkResult(ChunkRef ref, List<EntryResult> entries) {

    public ChunkResult {
        Objects.requireNonNull(ref, "ref");
        entries = List.copyOf(entries);
    }

    /** The chunk's contribution to its phase's counters (planned counts are set by the planner). */
    public PhaseCounts counts() {
        long succeeded = 0;
        long failed = 0;
        long cancelled = 0;
        for (EntryResult entry : entries) {
            switch (entry.status()) {
                case SUCCEEDED -> succeeded++;
                case FAILED -> failed++;
                case CANCELLED -> cancelled++;
                case PLANNED -> throw new IllegalStateException("entry " + entry.index() + " of " + ref + " has no final status");
            }
        }
        return new PhaseCounts(0, succeeded, failed, cancelled);
    }

    public boolean throttled() {
        return entries.stream().anyMatch(EntryResult::throttled);
    }
}
