package dev.syncline.core.sync;

import dev.syncline.core.tenant.TenantId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * At most one active run per installation, and the list of active runs the reconciler walks.
 */
public interface ActiveRuns {

    /**
     * Makes {@code runId} the active run of an installation of the {@link TenantId#DEFAULT default tenant}.
     *
     * @return empty when acquired, else the run that is active already
     */
    default Optional<UUID> acquire(UUID installationId, UUID runId) {
        return acquire(installationId, TenantId.DEFAULT, runId);
    }

    /**
     * Makes {@code runId} the installation's active run, counted among the active runs of {@code tenant}, the
     * installation's owner.
     *
     * @return empty when acquired, else the run that is active already
     */
    Optional<UUID> acquire(UUID installationId, TenantId tenant, UUID runId);

    /**
     * How many runs of the tenant's installations are active: one read of the tenant's locks, never of every
     * tenant's. A run being acquired at the same moment may or may not be counted.
     */
    int activeCount(TenantId tenant);

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
