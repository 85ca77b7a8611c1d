package dev.syncline.core.sync;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** {@link RunStore} in memory, with the same guards as the DynamoDB one: create once, conditional moves, keys remembered once. */
public final class InMemoryRunStore implements RunStore {

    private final Map<UUID, Run> runs = new ConcurrentHashMap<>();
    private final Map<String, UUID> keys = new HashMap<>();
    private Runnable beforeNextTransition;

    @Override
    public synchronized void create(Run run) {
        if (runs.putIfAbsent(run.id(), run) != null) {
            throw new RunConflictException("Synchronization " + run.id() + " exists already.");
        }
    }

    @Override
    public Optional<Run> find(UUID runId) {
        return Optional.ofNullable(runs.get(runId));
    }

    @Override
    public synchronized Run transition(UUID runId, RunStatus expected, RunStatus next, String reason, Instant now) {
        Runnable meanwhile = beforeNextTransition;
        beforeNextTransition = null;
        if (meanwhile != null) {
            meanwhile.run();
        }
        Run run = find(runId).orElseThrow(() -> new RunNotFoundException(runId));
        if (run.status() != expected || !expected.canMoveTo(next)) {
            throw new RunConflictException("Synchronization " + runId + " is " + run.status().wireName() + ", not " + expected.wireName() + ".");
        }
        Run moved = new Run(run.id(), run.installationId(), run.mode(), run.snapshotId(), next, reason, run.createdAt(), now, run.counts(),
                run.preview());
        runs.put(runId, moved);
        return moved;
    }

    @Override
    public synchronized Optional<UUID> findByIdempotencyKey(UUID installationId, String idempotencyKey) {
        return Optional.ofNullable(keys.get(installationId + "/" + idempotencyKey));
    }

    @Override
    public synchronized Optional<UUID> rememberIdempotencyKey(UUID installationId, String idempotencyKey, UUID runId) {
        return Optional.ofNullable(keys.putIfAbsent(installationId + "/" + idempotencyKey, runId));
    }

    @Override
    public synchronized boolean reassignIdempotencyKey(UUID installationId, String idempotencyKey, UUID dangling, UUID runId) {
        return keys.replace(installationId + "/" + idempotencyKey, dangling, runId);
    }

    @Override
    public Page history(UUID installationId, int limit, String cursor) {
        List<Run> newestFirst = runs.values().stream()
                .filter(run -> run.installationId().equals(installationId))
                .sorted(Comparator.comparing(Run::createdAt).reversed())
                .limit(limit)
                .toList();
        return new Page(newestFirst, null);
    }

    /** Runs {@code meanwhile} just before the next move is checked: another function moving the run first. */
    public synchronized void beforeNextTransition(Runnable meanwhile) {
        beforeNextTransition = meanwhile;
    }

    /** Puts a run as it is, whatever its status: for a test that starts from a given moment of a run's life. */
    public void put(Run run) {
        runs.put(run.id(), run);
    }
}
