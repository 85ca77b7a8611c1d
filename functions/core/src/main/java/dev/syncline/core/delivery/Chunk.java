package dev.syncline.core.delivery;

import dev.syncline.core.plan.PlannedEntry;
import java.util.List;
import java.util.Objects;

/** A chunk as the planner stored it: its entries, in order; an entry's index is its position. */
public record Chunk(ChunkRef ref, List<PlannedEntry> entries) {

    public Chunk {
        Objects.requireNonNull(ref, "ref");
        entries = List.copyOf(entries);
    }
}
