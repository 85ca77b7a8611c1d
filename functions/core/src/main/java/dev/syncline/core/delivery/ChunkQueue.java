package dev.syncline.core.delivery;

import java.util.List;

/** Hands released chunks to workers (the work queue). */
public interface ChunkQueue {

    void send(List<ChunkRef> chunks);
}
