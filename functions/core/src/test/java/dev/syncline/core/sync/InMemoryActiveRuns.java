package dev.syncline.core.sync;

import dev.syncline.core.tenant.TenantId;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** {@link ActiveRuns} in memory: one lock per installation, and the registry the reconciler lists. */
public final class InMemoryActiveRuns implements ActiveRuns {

    private final Clock clock;
    private final Map<UUID, ActiveRun> locks = new LinkedHashMap<>();
    private final Map<UUID, ActiveRun> registry = new LinkedHashMap<>();
    private final Map<UUID, TenantId> owners = new LinkedHashMap<>();

    public InMemoryActiveRuns(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Optional<UUID> acquire(UUID installationId, TenantId tenant, UUID runId) {
        ActiveRun held = locks.get(installationId);
        if (held != null && !held.runId().equals(runId)) {
            return Optional.of(held.runId());
        }
        ActiveRun active = new ActiveRun(installationId, runId, clock.instant());
        locks.put(installationId, active);
        owners.put(installationId, tenant);
        registry.put(runId, active);
        return Optional.empty();
    }

    @Override
    public synchronized void release(UUID installationId, UUID runId) {
        locks.computeIfPresent(installationId, (installation, held) -> held.runId().equals(runId) ? null : held);
        registry.remove(runId);
    }

    @Override
    public synchronized int activeCount(TenantId tenant) {
        return (int) locks.keySet().stream().filter(installation -> tenant.equals(owners.get(installation))).count();
    }

    @Override
    public synchronized Optional<ActiveRun> holder(UUID installationId) {
        return Optional.ofNullable(locks.get(installationId));
    }

    @Override
    public synchronized List<ActiveRun> list() {
        return registry.values().stream().sorted(Comparator.comparing(ActiveRun::acquiredAt)).toList();
    }
}
