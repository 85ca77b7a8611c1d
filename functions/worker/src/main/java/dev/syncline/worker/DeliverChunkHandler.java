package dev.syncline.worker;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.syncline.adapters.metrics.EmfMetrics;
import dev.syncline.adapters.metrics.RunUsageMeter;
import dev.syncline.adapters.sqs.SqsChunkQueue;
import dev.syncline.adapters.wiring.Services;
import dev.syncline.core.delivery.ChunkRef;
import dev.syncline.core.delivery.ChunkWork;
import dev.syncline.core.sync.ChunkDelivery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import dev.syncline.adapters.wiring.FunctionLogging;

/**
 * Work-queue consumer: delivers each chunk of the batch to its App and accounts for it, and goes on with the next
 * chunks of the run the window lets go while its time allows ({@link ChunkDelivery#deliverAndContinue}). The deadline
 * handed to the engine is the function's remaining time, so no request starts that could not end before it, and
 * what had no time left is handed on as the chunk's next pass.
 */
public final class DeliverChunkHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private static final Logger LOG = FunctionLogging.logger(DeliverChunkHandler.class);
    /** Left for recording results and answering Lambda after the last chunk. */
    private static final Duration MARGIN = Duration.ofSeconds(5);
    /** Lines about a chunk the worker took itself, or about a chunk's accounting, carry that chunk's ids. */
    private static final ChunkDelivery.Scope LOG_SCOPE = new ChunkDelivery.Scope() {
        @Override
        public void enter(ChunkRef chunk) {
            FunctionLogging.run(chunk.runId(), null, chunk.phase().wireName(), chunk.chunk());
        }

        @Override
        public Runnable carry(Runnable work) {
            return FunctionLogging.carried(work);
        }
    };

    private final ChunkDelivery delivery;
    private final Clock clock;
    private final EmfMetrics metrics;
    private final RunUsageMeter usage;

    public DeliverChunkHandler() {
        this(Services.fromEnvironment());
    }

    /** For a host that wires once for several functions (the local stack). */
    public DeliverChunkHandler(Services services) {
        this.delivery = services.chunkDelivery();
        this.clock = services.clock();
        this.metrics = services.metrics();
        this.usage = services.usageMeter();
    }

    @Override
    @SuppressWarnings("try") // the ids tag the lines written inside, unreferenced
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        Instant deadline = clock.instant().plusMillis(context.getRemainingTimeInMillis()).minus(MARGIN);
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        try (FunctionLogging.Ids invocation = FunctionLogging.invocation(context)) {
            for (SQSEvent.SQSMessage message : event.getRecords()) {
                FunctionLogging.message(message.getMessageId());
                try (RunUsageMeter.Stretch used = usage.startForMessage("worker", context)) {
                    ChunkWork work = SqsChunkQueue.parseWork(message.getBody());
                    ChunkRef chunk = work.ref();
                    FunctionLogging.run(chunk.runId(), null, chunk.phase().wireName(), chunk.chunk());
                    used.attributeTo(chunk.runId());
                    delivery.deliverAndContinue(work, deadline, LOG_SCOPE);
                } catch (RuntimeException e) {
                    LOG.error("event=chunk_failed error={}", e.toString(), e);
                    failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                }
            }
        } finally {
            metrics.flush();
        }
        return new SQSBatchResponse(failures);
    }
}
