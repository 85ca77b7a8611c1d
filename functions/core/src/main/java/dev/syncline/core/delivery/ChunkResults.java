package dev.syncline.core.delivery;

import java.util.Optional;

/**
 * The recorded results of chunks, one record per chunk, written once: the first recording wins and
 * later ones (a redelivered message) find it there. Failed entries are also indexed on their own, so
 * listing a run's failures never reads its successes.
 */
public interface ChunkResults {

    /**
     * Records a chunk's results unless they are recorded already.
     *
     * @return the results on record: {@code result} when this call recorded it, else the earlier record
     */
    Recorded record(ChunkResult result);

    Optional<ChunkResult> find(ChunkRef ref);

    /** What {@link #record} found. */
    record Recorded(ChunkResult result, boolean first) {
    }
}
