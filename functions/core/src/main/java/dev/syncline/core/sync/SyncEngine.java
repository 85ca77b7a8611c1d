package dev.syncline.core.sync;

import dev.syncline.core.SynclineException;
import dev.syncline.core.app.AppEvent;
import dev.syncline.core.app.AppFeature;
import dev.syncline.core.app.AppRegistry;
import dev.syncline.core.app.Manifest;
import dev.syncline.core.delivery.AppEndpoint;
import dev.syncline.core.delivery.AppTarget;
import dev.syncline.core.delivery.Chunk;
import dev.syncline.core.delivery.ChunkDeliverer;
import dev.syncline.core.delivery.ChunkQueue;
import dev.syncline.core.delivery.ChunkRef;
import dev.syncline.core.delivery.ChunkResult;
import dev.syncline.core.delivery.ChunkResults;
import dev.syncline.core.delivery.ChunkStore;
import dev.syncline.core.delivery.ChunkWork;
import dev.syncline.core.delivery.EntryResult;
import dev.syncline.core.delivery.EntryStatus;
import dev.syncline.core.delivery.Notification;
import dev.syncline.core.delivery.Notifications;
import dev.syncline.core.delivery.Notifier;
import dev.syncline.core.delivery.ResourceCustoms;
import dev.syncline.core.delivery.RetryPolicy;
import dev.syncline.core.installation.AppTokenClaims;
import dev.syncline.core.installation.DeletionGuard;
import dev.syncline.core.installation.Installation;
import dev.syncline.core.installation.InstallationResult;
import dev.syncline.core.installation.InstallationService;
import dev.syncline.core.installation.SecretVault;
import dev.syncline.core.plan.DeliveredState;
import dev.syncline.core.plan.PlanReason;
import dev.syncline.core.plan.PlanRequest;
import dev.syncline.core.plan.PlanTotals;
import dev.syncline.core.plan.PlannedEntry;
import dev.syncline.core.plan.Planner;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.telemetry.Signal;
import dev.syncline.core.telemetry.Telemetry;
import dev.syncline.core.webhook.WebhookEvent;
import dev.syncline.core.webhook.Webhooks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Runs synchronizations: triggers them (api), plans them (planner), delivers their chunks and advances
 * their phases (worker), cancels them (api) and unsticks them (reconciler). Every step is safe to repeat,
 * because SQS delivers at least once and functions may die at any line.
 */
public final class SyncEngine {

    /** The planner's timeout over the worker's (900 s / 120 s), as the queues' visibility timeouts are (5400 s / 720 s). */
    static final double PLANNING_STALL_FACTOR = 7.5;
    /**
     * How long a pass's lease outlasts the deadline its worker was given: by then Lambda has stopped that worker
     * (the deadline is its timeout less a few seconds), so another may take the pass over.
     */
    static final Duration PASS_LEASE_SLACK = Duration.ofSeconds(30);

    /**
     * How often the reconciler sends a lost chunk again before it gives the chunk up: its open entries then end
     * {@code failed} with reason {@value EntryResult#LOST}, so the run ends.
     */
    public static final int MAX_RESENDS = 3;

    /** Attempts at queueing a new run for planning within the trigger request, {@link #ENQUEUE_BACKOFF} apart (doubling). */
    static final int ENQUEUE_ATTEMPTS = 3;
    static final Duration ENQUEUE_BACKOFF = Duration.ofMillis(200);

    /**
     * How long a trigger may hold an installation before the run it is creating exists: far longer than the API
     * function's timeout (29 s), so a holder older than this whose run does not exist belongs to a request that died.
     */
    static final Duration TRIGGER_TIME_LIMIT = Duration.ofMinutes(1);

    /** A cancel retried over the planner moving the run on meanwhile (preparing → awaiting_confirmation → execution). */
    private static final int CANCEL_ATTEMPTS = 3;
    private static final int ERROR_LIMIT = 500;

    private final Ports ports;
    private final Clock clock;
    private final RunEnding ending;
    private final Telemetry telemetry;
    private final Webhooks webhooks;
    private final Notifier notifier;

