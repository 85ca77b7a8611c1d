package dev.syncline.core.delivery;

import java.util.Objects;

/**
 * One message of the work queue: a chunk and the pass over it. Pass 0 is the chunk as released; when a worker's
 * time runs out before every entry of the chunk ended, it records how far it got and hands the rest on as the
 * next pass, which another worker continues.
 */
public record ChunkWork(ChunkRef ref, int pass) {

    public ChunkWork {
        Objects.requireNonNull(ref, "ref");
        if (pass < 0) {
            throw new IllegalArgumentException("pass must not be negative, got " + pass);
        }
    }

    /** The chunk as released: its first pass. */
    public static ChunkWork of(ChunkRef ref) {
        return new ChunkWork(ref, 0);
    }

    public ChunkWork next() {
        return new ChunkWork(ref, pass + 1);
    }

    @Override
    public String toString() {
        return ref + (pass == 0 ? "" : " pass " + pass);
    }
}
