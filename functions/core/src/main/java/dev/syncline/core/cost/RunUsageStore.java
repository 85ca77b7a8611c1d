package dev.syncline.core.cost;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/** Where each run's usage adds up: every function adds what it used for a run, in one write. */
public interface RunUsageStore {

    /** Adds {@code usage} to what {@code runId} used so far; concurrent additions all count. */
    void add(UUID runId, RunUsage usage);

    /** What the run used so far; {@link RunUsage#none()} when nothing was recorded. */
    RunUsage find(UUID runId);

    /** What each run used; {@link RunUsage#none()} for those that recorded nothing. */
    Map<UUID, RunUsage> findAll(Collection<UUID> runIds);
}
