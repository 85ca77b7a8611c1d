package dev.syncline.planner;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.syncline.adapters.sqs.SqsControlQueue;
import dev.syncline.adapters.wiring.Services;
import dev.syncline.core.sync.SyncEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Control-queue consumer: plans each run named in the batch and releases its first chunks. A message
 * that fails is reported alone (ReportBatchItemFailures) and comes back after the visibility timeout;
 * planning a run twice is harmless.
 */
public final class PlanSynchronizationHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(PlanSynchronizationHandler.class);

    private final SyncEngine engine;

    public PlanSynchronizationHandler() {
        this(Services.fromEnvironment());
    }

    /** For a host that wires once for several functions (the local stack). */
    public PlanSynchronizationHandler(Services services) {
        this(services.engine());
    }

    PlanSynchronizationHandler(SyncEngine engine) {
        this.engine = engine;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            long started = System.nanoTime();
            try {
                UUID runId = SqsControlQueue.parse(message.getBody());
                engine.prepare(runId);
                LOG.info("event=run_planned run={} millis={}", runId, (System.nanoTime() - started) / 1_000_000);
            } catch (RuntimeException e) {
                LOG.error("event=plan_failed message={} error={}", message.getMessageId(), e.toString(), e);
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }
}
