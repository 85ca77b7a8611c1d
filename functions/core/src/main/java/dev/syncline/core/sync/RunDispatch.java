package dev.syncline.core.sync;

import dev.syncline.core.plan.PlanTotals;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A run's dispatch state and its guarded counters, every write a single-item conditional update:
 * <ul>
 *   <li>the window: chunks of the current phase are claimed a few at a time (at most {@code window} in
 *       flight across all workers), so an App's concurrency stays bounded and a cancel stops at once;</li>
 *   <li>the counters: a chunk's counts are applied once, the guard living in the same item as the
 *       counters it protects, so a redelivered message never double-counts;</li>
 *   <li>phase completion: exactly one caller learns that a phase's last entry is terminal.</li>
 * </ul>
 */
public interface RunDispatch {

    /**
     * Stores a finished plan: per-phase chunk sizes and planned counters, the current phase (the first
     * with entries, or none), the window; moves the run from preparing to execution.
     *
     * @throws RunConflictException when the run is not preparing (cancelled meanwhile)
     */
    default void planned(UUID runId, PlanTotals totals, Optional<Phase> firstPhase, int window, Instant now) {
        planned(runId, totals, firstPhase, window, null, now);
    }

    /**
     * Stores a finished plan like {@link #planned(UUID, PlanTotals, Optional, int, Instant)}, but when
     * {@code heldBecause} is given the run moves to awaiting_confirmation with that reason instead of execution,
     * and nothing can be claimed until {@link RunStatus#EXECUTION}: the deletion guard held it.
     *
     * @param heldBecause why the run waits for confirmation, or null to dispatch at once
     * @throws RunConflictException when the run is not preparing (cancelled meanwhile)
     */
    void planned(UUID runId, PlanTotals totals, Optional<Phase> firstPhase, int window, String heldBecause, Instant now);

    /**
     * Claims the next chunks of {@code phase} while the window has room, the run is in execution and the
     * phase is current.
     *
     * @return the claimed chunk numbers, possibly none
     */
    List<Integer> claim(UUID runId, Phase phase, Instant now);

    /**
     * Applies a chunk's counts unless they were applied before.
     *
     * @return whether this call applied them, and whether the phase is complete afterwards
     */
    Counted count(UUID runId, Phase phase, int chunk, PhaseCounts delta, Instant now);

    /**
     * Frees a chunk's window slot (repeating it is harmless) and adapts the window: halved when the App
     * pushed back (429, 5xx, no answer within the request timeout), one wider otherwise, within the installation's limit.
     *
     * @return the window after this chunk, or 0 when it was not adapted (the chunk was completed before, the phase
     *     moved on, or other workers kept the window contended)
     */
    int complete(UUID runId, Phase phase, int chunk, boolean throttled, Instant now);

    /**
     * Notes that the run moved without a chunk completing (a chunk's pass was handed on to the next), so that the
     * reconciler does not take a run whose chunks take several passes for a stalled one.
     */
    void progressed(UUID runId, Instant now);

    /** Moves the run's current phase from {@code from} to {@code to} (none: no phase left); true for one caller. */
    boolean advance(UUID runId, Phase from, Optional<Phase> to, Instant now);

    /**
     * Stamps that a worker picked a chunk up and starts delivering it (every delivery of its message does), so the
     * reconciler can tell a chunk still queued behind other work from one lost with its worker.
     */
    void received(UUID runId, Phase phase, int chunk, Instant now);

    /**
     * Stamps that the reconciler sent a lost chunk again.
     *
     * @return how often the chunk has been sent again, this time included
     */
    int resent(UUID runId, Phase phase, int chunk, Instant now);

    /** What the stamps of {@link #received} and {@link #resent} say of a chunk; {@link ChunkStamps#NONE} when it has none. */
    ChunkStamps stamps(UUID runId, Phase phase, int chunk);

    /** The dispatch state, for the reconciler and the read API. */
    Optional<DispatchState> state(UUID runId);

    /**
     * The chunks of {@code phase} whose counts were not applied yet, in order. A worker frees a chunk's slot before
     * it counts it, so a worker that stopped in between leaves a chunk that is neither open nor counted: the
     * reconciler finds it here.
     */
    List<Integer> uncounted(UUID runId, Phase phase);

    /** Per-phase counters as recorded. */
    java.util.Map<Phase, PhaseCounts> counts(UUID runId);

    /**
     * A chunk's claim stamps.
     *
     * @param receivedAt when a worker last picked it up, empty if none ever did
     * @param resends how often the reconciler sent it again
     * @param resentAt when it was last sent again, empty if never
     */
    record ChunkStamps(Optional<Instant> receivedAt, int resends, Optional<Instant> resentAt) {

        /** A chunk no worker picked up and the reconciler never sent again. */
        public static final ChunkStamps NONE = new ChunkStamps(Optional.empty(), 0, Optional.empty());

        /** Whether a worker picked up its latest message: the release or, once re-sent, the last re-send. */
        public boolean receivedSinceSent() {
            return receivedAt.isPresent() && (resentAt.isEmpty() || !receivedAt.get().isBefore(resentAt.get()));
        }
    }

    /** What {@link #count} did. */
    record Counted(boolean applied, boolean phaseComplete) {
    }

    /**
     * @param phase the current phase, empty when every phase is done
     * @param released chunks of the current phase claimed so far
     * @param open chunks claimed and not yet completed
     * @param rejectedLines snapshot lines the plan rejected
     * @param guardHold the deletions that made the deletion guard hold the run; empty when it did not
     * @param snapshotSha256 the SHA-256 of the snapshot the run was planned from; empty for a plan that did not record it
     * @param snapshotLines the lines of that snapshot, blank ones aside; empty with the digest
     */
    record DispatchState(
            RunStatus status,
            Optional<Phase> phase,
            int chunks,
            int released,
            List<Integer> open,
            int window,
            long rejectedLines,
            Instant updatedAt,
            Optional<GuardHold> guardHold,
            Optional<String> snapshotSha256,
            Optional<Long> snapshotLines) {

        /** A run the deletion guard did not hold. */
        public DispatchState(RunStatus status, Optional<Phase> phase, int chunks, int released, List<Integer> open, int window,
                long rejectedLines, Instant updatedAt) {
            this(status, phase, chunks, released, open, window, rejectedLines, updatedAt, Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    /**
     * Why the deletion guard held a run.
     *
     * @param wouldDelete deletions the plan holds
     * @param held resources the App held when the run was planned
     */
    record GuardHold(long wouldDelete, long held) {
    }
}