    /** Everything the engine talks to. */
    public record Ports(
            RunStore runs,
            RunDispatch dispatch,
            ActiveRuns active,
            ControlQueue control,
            ChunkQueue work,
            ChunkStore chunks,
            ChunkResults results,
            ResourceCustoms customs,
            DeliveredState state,
            Planner planner,
            ChunkDeliverer deliverer,
            AppEndpoint app,
            InstallationService installations,
            AppRegistry apps,
            SecretVault vault,
            SnapshotCheck snapshots) {
    }

    /** Whether a snapshot was uploaded for an installation. */
    @FunctionalInterface
    public interface SnapshotCheck {
        boolean exists(UUID installationId, String snapshotId);
    }

    public SyncEngine(Ports ports, Clock clock) {
        this(ports, clock, RunEnding.NONE);
    }

    /** @param ending what happens once a run has its final status (asking for the App's file) */
    public SyncEngine(Ports ports, Clock clock, RunEnding ending) {
        this(ports, clock, ending, Telemetry.NONE);
    }

    /** @param telemetry where runs starting and ending, chunks delivered and re-sends are reported */
    public SyncEngine(Ports ports, Clock clock, RunEnding ending, Telemetry telemetry) {
        this(ports, clock, ending, telemetry, new Notifier(ports.app(), Notifications.NONE, clock, Thread::sleep,
                new java.security.SecureRandom(), Duration.ofSeconds(10), Duration.ofSeconds(20)), Webhooks.NONE);
    }

    /**
     * @param notifier sends {@code synchronization_started/ended} with retries and records how they went
     * @param webhooks what the installation's webhook hears: a run held, started and ended
     */
    public SyncEngine(Ports ports, Clock clock, RunEnding ending, Telemetry telemetry, Notifier notifier, Webhooks webhooks) {
        this.ports = ports;
        this.clock = clock;
        this.ending = ending;
        this.telemetry = telemetry;
        this.webhooks = webhooks;
        this.notifier = notifier;
    }

    // ---- api: trigger and cancel ------------------------------------------------------------------

