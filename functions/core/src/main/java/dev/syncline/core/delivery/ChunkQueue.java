package dev.syncline.core.delivery;

import java.util.List;

/** Hands released chunks to workers (the work queue). */
public interface ChunkQueue {

    void send(List<ChunkRef> chunks);

    /** Hands a chunk's next pass to a worker: the entries a worker had no time left for. */
    void handOn(ChunkWork next);

    /**
     * About how many messages wait in the queue for a worker (not those a worker holds). A chunk no worker picked up
     * while others wait is queued behind them; with none waiting, its message is gone.
     */
    long waiting();
}
