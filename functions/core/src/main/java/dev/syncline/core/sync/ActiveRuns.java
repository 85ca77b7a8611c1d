package dev.syncline.core.sync;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * At most one active run per installation, and the list of active runs the reconciler walks.
 */
public interface ActiveRuns {

    /**
     * Makes {@code runId} the installation's active run.
     *
     * @return empty when acquired, else the run that is active already
     */
    Optional<UUID> acquire(UUID installationId, UUID runId);

    /** Ends a run's activity; harmless if it already ended. */
    void release(UUID installationId, UUID runId);

    /** The installation's active run, if it has one. */
    Optional<ActiveRun> holder(UUID installationId);

    /** Every active run, oldest first. */
    List<ActiveRun> list();

    /** @param acquiredAt when the run became active, so a run still being created is not taken for lost */
    record ActiveRun(UUID installationId, UUID runId, java.time.Instant acquiredAt) {
    }
}
