package dev.syncline.core.sync;

import dev.syncline.core.SynclineException;
import dev.syncline.core.app.AppEvent;
import dev.syncline.core.app.Manifest;
import dev.syncline.core.installation.DeletionGuard;
import dev.syncline.core.installation.Installation;
import dev.syncline.core.plan.PlanRequest;
import dev.syncline.core.plan.PlanTotals;
import dev.syncline.core.telemetry.Signal;
import dev.syncline.core.telemetry.Telemetry;
import dev.syncline.core.webhook.WebhookEvent;
import dev.syncline.core.webhook.Webhooks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What the planner does to a run: plans it, holds it when the deletion guard says so or when it is a preview, else tells
 * the App it started and releases its first chunks. A run cancelled while it was being planned goes no further.
 */
public final class RunPlanning {

    private final SyncEngine.Ports ports;
    private final Clock clock;
    private final Telemetry telemetry;
    private final Webhooks webhooks;
    private final RunLifecycle lifecycle;
    private final RunEstimates estimates;

    RunPlanning(RunLifecycle lifecycle) {
        this.ports = lifecycle.ports();
        this.clock = lifecycle.clock();
        this.telemetry = lifecycle.telemetry();
        this.webhooks = lifecycle.webhooks();
        this.lifecycle = lifecycle;
        this.estimates = new RunEstimates(ports);
    }

    /** Plans a run and releases its first chunks; a repeated message for a planned run does nothing. */
    public void prepare(UUID runId) {
        Run run = ports.runs().find(runId).orElseThrow(() -> new RunNotFoundException(runId));
        if (run.status() != RunStatus.PREPARING) {
            return;
        }
        Installation installation = ports.installations().find(run.installationId());
        Manifest manifest = ports.apps().latest(installation.appId());
        PlanTotals totals;
        PreviewTally preview = run.preview() ? new PreviewTally() : null;
        long planning = System.nanoTime();
        try {
            totals = ports.planner().plan(new PlanRequest(runId, installation.id(), run.snapshotId(), run.mode(),
                    manifest.events().stream().map(AppEvent::wireName).collect(Collectors.toSet())), preview);
            telemetry.report(new Signal.RunPlanned(runId, installation.id(), installation.appId().value(), totals.snapshotLines(),
                    totals.entries(), totals.rejectedLines(), Duration.ofNanos(System.nanoTime() - planning)));
        } catch (SynclineException e) {
            Run failed = ports.runs().transition(runId, RunStatus.PREPARING, RunStatus.FAILED, e.getMessage(), clock.instant());
            lifecycle.end(failed, false);
            return;
        }
        Optional<Phase> first = nextPhase(totals, null);
        DeletionGuard guard = installation.dispatch().deletionGuard();
        if (preview != null) {
            holdPreview(run, installation, totals, first, preview);
            return;
        }
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
        lifecycle.announceStart(installation, run);
        try {
            ports.dispatch().planned(runId, totals, first, installation.dispatch().concurrencyWindow(), clock.instant());
        } catch (RunConflictException e) {
            Optional<Run> cancelled = ports.runs().find(runId).filter(now -> now.status().isTerminal());
            if (cancelled.isEmpty()) {
                throw e;
            }
            lifecycle.end(cancelled.get(), true); // cancelled while the App was told it started: tell it the run ended
            return;
        }
        if (first.isEmpty()) {
            lifecycle.finish(runId);
        } else {
            lifecycle.release(runId, first.get());
        }
    }

    /**
     * Keeps what the preview shows, then holds the run as the deletion guard would, without telling anyone: the caller
     * asked for it and reads it.
     */
    private void holdPreview(Run run, Installation installation, PlanTotals totals, Optional<Phase> first, PreviewTally tally) {
        DeletionGuard guard = installation.dispatch().deletionGuard();
        int window = installation.dispatch().concurrencyWindow();
        Instant now = clock.instant();
        // Saved before the run shows it is planned, so that a reader who sees awaiting_confirmation finds the preview.
        ports.previews().save(run.id(), tally.preview(totals.deletions(), totals.held(), guard.holds(totals.deletions(), totals.held()),
                estimates.estimate(installation.id(), run.id(), totals.entries(), window), now.plus(guard.confirmationTimeout())));
        try {
            ports.dispatch().planned(run.id(), totals, first, window, previewReason(run, guard), now);
        } catch (RunConflictException e) {
            if (ports.runs().find(run.id()).filter(moved -> moved.status().isTerminal()).isEmpty()) {
                throw e;
            }
            // Discarded while it was being planned: nothing was sent, and there is nothing more to do.
        }
    }

    private static String previewReason(Run run, DeletionGuard guard) {
        return "Preview: the plan is ready and nothing was sent. Run exactly this plan with POST /v1/synchronizations/" + run.id()
                + "/confirm or discard it with POST /v1/synchronizations/" + run.id() + "/cancel; unconfirmed, it is discarded after "
                + guard.confirmationTimeout().toHours() + " h.";
    }

    private static String heldBecause(PlanTotals totals, DeletionGuard guard) {
        long percent = totals.held() == 0 ? 100 : Math.round(100.0 * totals.deletions() / totals.held());
        return "The plan would delete " + totals.deletions() + " of the " + totals.held() + " resources the App holds (" + percent
                + " %), more than the installation's deletion guard allows (" + guard.thresholdPercent() + " %, and more than "
                + guard.minDeletions() + "); nothing was sent. Confirm with POST /v1/synchronizations/{id}/confirm if the catalog"
                + " really shrank, or cancel; unconfirmed, it is cancelled after " + guard.confirmationTimeout().toHours() + " h.";
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
