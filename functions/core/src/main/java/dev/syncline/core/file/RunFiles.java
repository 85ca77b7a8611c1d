package dev.syncline.core.file;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** What is known of each run's file, next to the run. */
public interface RunFiles {

    void record(RunFile file);

    Optional<RunFile> find(UUID runId);

    /**
     * Claims the fetch of a run's file for {@code lease}: true for the one caller that may fetch now, false while
     * another caller's lease runs, so a slow multi-gigabyte download is not started twice.
     */
    boolean claimFetch(UUID runId, Instant now, Duration lease);
}
