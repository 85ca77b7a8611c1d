package dev.syncline.core.sync;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Durable record of runs: their status and per-phase counters. */
public interface RunStore {

    /**
     * Stores a new run.
     *
     * @throws RunConflictException if a run with this id already exists
     */
    void create(Run run);

    Optional<Run> find(UUID runId);

    /**
     * Moves a run from {@code expected} to {@code next} in one conditional write, so two workers racing
     * to finish or cancel the same run cannot both win.
     *
     * @return the run as it is after the move
     * @throws RunConflictException when the run is not in {@code expected} (someone else moved it first)
     * @throws RunNotFoundException when there is no such run
     */
    Run transition(UUID runId, RunStatus expected, RunStatus next, Instant now);

    /**
     * Adds {@code delta} to a phase's counters atomically and returns the counters after the addition.
     * Concurrent additions never lose an update.
     *
     * @throws RunNotFoundException when there is no such run
     */
    PhaseCounts addCounts(UUID runId, Phase phase, PhaseCounts delta, Instant now);
}
