package dev.syncline.adapters.metrics;

import com.amazonaws.services.lambda.runtime.Context;
import dev.syncline.adapters.wiring.FunctionLogging;
import dev.syncline.core.cost.RunUsage;
import dev.syncline.core.cost.RunUsageStore;
import java.util.UUID;
import org.slf4j.Logger;

/**
 * Records what each function invocation used for the run it worked on: the AWS calls made meanwhile (counted apart
 * from other threads' by {@link AwsCallCounter#alsoCountingInto}), the invocation's GB-seconds (its duration times
 * the function's memory) and the bytes it stored in S3, added to the run's usage in one write when the stretch
 * ends ({@link RunUsageStore#add}). A stretch that never learns its run ({@link Stretch#attributeTo}) records
 * nothing: a listing or a health check is nobody's run.
 *
 * <p>Recording never fails the work it records: a failed write is logged and the usage of that stretch is lost.
 */
public final class RunUsageMeter {

    private static final Logger LOG = FunctionLogging.logger(RunUsageMeter.class);

    /** The stretch the current thread works in, so that code deep inside (a trigger) can name its run. */
    private static final ThreadLocal<Stretch> CURRENT = new ThreadLocal<>();

    private final RunUsageStore store;

    public RunUsageMeter(RunUsageStore store) {
        this.store = store;
    }

    /**
     * Starts a stretch of {@code function}'s work on this thread.
     *
     * @param invocation the invocation's context, whose memory limit is the function's configured memory (null in
     *     tests that call a handler bare: no GB-seconds then)
     * @param runId the run the work is for, or null when not yet known
     */
    public Stretch start(String function, Context invocation, UUID runId) {
        Stretch stretch = new Stretch(function, invocation == null ? 0 : invocation.getMemoryLimitInMB(), runId);
        CURRENT.set(stretch);
        return stretch;
    }

    /**
     * Starts a stretch for one SQS message of {@code function}'s batch, counting the event source mapping's receive
     * and delete of it (one each: the functions take one message per invocation), which no client of the function
     * makes.
     */
    public Stretch startForMessage(String function, Context invocation) {
        Stretch stretch = start(function, invocation, null);
        stretch.alsoBilled("Sqs", "ReceiveMessage", 1);
        stretch.alsoBilled("Sqs", "DeleteMessageBatch", 1);
        return stretch;
    }

    /** Says that the current thread's stretch, if any, works for {@code runId}. */
    public static void attributeCurrentTo(UUID runId) {
        Stretch stretch = CURRENT.get();
        if (stretch != null) {
            stretch.attributeTo(runId);
        }
    }

    /** One function's work for one run: counts until closed, then records. */
    public final class Stretch implements AutoCloseable {

        private final String function;
        private final int memoryMb;
        private final long startNanos = System.nanoTime();
        private final AwsCallCounter counter = AwsCallCounter.create();
        private final AwsCallCounter.Scope scope = AwsCallCounter.alsoCountingInto(counter);
        private RunUsage modelled = RunUsage.none();
        private UUID runId;

        private Stretch(String function, int memoryMb, UUID runId) {
            this.function = function;
            this.memoryMb = memoryMb;
            this.runId = runId;
        }

        public void attributeTo(UUID run) {
            this.runId = run;
        }

        /**
         * Requests made on the stretch's behalf that no client of this process counts: the event source mapping's
         * receive and delete of the message that started it.
         */
        public void alsoBilled(String service, String operation, long requests) {
            modelled = modelled.plusRequest(service, operation, new RunUsage.Requests(requests, 0, 0));
        }

        /** What the stretch used so far, without the write that records it. */
        public RunUsage usage() {
            double gbSeconds = (System.nanoTime() - startNanos) / 1e9 * memoryMb / 1024.0;
            return counter.snapshot().usage().plus(modelled).plusInvocation(function, gbSeconds);
        }

        @Override
        public void close() {
            scope.close();
            if (CURRENT.get() == this) {
                CURRENT.remove();
            }
            if (runId == null) {
                return;
            }
            // The write below is one UpdateItem of an item under 1 KB: counted here, as it cannot count itself.
            RunUsage usage = usage().plusRequest("DynamoDb", "UpdateItem", new RunUsage.Requests(1, 0, 1));
            try {
                store.add(runId, usage);
            } catch (RuntimeException e) {
                LOG.warn("event=usage_not_recorded run_id={} function={} error={}", runId, function, e.toString());
            }
        }
    }
}
