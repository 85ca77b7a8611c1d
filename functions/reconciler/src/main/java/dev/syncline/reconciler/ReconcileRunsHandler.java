package dev.syncline.reconciler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.syncline.adapters.metrics.EmfMetrics;
import dev.syncline.adapters.metrics.RunUsageMeter;
import dev.syncline.adapters.scheduler.EventBridgeScheduleTriggers;
import dev.syncline.adapters.wiring.Services;
import dev.syncline.core.file.FileService;
import dev.syncline.core.schedule.ScheduleOutcome;
import dev.syncline.core.schedule.ScheduleService;
import dev.syncline.core.sync.RunRecovery;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import dev.syncline.adapters.wiring.FunctionLogging;

/**
 * The scheduled function. Every minute (its own rule): finds runs that stopped moving (a lost message, a function
 * that died between two writes) and moves them on; a run counts as stalled once it has been idle longer than the
 * work queue's visibility timeout, after which SQS would have redelivered anything merely slow. And whenever an
 * installation's EventBridge Scheduler schedule fires (an event whose source is
 * {@value EventBridgeScheduleTriggers#SOURCE}): starts that installation's scheduled run, or records why not.
 */
public final class ReconcileRunsHandler implements RequestHandler<ScheduledEvent, String> {

    private static final Logger LOG = FunctionLogging.logger(ReconcileRunsHandler.class);

    private final RunRecovery recovery;
    private final FileService files;
    private final ScheduleService schedules;
    private final Duration stalledAfter;
    private final EmfMetrics metrics;
    private final RunUsageMeter usage;

    public ReconcileRunsHandler() {
        this(Services.fromEnvironment());
    }

    /** For a host that wires once for several functions (the local stack). */
    public ReconcileRunsHandler(Services services) {
        this(services.runRecovery(), services.fileService(), services.schedules(), services.stalledAfter(), services.metrics(),
                services.usageMeter());
    }

    ReconcileRunsHandler(RunRecovery recovery, FileService files, ScheduleService schedules, Duration stalledAfter, EmfMetrics metrics,
            RunUsageMeter usage) {
        this.usage = usage;
        this.recovery = recovery;
        this.files = files;
        this.schedules = schedules;
        this.stalledAfter = stalledAfter;
        this.metrics = metrics;
    }

    @Override
    @SuppressWarnings("try") // the ids tag the lines written inside, unreferenced
    public String handleRequest(ScheduledEvent event, Context context) {
        int acted;
        try (FunctionLogging.Ids invocation = FunctionLogging.invocation(context)) {
            if (EventBridgeScheduleTriggers.SOURCE.equals(event.getSource())) {
                // A scheduled trigger is the run's first work; the periodic sweep is the stack's, not a run's.
                try (RunUsageMeter.Stretch used = usage.start("reconciler", context, null)) {
                    return startScheduledRun(event);
                }
            }
            acted = recovery.reconcile(stalledAfter);
            int fetches = files.resendLostFetches(stalledAfter);
            if (fetches > 0) {
                LOG.info("event=file_fetches_resent fetches={}", fetches);
            }
        } finally {
            metrics.flush();
        }
        LOG.debug("event=reconciled runs_acted_on={}", acted);
        return "reconciled " + acted + " runs";
    }

    private String startScheduledRun(ScheduledEvent event) {
        Map<String, Object> detail = event.getDetail() == null ? Map.of() : event.getDetail();
        UUID installationId;
        try {
            installationId = UUID.fromString(String.valueOf(detail.get("installation_id")));
        } catch (IllegalArgumentException e) {
            // Only a hand-made event lacks it; nothing to retry.
            LOG.warn("event=scheduled_run_refused reason=no_installation_id");
            return "no installation_id in the event";
        }
        Instant scheduledAt = scheduledTime(detail.get("scheduled_time"));
        Optional<ScheduleOutcome> outcome = schedules.fire(installationId, scheduledAt);
        outcome.filter(ScheduleOutcome.Started.class::isInstance)
                .ifPresent(started -> RunUsageMeter.attributeCurrentTo(((ScheduleOutcome.Started) started).runId()));
        String result = outcome.map(ReconcileRunsHandler::describe).orElse("no schedule");
        LOG.info("event=scheduled_run installation_id={} scheduled_time={} outcome=\"{}\"", installationId, scheduledAt, result);
        return result;
    }

    private static Instant scheduledTime(Object text) {
        try {
            return text == null ? Instant.now() : Instant.parse(text.toString());
        } catch (DateTimeParseException e) {
            return Instant.now();
        }
    }

    private static String describe(ScheduleOutcome outcome) {
        return switch (outcome) {
            case ScheduleOutcome.Started started -> "started " + started.runId();
            case ScheduleOutcome.Skipped skipped -> "skipped: " + skipped.reason();
            case ScheduleOutcome.Failed failed -> "failed: " + failed.reason();
        };
    }
}
