package dev.syncline.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.syncline.adapters.sqs.SqsChunkQueue;
import dev.syncline.adapters.wiring.Services;
import dev.syncline.core.delivery.ChunkRef;
import dev.syncline.core.sync.SyncEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work-queue consumer: delivers each chunk of the batch to its App and accounts for it. The deadline
 * handed to the engine is the function's remaining time, so retries stop in time to record the results.
 */
public final class DeliverChunkHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private static final Logger LOG = LoggerFactory.getLogger(DeliverChunkHandler.class);
    /** Left for recording results and answering Lambda after the last chunk. */
    private static final Duration MARGIN = Duration.ofSeconds(5);

    private final SyncEngine engine;
    private final Clock clock;

    public DeliverChunkHandler() {
        this(Services.fromEnvironment());
    }

    /** For a host that wires once for several functions (the local stack). */
    public DeliverChunkHandler(Services services) {
        this(services.engine(), services.clock());
    }

    DeliverChunkHandler(SyncEngine engine, Clock clock) {
        this.engine = engine;
        this.clock = clock;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        Instant deadline = clock.instant().plusMillis(context.getRemainingTimeInMillis()).minus(MARGIN);
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            long started = System.nanoTime();
            try {
                ChunkRef chunk = SqsChunkQueue.parse(message.getBody());
                engine.deliver(chunk, deadline);
                LOG.info("event=chunk_delivered run={} phase={} chunk={} millis={}", chunk.runId(), chunk.phase().wireName(),
                        chunk.chunk(), (System.nanoTime() - started) / 1_000_000);
            } catch (RuntimeException e) {
                LOG.error("event=chunk_failed message={} error={}", message.getMessageId(), e.toString(), e);
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }
}
