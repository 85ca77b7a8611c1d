package dev.syncline.planner;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.syncline.adapters.metrics.EmfMetrics;
import dev.syncline.adapters.metrics.RunUsageMeter;
import dev.syncline.adapters.sqs.SqsControlQueue;
import dev.syncline.adapters.sqs.SqsWebhookQueue;
import dev.syncline.adapters.wiring.Services;
import dev.syncline.core.sync.RunPlanning;
import dev.syncline.core.webhook.WebhookService;
import dev.syncline.core.file.FileService;
import dev.syncline.core.file.FileStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import dev.syncline.adapters.wiring.FunctionLogging;

/**
 * Control-queue consumer: plans each run named in the batch and releases its first chunks, fetches an ended run's
 * file from its App, and makes the webhook attempts that are due (they ride the same queue, delayed until due, so no
 * run waits on a PIM's receiver). A message that fails is reported alone (ReportBatchItemFailures) and comes back
 * after the visibility timeout; planning a run twice, or asking twice for its file, is harmless.
 */
public final class PlanSynchronizationHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private static final Logger LOG = FunctionLogging.logger(PlanSynchronizationHandler.class);

    /** Left to record the fetch's outcome and answer the batch after the file step's deadline. */
    static final Duration MARGIN = Duration.ofSeconds(20);

    private final RunPlanning planning;
    private final WebhookService webhooks;
    private final FileService files;
    private final Clock clock;
    private final EmfMetrics metrics;
    private final RunUsageMeter usage;

    public PlanSynchronizationHandler() {
        this(Services.fromEnvironment());
    }

    /** For a host that wires once for several functions (the local stack). */
    public PlanSynchronizationHandler(Services services) {
        this.planning = services.runPlanning();
        this.webhooks = services.webhooks();
        this.files = services.fileService();
        this.clock = services.clock();
        this.metrics = services.metrics();
        this.usage = services.usageMeter();
    }

    @Override
    @SuppressWarnings("try") // the ids tag the lines written inside, unreferenced
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        try (FunctionLogging.Ids invocation = FunctionLogging.invocation(context)) {
            for (SQSEvent.SQSMessage message : event.getRecords()) {
                FunctionLogging.message(message.getMessageId());
                try (RunUsageMeter.Stretch used = usage.startForMessage("planner", context)) {
                    Optional<SqsWebhookQueue.Attempt> webhook = SqsWebhookQueue.parse(message.getBody());
                    if (webhook.isPresent()) {
                        FunctionLogging.run(null, webhook.get().installationId(), null, null);
                        webhooks.attempt(webhook.get().installationId(), webhook.get().deliveryId());
                        continue;
                    }
                    SqsControlQueue.Message control = SqsControlQueue.read(message.getBody());
                    FunctionLogging.run(control.runId(), null, null, null);
                    used.attributeTo(control.runId());
                    switch (control.step()) {
                        case PREPARE -> planning.prepare(control.runId());
                        case FETCH_FILE -> {
                            Instant deadline = clock.instant().plusMillis(context.getRemainingTimeInMillis()).minus(MARGIN);
                            FileStatus status = files.fetch(control.runId(), deadline);
                            LOG.info("event=file_fetched run_id={} file_status={}", control.runId(), status.wireName());
                        }
                    }
                } catch (RuntimeException e) {
                    LOG.error("event=plan_failed error={}", e.toString(), e);
                    failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                }
            }
        } finally {
            metrics.flush();
        }
        return new SQSBatchResponse(failures);
    }
}
