package dev.syncline.core.sync;

import dev.syncline.core.plan.PlanTotals;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * {@link RunDispatch} in memory, with the DynamoDB one's rules: claims within the window while the run is in execution
 * and the phase current, counts applied once per chunk, one caller advancing a phase, the window halved on push-back.
 */
public final class InMemoryRunDispatch implements RunDispatch {

    private final InMemoryRunStore runs;
    private final Map<UUID, Dispatch> dispatches = new HashMap<>();
    private final Map<String, ChunkStamps> stamps = new HashMap<>();

    public InMemoryRunDispatch(InMemoryRunStore runs) {
        this.runs = runs;
    }

    private static final class Dispatch {
        Optional<Phase> phase;
        final PlanTotals totals;
        int released;
        final TreeSet<Integer> open = new TreeSet<>();
        int window;
        final int maxWindow;
        Instant updatedAt;
        final Map<Phase, PhaseCounts> counts = new EnumMap<>(Phase.class);
        final Map<Phase, Set<Integer>> counted = new EnumMap<>(Phase.class);

        Dispatch(PlanTotals totals, Optional<Phase> phase, int window, Instant now) {
            this.totals = totals;
            this.phase = phase;
            this.window = window;
            this.maxWindow = window;
            this.updatedAt = now;
            for (Phase each : Phase.values()) {
                counts.put(each, new PhaseCounts(totals.entries(each), 0, 0, 0));
                counted.put(each, new HashSet<>());
            }
        }

        boolean isCurrent(Phase candidate) {
            return phase.filter(candidate::equals).isPresent();
        }
    }

    @Override
    public synchronized void planned(UUID runId, PlanTotals totals, Optional<Phase> firstPhase, int window, String heldBecause, Instant now) {
        Run run = runs.find(runId).orElseThrow(() -> new RunNotFoundException(runId));
        if (run.status() != RunStatus.PREPARING) {
            throw new RunConflictException("Synchronization " + runId + " is " + run.status().wireName() + ", not preparing.");
        }
        dispatches.put(runId, new Dispatch(totals, firstPhase, window, now));
        runs.transition(runId, RunStatus.PREPARING, heldBecause == null ? RunStatus.EXECUTION : RunStatus.AWAITING_CONFIRMATION,
                heldBecause, now);
    }

    @Override
    public synchronized List<Integer> claim(UUID runId, Phase phase, Instant now) {
        Dispatch dispatch = dispatches.get(runId);
        if (dispatch == null || !dispatch.isCurrent(phase)
                || runs.find(runId).map(Run::status).orElse(RunStatus.CANCELLED) != RunStatus.EXECUTION) {
            return List.of();
        }
        int claim = Math.min(dispatch.window - dispatch.open.size(), dispatch.totals.chunks(phase) - dispatch.released);
        List<Integer> claimed = new ArrayList<>();
        for (int i = 0; i < claim; i++) {
            claimed.add(dispatch.released + i);
        }
        if (!claimed.isEmpty()) {
            dispatch.released += claim;
            dispatch.open.addAll(claimed);
            dispatch.updatedAt = now;
        }
        return claimed;
    }

    @Override
    public synchronized Counted count(UUID runId, Phase phase, int chunk, PhaseCounts delta, Instant now) {
        Dispatch dispatch = dispatches.get(runId);
        boolean applied = dispatch.counted.get(phase).add(chunk);
        if (applied) {
            dispatch.counts.put(phase, dispatch.counts.get(phase).plus(delta));
        }
        return new Counted(applied, dispatch.counted.get(phase).size() >= dispatch.totals.chunks(phase));
    }

    @Override
    public synchronized int complete(UUID runId, Phase phase, int chunk, boolean throttled, Instant now) {
        Dispatch dispatch = dispatches.get(runId);
        if (dispatch == null || !dispatch.isCurrent(phase) || !dispatch.open.remove(chunk)) {
            return 0;
        }
        dispatch.window = throttled ? Math.max(1, dispatch.window / 2) : Math.min(dispatch.maxWindow, dispatch.window + 1);
        dispatch.updatedAt = now;
        return dispatch.window;
    }

    @Override
    public synchronized void progressed(UUID runId, Instant now) {
        Dispatch dispatch = dispatches.get(runId);
        if (dispatch != null) {
            dispatch.updatedAt = now;
        }
    }

    @Override
    public synchronized boolean advance(UUID runId, Phase from, Optional<Phase> to, Instant now) {
        Dispatch dispatch = dispatches.get(runId);
        if (!dispatch.isCurrent(from)) {
            return false;
        }
        dispatch.phase = to;
        dispatch.released = 0;
        dispatch.open.clear();
        dispatch.updatedAt = now;
        return true;
    }

    @Override
    public synchronized void received(UUID runId, Phase phase, int chunk, Instant now) {
        stamps.merge(key(runId, phase, chunk), new ChunkStamps(Optional.of(now), 0, Optional.empty()),
                (old, update) -> new ChunkStamps(Optional.of(now), old.resends(), old.resentAt()));
    }

    @Override
    public synchronized int resent(UUID runId, Phase phase, int chunk, Instant now) {
        ChunkStamps after = stamps.merge(key(runId, phase, chunk), new ChunkStamps(Optional.empty(), 1, Optional.of(now)),
                (old, update) -> new ChunkStamps(old.receivedAt(), old.resends() + 1, Optional.of(now)));
        return after.resends();
    }

    @Override
    public synchronized ChunkStamps stamps(UUID runId, Phase phase, int chunk) {
        return stamps.getOrDefault(key(runId, phase, chunk), ChunkStamps.NONE);
    }

    @Override
    public synchronized Optional<DispatchState> state(UUID runId) {
        Dispatch dispatch = dispatches.get(runId);
        if (dispatch == null) {
            return Optional.empty();
        }
        RunStatus status = runs.find(runId).map(Run::status).orElse(RunStatus.CANCELLED);
        return Optional.of(new DispatchState(status, dispatch.phase, dispatch.phase.map(dispatch.totals::chunks).orElse(0),
                dispatch.released, List.copyOf(dispatch.open), dispatch.window, dispatch.totals.rejectedLines(), dispatch.updatedAt));
    }

    @Override
    public synchronized List<Integer> uncounted(UUID runId, Phase phase) {
        Dispatch dispatch = dispatches.get(runId);
        if (dispatch == null) {
            return List.of();
        }
        return java.util.stream.IntStream.range(0, dispatch.totals.chunks(phase))
                .filter(chunk -> !dispatch.counted.get(phase).contains(chunk))
                .boxed()
                .toList();
    }

    @Override
    public synchronized Map<Phase, PhaseCounts> counts(UUID runId) {
        Dispatch dispatch = dispatches.get(runId);
        return dispatch == null ? Map.of() : Map.copyOf(dispatch.counts);
    }

    private static String key(UUID runId, Phase phase, int chunk) {
        return runId + "/" + phase.wireName() + "/" + chunk;
    }
}
