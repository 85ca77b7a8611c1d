package dev.syncline.core.sync;

import dev.syncline.core.SynclineException;
import dev.syncline.core.app.AppFeature;
import dev.syncline.core.app.Manifest;
import dev.syncline.core.installation.Installation;
import dev.syncline.core.installation.InstallationResult;
import dev.syncline.core.telemetry.Signal;
import dev.syncline.core.telemetry.Telemetry;
import dev.syncline.core.tenant.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What the API does to runs: triggers them (atomically: a run that cannot be queued for planning ends at once),
 * cancels them in any status before the end, confirms a run the deletion guard held, and uninstalls an installation
 * with its active run cancelled first.
 */
public final class RunControl {

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

    private final SyncEngine.Ports ports;
    private final Clock clock;
    private final Telemetry telemetry;
    private final RunLifecycle lifecycle;

    RunControl(RunLifecycle lifecycle) {
        this.ports = lifecycle.ports();
        this.clock = lifecycle.clock();
        this.telemetry = lifecycle.telemetry();
        this.lifecycle = lifecycle;
    }

    /**
     * Starts a run, or returns the one an earlier request with the same idempotency key started. A preview is started
     * the same way and holds the installation the same way: once planned, it waits for {@link #confirm} or
     * {@link #cancel}.
     */
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
        // Counted before acquiring: two triggers of one tenant racing past the count may exceed the limit by one each.
        int tenantActive = ports.active().activeCount(installation.tenantId());
        if (tenantActive >= ports.tenantMaxActiveRuns()) {
            throw new TenantRunLimitException(installation.tenantId(), ports.tenantMaxActiveRuns(), tenantActive);
        }
        Optional<UUID> activeRun = acquire(installation.id(), installation.tenantId(), runId);
        if (activeRun.isPresent()) {
            if (request.idempotencyKey() != null) {
                // A retry of the request that started the active run gets that run, not a conflict.
                Optional<Run> earlier = ports.runs().findByIdempotencyKey(installation.id(), request.idempotencyKey())
                        .flatMap(ports.runs()::find);
                if (earlier.isPresent()) {
                    return earlier.get();
                }
            }
            throw new ActiveRunConflictException(installation.id(), activeRun.get(),
                    ports.runs().find(activeRun.get()).filter(Run::preview).isPresent());
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
        Run started = Run.start(runId, installation.id(), request.mode(), request.snapshotId(), clock.instant());
        Run run = request.preview() ? started.asPreview() : started;
        ports.runs().create(run);
        Optional<String> unqueued = queueForPlanning(runId);
        if (unqueued.isPresent()) {
            return failUnqueued(run, unqueued.get());
        }
        if (!run.preview()) {
            telemetry.report(new Signal.RunStarted(runId, installation.id(), installation.appId().value(), run.mode()));
        }
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
        return Optional.of(RunLifecycle.describe(last));
    }

    /** A run that could not be queued for planning ends failed at once, freeing its installation, rather than lock it for hours. */
    private Run failUnqueued(Run run, String why) {
        try {
            Run failed = ports.runs().transition(run.id(), RunStatus.PREPARING, RunStatus.FAILED,
                    "The run could not be queued for planning (" + why + "); nothing was sent to the App. Trigger it again.",
                    clock.instant());
            lifecycle.end(failed, false);
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


    /**
     * Makes {@code runId} the installation's active run. A run's final status is set before its ending is wrapped
     * up ({@link RunLifecycle#end}: the App told, with retries, the file promoted, then the installation freed), so the lock may
     * still name a run the API already shows ended: that run is not active any more, and gives the lock up.
     *
     * @return empty when acquired, else the run that is still active
     */
    private Optional<UUID> acquire(UUID installationId, TenantId tenant, UUID runId) {
        Optional<UUID> holder = ports.active().acquire(installationId, tenant, runId);
        if (holder.isEmpty() || !heldInVain(installationId, holder.get())) {
            return holder;
        }
        ports.active().release(installationId, holder.get());
        return ports.active().acquire(installationId, tenant, runId);
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
            lifecycle.end(cancelled, run.status() == RunStatus.EXECUTION);
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
     * Lets a run the deletion guard held, or a preview, go on: the App is told the run started, then the whole plan,
     * deletions included, is delivered as for any run: exactly the plan the preview showed.
     */
    public Run confirm(UUID runId) {
        Run run = ports.runs().find(runId).orElseThrow(() -> new RunNotFoundException(runId));
        if (run.status() != RunStatus.AWAITING_CONFIRMATION) {
            throw new RunConflictException("Synchronization " + runId + " is " + run.status().wireName()
                    + "; only a synchronization awaiting_confirmation can be confirmed.");
        }
        // The move first: of two confirmations racing, one wins and the App hears of the run once.
        Run confirmed = ports.runs().transition(runId, RunStatus.AWAITING_CONFIRMATION, RunStatus.EXECUTION, null, clock.instant());
        Installation installation = ports.installations().find(run.installationId());
        if (run.preview()) {
            telemetry.report(new Signal.RunStarted(runId, installation.id(), installation.appId().value(), run.mode()));
        }
        lifecycle.announceStart(installation, run);
        Optional<Phase> first = ports.dispatch().state(runId).flatMap(RunDispatch.DispatchState::phase);
        if (first.isEmpty()) {
            lifecycle.finish(runId);
        } else {
            lifecycle.release(runId, first.get());
        }
        return confirmed;
    }
}
