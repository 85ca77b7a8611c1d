package dev.syncline.core.delivery;

import java.util.List;

/** Hands released chunks to workers (the work queue). */
public interface ChunkQueue {

    void send(List<ChunkRef> chunks);

    /** Hands a chunk's next pass to a worker: the entries a worker had no time left for. */
    void handOn(ChunkWork next);
}