    /** Starts a run, or returns the one an earlier request with the same idempotency key started. */
    public Run trigger(TriggerRequest request) {
        if (request.idempotencyKey() != null) {
            Optional<Run> earlier = ports.runs().findByIdempotencyKey(request.installationId(), request.idempotencyKey())
                    .flatMap(ports.runs()::find);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        Installation installation = ports.installations().find(request.installationId());
        ports.installations().requireSynchronizable(installation);
        Manifest manifest = ports.apps().latest(installation.appId());
        AppFeature feature = request.mode() == SyncMode.FULL ? AppFeature.SYNCHRONIZATION_FULL : AppFeature.SYNCHRONIZATION;
        if (!manifest.enables(feature)) {
            throw new SynclineException.Invalid("synchronization request", List.of(new SynclineException.Violation("mode",
                    "mode " + request.mode().wireName() + " is not enabled by the App's manifest; it enables "
                            + enabledModes(manifest))));
        }
        if (!ports.snapshots().exists(installation.id(), request.snapshotId())) {
            throw new SynclineException.Invalid("synchronization request", List.of(new SynclineException.Violation("snapshot_id",
                    "snapshot_id " + SynclineException.quote(request.snapshotId())
                            + " was not uploaded for this installation; upload it with POST /v1/installations/{id}/snapshots")));
        }
        UUID runId = UUID.randomUUID();
        Optional<UUID> activeRun = acquire(installation.id(), runId);
        if (activeRun.isPresent()) {
            if (request.idempotencyKey() != null) {
                // A retry of the request that started the active run gets that run, not a conflict.
                Optional<Run> earlier = ports.runs().findByIdempotencyKey(installation.id(), request.idempotencyKey())
                        .flatMap(ports.runs()::find);
                if (earlier.isPresent()) {
                    return earlier.get();
                }
            }
            throw new ActiveRunConflictException(installation.id(), activeRun.get());
        }
        if (request.idempotencyKey() != null) {
            Optional<UUID> earlier = ports.runs().rememberIdempotencyKey(installation.id(), request.idempotencyKey(), runId);
            // This request holds the installation, so the one that remembered the key does not any more: either its run
            // exists, or it died before creating it (its hold was given up) and the key dangles: then it names this run.
            if (earlier.isPresent() && (ports.runs().find(earlier.get()).isPresent()
                    || !ports.runs().reassignIdempotencyKey(installation.id(), request.idempotencyKey(), earlier.get(), runId))) {
                ports.active().release(installation.id(), runId);
                return awaitRun(ports.runs().findByIdempotencyKey(installation.id(), request.idempotencyKey()).orElse(earlier.get()));
            }
        }
        Run run = Run.start(runId, installation.id(), request.mode(), request.snapshotId(), clock.instant());
        ports.runs().create(run);
        Optional<String> unqueued = queueForPlanning(runId);
        if (unqueued.isPresent()) {
            return failUnqueued(run, unqueued.get());
        }
        telemetry.report(new Signal.RunStarted(runId, installation.id(), installation.appId().value(), run.mode()));
        return run;
    }

    /**
     * Sends the prepare message, retried a few times within the request.
     *
     * @return empty when sent, else why it could not be
     */
    private Optional<String> queueForPlanning(UUID runId) {
        Duration backoff = ENQUEUE_BACKOFF;
        RuntimeException last = null;
        for (int attempt = 1; attempt <= ENQUEUE_ATTEMPTS; attempt++) {
            try {
                ports.control().prepare(runId);
                return Optional.empty();
            } catch (RuntimeException e) {
                last = e;
            }
            if (attempt < ENQUEUE_ATTEMPTS && !pause(backoff)) {
                break;
            }
            backoff = backoff.multipliedBy(2);
        }
        return Optional.of(describe(last));
    }

    /** A run that could not be queued for planning ends failed at once, freeing its installation, rather than lock it for hours. */
    private Run failUnqueued(Run run, String why) {
        try {
            Run failed = ports.runs().transition(run.id(), RunStatus.PREPARING, RunStatus.FAILED,
                    "The run could not be queued for planning (" + why + "); nothing was sent to the App. Trigger it again.",
                    clock.instant());
            end(failed, false);
            return failed;
        } catch (RunConflictException movedMeanwhile) {
            // A send that reported a failure but got through: the planner has the run already.
            return ports.runs().find(run.id()).orElse(run);
        }
    }

    private static boolean pause(Duration duration) {
        try {
            Thread.sleep(duration);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String describe(RuntimeException e) {
        String text = e == null ? "interrupted" : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return text.length() <= ERROR_LIMIT ? text : text.substring(0, ERROR_LIMIT) + "…";
    }

    /**
     * Makes {@code runId} the installation's active run. A run's final status is set before its ending is wrapped
     * up ({@link #end}: the App told, with retries, the file promoted, then the installation freed), so the lock may
     * still name a run the API already shows ended: that run is not active any more, and gives the lock up.
     *
     * @return empty when acquired, else the run that is still active
     */
    private Optional<UUID> acquire(UUID installationId, UUID runId) {
        Optional<UUID> holder = ports.active().acquire(installationId, runId);
        if (holder.isEmpty() || !heldInVain(installationId, holder.get())) {
            return holder;
        }
        ports.active().release(installationId, holder.get());
        return ports.active().acquire(installationId, runId);
    }

    /**
     * Whether the run holding an installation ended, or never came to be: a holder not found is a run a trigger is
     * creating at this moment, unless it has held the installation longer than {@link #TRIGGER_TIME_LIMIT}.
     */
    private boolean heldInVain(UUID installationId, UUID holder) {
        Optional<Run> run = ports.runs().find(holder);
        if (run.isPresent()) {
            return run.get().status().isTerminal();
        }
        return ports.active().holder(installationId)
                .filter(active -> active.runId().equals(holder))
                .map(active -> !active.acquiredAt().plus(TRIGGER_TIME_LIMIT).isAfter(clock.instant()))
                .orElse(false);
    }

    private Run awaitRun(UUID runId) {
        // The request that remembered the key is creating the run at this moment.
        for (int i = 0; i < 50; i++) {
            Optional<Run> run = ports.runs().find(runId);
            if (run.isPresent()) {
                return run.get();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new SynclineException.Conflict("A request with the same Idempotency-Key is still starting run " + runId + "; retry in a moment.");
    }

    private static String enabledModes(Manifest manifest) {
        List<String> modes = new ArrayList<>();
        if (manifest.enables(AppFeature.SYNCHRONIZATION)) {
            modes.add("incremental");
        }
        if (manifest.enables(AppFeature.SYNCHRONIZATION_FULL)) {
            modes.add("full");
        }
        return modes.isEmpty() ? "no synchronization mode" : String.join(" and ", modes);
    }

    /**
     * Stops releasing chunks; entries not yet sent end cancelled. A run that never reached execution (still
     * preparing, or held by the deletion guard) sent the App nothing, and the App hears nothing of its end; a
     * planner that is planning it at this moment finds it cancelled and does nothing more (or, had it told the App
     * the run started, tells it the run ended).
     */
    public Run cancel(UUID runId) {
        for (int attempt = 0; attempt < CANCEL_ATTEMPTS; attempt++) {
            Run run = ports.runs().find(runId).orElseThrow(() -> new RunNotFoundException(runId));
            if (run.status().isTerminal()) {
                throw new RunConflictException("Synchronization " + runId + " already ended " + run.status().wireName()
                        + "; there is nothing to cancel.");
            }
            Run cancelled;
            try {
                cancelled = ports.runs().transition(runId, run.status(), RunStatus.CANCELLED, null, clock.instant());
            } catch (RunConflictException movedMeanwhile) {
                continue; // the planner moved it on between the read and the write: cancel it where it is now
            }
            end(cancelled, run.status() == RunStatus.EXECUTION);
            return cancelled;
        }
        throw new RunConflictException("Synchronization " + runId + " changed status " + CANCEL_ATTEMPTS
                + " times while it was being cancelled; read it and cancel it again.");
    }

    /**
     * Uninstalls an installation, its active run cancelled first, so that no request of that run reaches the App
     * after {@code app_uninstalled}.
     */
    public InstallationResult uninstall(UUID installationId) {
        cancelActiveRun(installationId);
        InstallationResult result = ports.installations().uninstall(installationId);
        cancelActiveRun(installationId); // one a trigger started in between; none can start from now on
        return result;
    }

    private void cancelActiveRun(UUID installationId) {
        Optional<Run> active = ports.active().holder(installationId)
                .flatMap(holder -> ports.runs().find(holder.runId()))
                .filter(run -> !run.status().isTerminal());
        if (active.isPresent()) {
            try {
                cancel(active.get().id());
            } catch (RunConflictException endedMeanwhile) {
                // It ended on its own: nothing of it is left to stop.
            }
        }
    }

    /**
     * Lets a run the deletion guard held go on: the App is told the run started, then the whole plan, deletions
     * included, is delivered as for any run.
     */
    public Run confirm(UUID runId) {
        Run run = ports.runs().find(runId).orElseThrow(() -> new RunNotFoundException(runId));
        if (run.status() != RunStatus.AWAITING_CONFIRMATION) {
            throw new RunConflictException("Synchronization " + runId + " is " + run.status().wireName()
                    + "; only a synchronization awaiting_confirmation can be confirmed.");
        }
        // The move first: of two confirmations racing, one wins and the App hears of the run once.
        Run confirmed = ports.runs().transition(runId, RunStatus.AWAITING_CONFIRMATION, RunStatus.EXECUTION, null, clock.instant());
        announceStart(ports.installations().find(run.installationId()), run);
        Optional<Phase> first = ports.dispatch().state(runId).flatMap(RunDispatch.DispatchState::phase);
        if (first.isEmpty()) {
            finish(runId);
        } else {
            release(runId, first.get());
        }
        return confirmed;
    }

    // ---- planner ----------------------------------------------------------------------------------

    /** Plans a run and releases its first chunks; a repeated message for a planned run does nothing. */
    public void prepare(UUID runId) {
        Run run = ports.runs().find(runId).orElseThrow(() -> new RunNotFoundException(runId));
        if (run.status() != RunStatus.PREPARING) {
            return;
        }
        Installation installation = ports.installations().find(run.installationId());
        Manifest manifest = ports.apps().latest(installation.appId());
        PlanTotals totals;
        long planning = System.nanoTime();
        try {
            totals = ports.planner().plan(new PlanRequest(runId, installation.id(), run.snapshotId(), run.mode(),
                    manifest.events().stream().map(AppEvent::wireName).collect(Collectors.toSet())));
            telemetry.report(new Signal.RunPlanned(runId, installation.id(), installation.appId().value(), totals.snapshotLines(),
                    totals.entries(), totals.rejectedLines(), Duration.ofNanos(System.nanoTime() - planning)));
        } catch (SynclineException e) {
            Run failed = ports.runs().transition(runId, RunStatus.PREPARING, RunStatus.FAILED, e.getMessage(), clock.instant());
            end(failed, false);
            return;
        }
        Optional<Phase> first = nextPhase(totals, null);
        DeletionGuard guard = installation.dispatch().deletionGuard();
        if (guard.holds(totals.deletions(), totals.held())) {
            // Held before the App hears of the run: a broken export must not reach it, not even as a start notice.
            try {
                ports.dispatch().planned(runId, totals, first, installation.dispatch().concurrencyWindow(), heldBecause(totals, guard),
                        clock.instant());
            } catch (RunConflictException e) {
                if (ports.runs().find(runId).filter(now -> now.status().isTerminal()).isEmpty()) {
                    throw e;
                }
                return; // cancelled while it was being planned: nothing was sent, and there is nothing more to do
            }
            webhooks.announce(installation.id(), runId, WebhookEvent.SYNCHRONIZATION_AWAITING_CONFIRMATION);
            return;
        }
        if (ports.runs().find(runId).filter(now -> now.status() == RunStatus.PREPARING).isEmpty()) {
            return; // cancelled while it was being planned: the App heard nothing of it and hears nothing
        }
        announceStart(installation, run);
        try {
            ports.dispatch().planned(runId, totals, first, installation.dispatch().concurrencyWindow(), clock.instant());
        } catch (RunConflictException e) {
            Optional<Run> cancelled = ports.runs().find(runId).filter(now -> now.status().isTerminal());
            if (cancelled.isEmpty()) {
                throw e;
            }
            end(cancelled.get(), true); // cancelled while the App was told it started: tell it the run ended
            return;
        }
        if (first.isEmpty()) {
            finish(runId);
        } else {
            release(runId, first.get());
        }
    }

    private static String heldBecause(PlanTotals totals, DeletionGuard guard) {
        long percent = totals.held() == 0 ? 100 : Math.round(100.0 * totals.deletions() / totals.held());
        return "The plan would delete " + totals.deletions() + " of the " + totals.held() + " resources the App holds (" + percent
                + " %), more than the installation's deletion guard allows (" + guard.thresholdPercent() + " %, and more than "
                + guard.minDeletions() + "); nothing was sent. Confirm with POST /v1/synchronizations/{id}/confirm if the catalog"
                + " really shrank, or cancel; unconfirmed, it is cancelled after " + guard.confirmationTimeout().toHours() + " h.";
    }

    /** {@code synchronization_started}, once the run is cleared to send: the App hears nothing of a run held or failed before. */
    private void announceStart(Installation installation, Run run) {
        webhooks.announce(installation.id(), run.id(), WebhookEvent.SYNCHRONIZATION_STARTED);
        Manifest manifest = ports.apps().latest(installation.appId());
        if (manifest.subscribes(AppEvent.SYNCHRONIZATION_STARTED)) {
            Map<String, Object> synchronization = Map.of("id", run.id().toString(), "mode", run.mode().wireName(),
                    "status", RunStatus.PREPARING.wireName());
            notice(installation, manifest, run, AppEvent.SYNCHRONIZATION_STARTED, synchronization);
        }
    }

    // ---- worker -----------------------------------------------------------------------------------

    /**
     * Delivers one chunk and accounts for it: records its results (once), moves the delivered state and
     * the counters (once), frees its window slot, then releases more chunks, the next phase, or finishes
     * the run. A redelivered message finds the earlier results and only completes the accounting.
     *
     * @param deadline when the worker must be done (its Lambda timeout, less a margin)
     */
    public void deliver(ChunkRef ref, Instant deadline) {
        deliver(ChunkWork.of(ref), deadline);
    }

    /**
     * Delivers one pass over a chunk (see {@link ChunkWork}). When the deadline comes before every entry ended, the
     * pass records the chunk's progress (once) and hands the rest on as the next pass; the chunk's results are
     * recorded and accounted for by the pass that ends its last entry. A pass that was recorded before (a
     * redelivered message) is not delivered again: it only hands on the next pass, whose send may have been lost,
     * as does the chunk's first pass when the reconciler sends it again. A pass is delivered under a lease that
     * outlasts the worker's deadline, so two messages for one pass never call the App side by side.
     */
    public void deliver(ChunkWork work, Instant deadline) {
        long started = System.nanoTime();
        ChunkRef ref = work.ref();
        Run run = ports.runs().find(ref.runId()).orElseThrow(() -> new RunNotFoundException(ref.runId()));
        Installation installation = ports.installations().find(run.installationId());
        AtomicReference<Chunk> loaded = new AtomicReference<>();
        Optional<ChunkResult> found = ports.results().find(ref);
        ChunkResult result;
        if (found.isPresent()) {
            result = found.get();
        } else {
            Optional<ChunkResults.Pass> latest = ports.results().latestPass(ref);
            int recordedPass = latest.map(ChunkResults.Pass::pass).orElse(-1);
            if (recordedPass != work.pass() - 1) {
                if (recordedPass >= 0 && (work.pass() == recordedPass || work.pass() == 0)) {
                    ports.work().handOn(new ChunkWork(ref, recordedPass + 1));
                }
                return;
            }
            if (!ports.results().lease(work, deadline.plus(PASS_LEASE_SLACK), clock.instant())) {
                return; // another worker is delivering this pass; if it stops, its own message comes back
            }
            // Picked up: the reconciler tells a chunk a worker holds from one that waits in the queue or was lost.
            ports.dispatch().received(ref.runId(), ref.phase(), ref.chunk(), clock.instant());
            loaded.set(ports.chunks().load(ref));
            result = deliverNow(loaded.get(), latest.map(ChunkResults.Pass::progress).orElse(null), run, installation, deadline);
            if (!result.finished()) {
                if (ports.results().recordPass(result, work.pass()).first()) {
                    ports.dispatch().progressed(ref.runId(), clock.instant());
                    ports.work().handOn(work.next());
                }
                return;
            }
        }
        ChunkResult recorded = ports.results().record(result).result();

        Map<ResourceKey, Map<String, Object>> customs = new LinkedHashMap<>();
        List<ResourceKey> deleted = new ArrayList<>();
        List<DeliveredState.Delivered> delivered = new ArrayList<>();
        List<PlannedEntry> entries = List.of();
        if (recorded.entries().stream().anyMatch(e -> e.status() == EntryStatus.SUCCEEDED)) {
            entries = (loaded.get() != null ? loaded.get() : ports.chunks().load(ref)).entries();
        }
        for (EntryResult entry : recorded.entries()) {
            if (entry.status() != EntryStatus.SUCCEEDED) {
                continue;
            }
            PlannedEntry planned = entries.get(entry.index());
            delivered.add(new DeliveredState.Delivered(planned.resource(), planned.phase(), planned.state()));
            if (planned.isDeletion()) {
                deleted.add(planned.resource());
            } else if (entry.customs() != null) {
                customs.put(planned.resource(), entry.customs());
            }
        }
        if (!delivered.isEmpty()) {
            ports.state().recordDelivered(run.installationId(), run.id(), ref.phase(), ref.chunk(), delivered);
        }
        if (!customs.isEmpty() || !deleted.isEmpty()) {
            ports.customs().update(run.installationId(), customs, deleted);
        }

        RunDispatch.Counted counted = ports.dispatch().count(ref.runId(), ref.phase(), ref.chunk(), recorded.counts(), clock.instant());
        int window = ports.dispatch().complete(ref.runId(), ref.phase(), ref.chunk(), recorded.throttled(), clock.instant());
        if (counted.applied()) {
            telemetry.report(DeliveryFigures.of(recorded, installation, window, Duration.ofNanos(System.nanoTime() - started)));
        }
        if (counted.phaseComplete()) {
            advance(ref.runId(), ref.phase());
        } else {
            release(ref.runId(), ref.phase());
        }
    }

    /** @param progress the chunk's progress after its previous pass, or null on its first */
    private ChunkResult deliverNow(Chunk chunk, ChunkResult progress, Run run, Installation installation, Instant deadline) {
        ChunkRef ref = chunk.ref();
        if (run.status() != RunStatus.EXECUTION) {
            List<EntryResult> cancelled = new ArrayList<>();
            for (int i = 0; i < chunk.entries().size(); i++) {
                PlannedEntry entry = chunk.entries().get(i);
                EntryResult earlier = progress == null ? null : progress.entries().get(i);
                cancelled.add(earlier != null && earlier.status() != EntryStatus.PLANNED ? earlier : EntryResult.cancelled(i, entry.resource(), entry.event()));
            }
            return new ChunkResult(ref, cancelled);
        }
        Manifest manifest = ports.apps().latest(installation.appId());
        // A resource the App never received has no customs yet, except in the relations phase, which follows the
        // products phase whose answers may just have stored them: those reads are skipped (each costs a read unit).
        List<ResourceKey> mayHaveCustoms = chunk.entries().stream()
                .filter(entry -> entry.reason().kind() != PlanReason.Kind.CREATED || entry.phase() == Phase.RELATIONS)
                .map(PlannedEntry::resource)
                .toList();
        Map<ResourceKey, Map<String, Object>> customs = mayHaveCustoms.isEmpty()
                ? Map.of()
                : ports.customs().find(installation.id(), mayHaveCustoms);
        return ports.deliverer().deliver(chunk, progress, target(installation, manifest, ref.runId()),
                RetryPolicy.withRetries(installation.dispatch().retryBudget()), customs, deadline, () -> hasEnded(ref.runId()));
    }

    /** Whether a run left execution (cancelled, or finished while a duplicate of one of its chunks is delivered). */
    private boolean hasEnded(UUID runId) {
        return ports.runs().find(runId).map(run -> run.status() != RunStatus.EXECUTION).orElse(true);
    }

    private void release(UUID runId, Phase phase) {
        List<Integer> claimed = ports.dispatch().claim(runId, phase, clock.instant());
        if (!claimed.isEmpty()) {
            ports.work().send(claimed.stream().map(chunk -> new ChunkRef(runId, phase, chunk)).toList());
        }
    }

    private void advance(UUID runId, Phase completed) {
        Map<Phase, PhaseCounts> counts = ports.dispatch().counts(runId);
        Optional<Phase> next = Arrays.stream(Phase.values())
                .filter(phase -> phase.ordinal() > completed.ordinal() && counts.getOrDefault(phase, PhaseCounts.ZERO).planned() > 0)
                .findFirst();
        if (ports.dispatch().advance(runId, completed, next, clock.instant())) {
            if (next.isPresent()) {
                release(runId, next.get());
            } else {
                finish(runId);
            }
        }
    }

    /** Ends a run whose every entry is terminal. */
    private void finish(UUID runId) {
        Run run = ports.runs().find(runId).orElseThrow(() -> new RunNotFoundException(runId));
        if (run.status().isTerminal()) {
            ports.active().release(run.installationId(), runId);
            return;
        }
        Map<Phase, PhaseCounts> counts = ports.dispatch().counts(runId);
        boolean anyFailed = counts.values().stream().anyMatch(c -> c.failed() > 0);
        RunStatus outcome = anyFailed && run.status().canMoveTo(RunStatus.FINISHED_WITH_ERRORS)
                ? RunStatus.FINISHED_WITH_ERRORS : RunStatus.FINISHED;
        try {
            end(ports.runs().transition(runId, run.status(), outcome, null, clock.instant()), true);
        } catch (RunConflictException cancelledMeanwhile) {
            ports.active().release(run.installationId(), runId);
        }
    }

    /**
     * After a run reached a final status: tell the App when it listens and was told the run started, free the
     * installation.
     */
    private void end(Run run, boolean started) {
        try {
            Installation installation = ports.installations().find(run.installationId());
            Manifest manifest = ports.apps().latest(installation.appId());
            if (started && manifest.subscribes(AppEvent.SYNCHRONIZATION_ENDED)) {
                Map<String, PhaseCounts> counts = new LinkedHashMap<>();
                ports.dispatch().counts(run.id()).forEach((phase, c) -> counts.put(phase.wireName(), c.as(run.status())));
                Map<String, Object> countsBody = new LinkedHashMap<>();
                counts.forEach((phase, c) -> countsBody.put(phase, Map.of(
                        "planned", c.planned(), "succeeded", c.succeeded(), "failed", c.failed(), "cancelled", c.cancelled())));
                notice(installation, manifest, run, AppEvent.SYNCHRONIZATION_ENDED, Map.of("id", run.id().toString(),
                        "mode", run.mode().wireName(), "status", run.status().wireName(), "counts", countsBody));
            }
            telemetry.report(new Signal.RunEnded(run.id(), run.installationId(), installation.appId().value(), run.status(),
                    run.reason(), Duration.between(run.createdAt(), run.updatedAt())));
            webhooks.announce(run.installationId(), run.id(), WebhookEvent.SYNCHRONIZATION_ENDED);
            ending.afterEnd(run);
        } finally {
            ports.active().release(run.installationId(), run.id());
        }
    }

    // ---- reconciler -------------------------------------------------------------------------------

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
                telemetry.report(new Signal.ReconcileFailed(active.runId(), active.installationId(), describe(e)));
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
            finish(run.id());
            return true;
        }
        Phase phase = dispatch.phase().get();
        PhaseCounts counts = ports.dispatch().counts(run.id()).get(phase);
        if (counts.remaining() == 0) {
            advance(run.id(), phase);
            return true;
        }
        List<ChunkRef> lost = new ArrayList<>();
        for (int chunk : dispatch.open()) {
            ChunkRef ref = new ChunkRef(run.id(), phase, chunk);
            if (ports.results().find(ref).isPresent()) {
                // Recorded but not accounted: finish its accounting where the worker stopped.
                deliver(ref, now.plus(Duration.ofMinutes(1)));
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
        release(run.id(), phase);
        return true;
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
        deliver(ref, now.plus(Duration.ofMinutes(1))); // accounts for the recorded results, as for any recorded chunk
    }

    /** Cancels a held run nobody confirmed within its installation's confirmation timeout, so it frees the installation. */
    private boolean expireUnconfirmed(Run run, Instant now) {
        Duration timeout = ports.installations().find(run.installationId()).dispatch().deletionGuard().confirmationTimeout();
        if (run.updatedAt().plus(timeout).isAfter(now)) {
            return false;
        }
        try {
            Run cancelled = ports.runs().transition(run.id(), RunStatus.AWAITING_CONFIRMATION, RunStatus.CANCELLED,
                    "Nobody confirmed the deletions within " + timeout.toHours() + " h; nothing was sent. Upload a complete"
                            + " snapshot and trigger again, or trigger it and confirm it in time.", now);
            end(cancelled, false);
        } catch (RunConflictException confirmedOrCancelledMeanwhile) {
            return false;
        }
        return true;
    }

    // ---- shared -----------------------------------------------------------------------------------

    /** A run's notice, retried as a delivery; a failure is recorded and reported, and the run goes on regardless. */
    private void notice(Installation installation, Manifest manifest, Run run, AppEvent event, Map<String, Object> synchronization) {
        Notification notification = notifier.send(run.id(), target(installation, manifest, run.id()), event.wireName(),
                Map.of("name", event.wireName(), "synchronization", synchronization),
                RetryPolicy.withRetries(installation.dispatch().retryBudget()));
        if (!notification.delivered()) {
            telemetry.report(new Signal.NotificationFailed(run.id(), installation.id(), installation.appId().value(), event.wireName(),
                    Notifier.outcome(notification)));
        }
    }

    private void reportResent(Run run, String what, int count, Duration idle) {
        telemetry.report(new Signal.Resent(run.id(), run.installationId(), what, count, idle));
    }

    private AppTarget target(Installation installation, Manifest manifest, UUID runId) {
        return new AppTarget(manifest.url(), AppTokenClaims.forSynchronization(installation, runId, clock.instant()),
                ports.vault().decrypt(installation.secret(), installation.id()));
    }

    private static Optional<Phase> nextPhase(PlanTotals totals, Phase after) {
        for (Phase phase : Phase.values()) {
            if ((after == null || phase.ordinal() > after.ordinal()) && totals.chunks(phase) > 0) {
                return Optional.of(phase);
            }
        }
        return Optional.empty();
    }
}
