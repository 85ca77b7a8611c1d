package dev.syncline.core.delivery;

/** Reads the chunks the planner wrote. */
public interface ChunkStore {

    /** @throws IllegalStateException when the chunk does not exist: a plan is never partly written */
    Chunk load(ChunkRef ref);
}
