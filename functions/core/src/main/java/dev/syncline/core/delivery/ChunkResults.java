package dev.syncline.core.delivery;

import java.time.Instant;
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

    /**
     * Takes the lease on a pass of a chunk, so that two deliveries of the same message (SQS delivers at least once,
     * a pass may be handed on twice) never call the App side by side: granted when nobody holds it, or when its
     * holder's lease ran out (its worker was stopped at its time limit by then).
     *
     * @param until when the lease runs out: after the holder's worker must have ended
     * @return whether this call holds the lease
     */
    boolean lease(ChunkWork work, Instant until, Instant now);

    /** A chunk's progress after a pass. */
    record Pass(int pass, ChunkResult progress) {
    }

    /** What {@link #record} found. */
    record Recorded(ChunkResult result, boolean first) {
    }
}
