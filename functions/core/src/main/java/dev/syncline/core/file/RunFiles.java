package dev.syncline.core.file;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** What is known of each run's file, next to the run. */
public interface RunFiles {

    /**
     * Records that the run's file is to be fetched ({@code pending}), and lists it among the pending fetches.
     *
     * @return true the first time, false when the run's fetch was already recorded (a repeated end)
     */
    boolean pending(UUID runId, UUID installationId, Instant now);

    /** Records the stored file: status {@code stored}; the fetch leaves the pending list. */
    void record(RunFile file);

    /** Records a fetch given up on ({@code failed}, {@code too_large}) with why; the fetch leaves the pending list. */
    void giveUp(UUID runId, FileStatus status, String reason, Instant now);

    /** The stored file; empty while pending, after a failure and for runs without one. */
    Optional<RunFile> find(UUID runId);

    /** The fetch's state; empty for runs that never had one. */
    Optional<FileFetch> fetch(UUID runId);

    /** Pending fetches, oldest first, at most {@code limit}. */
    List<FileFetch> pending(int limit);

    /** Counts one more fetch message sent for a pending fetch, at {@code now}. */
    void resent(UUID runId, Instant now);

    /**
     * Claims the fetch of a run's file for {@code lease}: true for the one caller that may fetch now, false while
     * another caller's lease runs, so a slow multi-gigabyte download is not started twice.
     */
    boolean claimFetch(UUID runId, Instant now, Duration lease);
}
