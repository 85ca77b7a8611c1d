package dev.syncline.core.sync;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Durable record of runs: what was asked, their status and history. */
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
     * @param reason why, for failures; null otherwise
     * @return the run as it is after the move
     * @throws RunConflictException when the run is not in {@code expected} (someone else moved it first)
     * @throws RunNotFoundException when there is no such run
     */
    Run transition(UUID runId, RunStatus expected, RunStatus next, String reason, Instant now);

    /** The run created for an installation under an idempotency key, if any. */
    Optional<UUID> findByIdempotencyKey(UUID installationId, String idempotencyKey);

    /**
     * Remembers that {@code idempotencyKey} created {@code runId}.
     *
     * @return empty if remembered, else the run an earlier request created under the same key
     */
    Optional<UUID> rememberIdempotencyKey(UUID installationId, String idempotencyKey, UUID runId);

    /**
     * Points an idempotency key that names a run never created (the request that remembered it died before creating
     * it) at {@code runId}, unless it was moved meanwhile.
     *
     * @return whether the key now names {@code runId}
     */
    boolean reassignIdempotencyKey(UUID installationId, String idempotencyKey, UUID dangling, UUID runId);

    /** An installation's runs, newest first, a page at a time. */
    Page history(UUID installationId, int limit, String cursor);

    /** A page of history; {@code nextCursor} is null on the last page. */
    record Page(List<Run> runs, String nextCursor) {
    }
}
