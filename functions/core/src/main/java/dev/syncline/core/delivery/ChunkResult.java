package dev.syncline.core.delivery;

import dev.syncline.core.sync.PhaseCounts;
import java.util.List;
import java.util.Objects;

/**
 * The results of every entry of one chunk, recorded once. Between passes (see {@link ChunkWork}) it is the
 * chunk's progress: entries still {@link EntryStatus#PLANNED} have not ended, and carry the attempts made so far.
 */
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

    /** Whether every entry ended. */
    public boolean finished() {
        return entries.stream().noneMatch(entry -> entry.status() == EntryStatus.PLANNED);
    }

    /** Attempts made on all entries so far. */
    public long attempts() {
        return entries.stream().mapToLong(EntryResult::attempts).sum();
    }

    public boolean throttled() {
        return entries.stream().anyMatch(EntryResult::throttled);
    }
}
