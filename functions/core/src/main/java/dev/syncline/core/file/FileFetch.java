package dev.syncline.core.file;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The fetch of one run's file as recorded next to the run.
 *
 * @param reason why it failed or was refused; null while pending and once stored
 * @param updatedAt when it was asked for, or last re-sent, or ended
 * @param sends fetch messages sent so far (the first one included)
 * @param claimedUntil until when a function is fetching it; null when none is
 */
public record FileFetch(UUID runId, UUID installationId, FileStatus status, String reason, Instant updatedAt, int sends,
                        Instant claimedUntil) {

    public FileFetch {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(installationId, "installationId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** Whether a function may be fetching it at {@code now}. */
    public boolean claimedAt(Instant now) {
        return claimedUntil != null && claimedUntil.isAfter(now);
    }
}
