package dev.syncline.core.sync;

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

    public InMemoryActiveRuns(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Optional<UUID> acquire(UUID installationId, UUID runId) {
        ActiveRun held = locks.get(installationId);
        if (held != null && !held.runId().equals(runId)) {
            return Optional.of(held.runId());
        }
        ActiveRun active = new ActiveRun(installationId, runId, clock.instant());
        locks.put(installationId, active);
        registry.put(runId, active);
        return Optional.empty();
    }

    @Override
    public synchronized void release(UUID installationId, UUID runId) {
        locks.computeIfPresent(installationId, (installation, held) -> held.runId().equals(runId) ? null : held);
        registry.remove(runId);
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
