package dev.syncline.core.sync;

import dev.syncline.core.app.AppEvent;
import dev.syncline.core.app.Manifest;
import dev.syncline.core.delivery.AppTarget;
import dev.syncline.core.delivery.ChunkRef;
import dev.syncline.core.delivery.Notification;
import dev.syncline.core.delivery.Notifier;
import dev.syncline.core.delivery.RetryPolicy;
import dev.syncline.core.installation.AppTokenClaims;
import dev.syncline.core.installation.Installation;
import dev.syncline.core.telemetry.Signal;
import dev.syncline.core.telemetry.Telemetry;
import dev.syncline.core.webhook.WebhookEvent;
import dev.syncline.core.webhook.Webhooks;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * What every step of a run shares once it moves: releasing chunks into the window, advancing to the next phase,
 * finishing a run whose every entry ended, and wrapping up a run that reached its final status (the App and the
 * webhook told, the file asked for, the installation freed). Every method is safe to repeat.
 */
final class RunLifecycle {

    private static final int ERROR_LIMIT = 500;

    private final SyncEngine.Ports ports;
    private final Clock clock;
    private final RunEnding ending;
    private final Telemetry telemetry;
    private final Notifier notifier;
    private final Webhooks webhooks;

    RunLifecycle(SyncEngine.Ports ports, Clock clock, RunEnding ending, Telemetry telemetry, Notifier notifier, Webhooks webhooks) {
        this.ports = ports;
        this.clock = clock;
        this.ending = ending;
        this.telemetry = telemetry;
        this.notifier = notifier;
        this.webhooks = webhooks;
    }

    SyncEngine.Ports ports() {
        return ports;
    }

    Clock clock() {
        return clock;
    }

    Telemetry telemetry() {
        return telemetry;
    }

    Webhooks webhooks() {
        return webhooks;
    }

    /** Claims the free slots of the run's window in {@code phase} and sends their chunks to the work queue. */
    void release(UUID runId, Phase phase) {
        release(runId, phase, null);
    }

    /** @param keeper takes the first chunk claimed instead of the work queue; null to send them all */
    private void release(UUID runId, Phase phase, Consumer<ChunkRef> keeper) {
        List<ChunkRef> claimed = ports.dispatch().claim(runId, phase, clock.instant()).stream()
                .map(chunk -> new ChunkRef(runId, phase, chunk))
                .toList();
        if (keeper != null && !claimed.isEmpty()) {
            keeper.accept(claimed.getFirst());
            claimed = claimed.subList(1, claimed.size());
        }
        if (!claimed.isEmpty()) {
            ports.work().send(claimed);
        }
    }

    /** Moves a run past its completed phase: releases the next phase that has entries, or finishes the run. */
    void advance(UUID runId, Phase completed) {
        advance(runId, completed, null);
    }

    /**
     * Moves a run past its completed phase like {@link #advance(UUID, Phase)}, and hands the first chunk it releases
     * of the next phase to {@code keeper} instead of the work queue: a worker delivers it itself. The keeper must see
     * that chunk delivered or sent.
     */
    void advance(UUID runId, Phase completed, Consumer<ChunkRef> keeper) {
        Map<Phase, PhaseCounts> counts = ports.dispatch().counts(runId);
        Optional<Phase> next = Arrays.stream(Phase.values())
                .filter(phase -> phase.ordinal() > completed.ordinal() && counts.getOrDefault(phase, PhaseCounts.ZERO).planned() > 0)
                .findFirst();
        if (ports.dispatch().advance(runId, completed, next, clock.instant())) {
            if (next.isPresent()) {
                release(runId, next.get(), keeper);
            } else {
                finish(runId);
            }
        }
    }

    /** Ends a run whose every entry is terminal. */
    void finish(UUID runId) {
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
    void end(Run run, boolean started) {
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

    /** {@code synchronization_started}, once the run is cleared to send: the App hears nothing of a run held or failed before. */
    void announceStart(Installation installation, Run run) {
        webhooks.announce(installation.id(), run.id(), WebhookEvent.SYNCHRONIZATION_STARTED);
        Manifest manifest = ports.apps().latest(installation.appId());
        if (manifest.subscribes(AppEvent.SYNCHRONIZATION_STARTED)) {
            Map<String, Object> synchronization = Map.of("id", run.id().toString(), "mode", run.mode().wireName(),
                    "status", RunStatus.PREPARING.wireName());
            notice(installation, manifest, run, AppEvent.SYNCHRONIZATION_STARTED, synchronization);
        }
    }

    /** Where a run's requests go, signed for that run. */
    AppTarget target(Installation installation, Manifest manifest, UUID runId) {
        return new AppTarget(manifest.url(), AppTokenClaims.forSynchronization(installation, runId, clock.instant()),
                ports.vault().decrypt(installation.secret(), installation.id()));
    }

    /** A failure in words an operator reads, never longer than {@value #ERROR_LIMIT} characters. */
    static String describe(RuntimeException e) {
        String text = e == null ? "interrupted" : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return text.length() <= ERROR_LIMIT ? text : text.substring(0, ERROR_LIMIT) + "…";
    }

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
}
