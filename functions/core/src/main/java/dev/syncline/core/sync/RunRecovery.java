package dev.syncline.core.sync;

import dev.syncline.core.delivery.Chunk;
import dev.syncline.core.delivery.ChunkRef;
import dev.syncline.core.delivery.ChunkResult;
import dev.syncline.core.delivery.EntryResult;
import dev.syncline.core.plan.PlannedEntry;
import dev.syncline.core.telemetry.Signal;
import dev.syncline.core.telemetry.Telemetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * What the reconciler does: moves on runs that stopped moving, and frees installations whose run ended or never came
 * to be. Bounded: a chunk is sent again {@link #MAX_RESENDS} times at most, and a run is never re-sent what still
 * waits in the queue.
 */
public final class RunRecovery {

    /** The planner's timeout over the worker's (900 s / 120 s), as the queues' visibility timeouts are (5400 s / 720 s). */
    static final double PLANNING_STALL_FACTOR = 7.5;

    /**
     * How often the reconciler sends a lost chunk again before it gives the chunk up: its open entries then end
     * {@code failed} with reason {@value EntryResult#LOST}, so the run ends.
     */
    public static final int MAX_RESENDS = 3;

    private final SyncEngine.Ports ports;
    private final Clock clock;
    private final Telemetry telemetry;
    private final RunLifecycle lifecycle;
    private final ChunkDelivery delivery;

    /** @param delivery accounts for chunks whose results were recorded but whose worker stopped before the accounting */
    RunRecovery(RunLifecycle lifecycle, ChunkDelivery delivery) {
        this.ports = lifecycle.ports();
        this.clock = lifecycle.clock();
        this.telemetry = lifecycle.telemetry();
        this.lifecycle = lifecycle;
        this.delivery = delivery;
    }

    /**
     * Unsticks runs that stopped moving: a run idle for longer than {@code stalledAfter} (a preparing run:
     * {@value #PLANNING_STALL_FACTOR} times that) has its lost chunks sent again ({@link #MAX_RESENDS} times at most,
     * then given up as {@value EntryResult#LOST}), room in its window filled, a completed phase advanced, or a lost
     * prepare message sent again. Runs that ended are removed from the active list. Each run is handled on its own:
     * one that fails is reported and tried again on the next pass, and never stops the others.
     *
     * @return the number of runs it acted on
     */
    public int reconcile(Duration stalledAfter) {
        int acted = 0;
        Instant now = clock.instant();
        List<ActiveRuns.ActiveRun> actives = ports.active().list();
        telemetry.report(new Signal.ActiveRunsSeen(actives.size(), actives.stream()
                .map(active -> Duration.between(active.acquiredAt(), now))
                .max(Duration::compareTo)
                .orElse(Duration.ZERO)));
        LongSupplier waiting = new LongSupplier() {
            private long asked = -1;

            @Override
            public long getAsLong() {
                if (asked < 0) {
                    asked = ports.work().waiting(); // once a pass, and only when a chunk no worker took needs it
                }
                return asked;
            }
        };
        for (ActiveRuns.ActiveRun active : actives) {
            try {
                acted += reconcile(active, stalledAfter, now, waiting) ? 1 : 0;
            } catch (RuntimeException e) {
                telemetry.report(new Signal.ReconcileFailed(active.runId(), active.installationId(), RunLifecycle.describe(e)));
            }
        }
        return acted;
    }

    /** @return whether it acted on the run */
    private boolean reconcile(ActiveRuns.ActiveRun active, Duration stalledAfter, Instant now, LongSupplier waiting) {
        Optional<Run> found = ports.runs().find(active.runId());
        if (found.isEmpty() && active.acquiredAt().plus(stalledAfter).isAfter(now)) {
            return false; // a trigger is creating it at this moment
        }
        if (found.isEmpty() || found.get().status().isTerminal()) {
            ports.active().release(active.installationId(), active.runId());
            return true;
        }
        Run run = found.get();
        if (run.status() == RunStatus.AWAITING_CONFIRMATION) {
            return expireUnconfirmed(run, now);
        }
        Optional<RunDispatch.DispatchState> state = ports.dispatch().state(run.id());
        Instant lastMove = state.map(RunDispatch.DispatchState::updatedAt).orElse(run.updatedAt());
        // Planning may use the planner's whole timeout, which is PLANNING_STALL_FACTOR times the worker's:
        // re-sending a prepare message sooner would start a second planning pass beside a live one.
        Duration idleLimit = run.status() == RunStatus.PREPARING
                ? Duration.ofMillis((long) (stalledAfter.toMillis() * PLANNING_STALL_FACTOR))
                : stalledAfter;
        if (lastMove.plus(idleLimit).isAfter(now)) {
            return false;
        }
        Duration idle = Duration.between(lastMove, now);
        if (run.status() == RunStatus.PREPARING) {
            ports.control().prepare(run.id());
            reportResent(run, "prepare", 1, idle);
            return true;
        }
        RunDispatch.DispatchState dispatch = state.orElseThrow();
        if (dispatch.phase().isEmpty()) {
            lifecycle.finish(run.id());
            return true;
        }
        Phase phase = dispatch.phase().get();
        PhaseCounts counts = ports.dispatch().counts(run.id()).get(phase);
        if (counts.remaining() == 0) {
            lifecycle.advance(run.id(), phase);
            return true;
        }
        List<ChunkRef> lost = new ArrayList<>();
        for (int chunk : unfinished(run, phase, dispatch)) {
            ChunkRef ref = new ChunkRef(run.id(), phase, chunk);
            if (ports.results().find(ref).isPresent()) {
                // Recorded but not accounted: finish its accounting where the worker stopped.
                delivery.deliver(ref, now.plus(Duration.ofMinutes(1)));
                continue;
            }
            RunDispatch.ChunkStamps stamps = ports.dispatch().stamps(run.id(), phase, chunk);
            if (!isLost(stamps, stalledAfter, now, waiting)) {
                continue;
            }
            if (stamps.resends() >= MAX_RESENDS) {
                giveUpLost(run, ref, stamps.resends(), now);
            } else {
                ports.dispatch().resent(run.id(), phase, chunk, now);
                lost.add(ref);
            }
        }
        if (!lost.isEmpty()) {
            ports.work().send(lost);
            reportResent(run, "chunks", lost.size(), idle);
        }
        lifecycle.release(run.id(), phase);
        return true;
    }

    /**
     * The chunks of the current phase a worker took and did not account for: those still open, and those released
     * whose slot was freed but whose counts were not applied (a worker frees the slot as soon as the App's part is
     * over, and may stop before it counts).
     */
    private Set<Integer> unfinished(Run run, Phase phase, RunDispatch.DispatchState dispatch) {
        Set<Integer> unfinished = new TreeSet<>(dispatch.open());
        ports.dispatch().uncounted(run.id(), phase).stream().filter(chunk -> chunk < dispatch.released()).forEach(unfinished::add);
        return unfinished;
    }

    /**
     * Whether an unrecorded chunk of a stalled run is lost rather than queued or in a worker's hands. Its latest
     * message (the release, or the last re-send) is given a visibility timeout ({@code stalledAfter}) to be picked up.
     * Then, picked up by a worker: lost once two visibility timeouts passed since, for SQS redelivers a message whose
     * worker died after one (and every delivery stamps the chunk again). Not picked up: queued behind other work while
     * the queue holds messages waiting; with none waiting, its message is gone.
     */
    private static boolean isLost(RunDispatch.ChunkStamps stamps, Duration stalledAfter, Instant now, LongSupplier waiting) {
        if (stamps.resentAt().filter(resent -> resent.plus(stalledAfter).isAfter(now)).isPresent()) {
            return false;
        }
        if (stamps.receivedSinceSent()) {
            return !stamps.receivedAt().orElseThrow().plus(stalledAfter.multipliedBy(2)).isAfter(now);
        }
        return waiting.getAsLong() == 0;
    }

    /** Ends a chunk lost too often: its entries fail with reason {@value EntryResult#LOST}, counted once, so the run ends. */
    private void giveUpLost(Run run, ChunkRef ref, int resends, Instant now) {
        Chunk chunk = ports.chunks().load(ref);
        String why = "the chunk was sent " + (resends + 1) + " times and no worker recorded its delivery; it is not sent again";
        List<EntryResult> lost = new ArrayList<>();
        for (int i = 0; i < chunk.entries().size(); i++) {
            PlannedEntry entry = chunk.entries().get(i);
            lost.add(EntryResult.lost(i, entry.resource(), entry.event(), why));
        }
        ports.results().record(new ChunkResult(ref, lost));
        telemetry.report(new Signal.ChunkLost(ref, run.installationId(), lost.size(), resends));
        delivery.deliver(ref, now.plus(Duration.ofMinutes(1))); // accounts for the recorded results, as for any recorded chunk
    }

    /**
     * Cancels a held run or a preview nobody confirmed within its installation's confirmation timeout, so it frees the
     * installation.
     */
    private boolean expireUnconfirmed(Run run, Instant now) {
        Duration timeout = ports.installations().find(run.installationId()).dispatch().deletionGuard().confirmationTimeout();
        if (run.updatedAt().plus(timeout).isAfter(now)) {
            return false;
        }
        try {
            Run cancelled = ports.runs().transition(run.id(), RunStatus.AWAITING_CONFIRMATION, RunStatus.CANCELLED, run.preview()
                    ? "Nobody ran the preview within " + timeout.toHours() + " h; it was discarded and nothing was sent. Preview or"
                            + " trigger again."
                    : "Nobody confirmed the deletions within " + timeout.toHours() + " h; nothing was sent. Upload a complete"
                            + " snapshot and trigger again, or trigger it and confirm it in time.", now);
            lifecycle.end(cancelled, false);
        } catch (RunConflictException confirmedOrCancelledMeanwhile) {
            return false;
        }
        return true;
    }

    private void reportResent(Run run, String what, int count, Duration idle) {
        telemetry.report(new Signal.Resent(run.id(), run.installationId(), what, count, idle));
    }
}
