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

    /**
     * Records how far pass {@code pass} of a chunk got, unless that pass is recorded already: every entry that ended
     * so far, and the open ones ({@link EntryStatus#PLANNED}) with their attempts. The first recording wins.
     *
     * @return the progress on record for that pass, and whether this call recorded it
     */
    Recorded recordPass(ChunkResult progress, int pass);

    /** The progress of the chunk's latest recorded pass, if a pass was handed on. */
    Optional<Pass> latestPass(ChunkRef ref);

    /** A chunk's progress after a pass. */
    record Pass(int pass, ChunkResult progress) {
    }

    /** What {@link #record} found. */
    record Recorded(ChunkResult result, boolean first) {
    }
}
