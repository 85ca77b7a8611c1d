package dev.syncline.testing.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * What Lambda's SQS event source mapping does, for tests and the local stack: long-polls a queue, hands
 * batches to a function as {@link SQSEvent}s with up to {@code maxConcurrency} invocations at once, deletes
 * the messages the function did not report as failed ({@code ReportBatchItemFailures}), and leaves the
 * failed ones to come back after the visibility timeout, until the queue's redrive moves them to its
 * dead-letter queue. A function that throws fails its whole batch, as on Lambda.
 *
 * <p>Each invocation runs under the function's time limit, as on Lambda: the {@link Context} it gets reports the
 * time left ({@link Context#getRemainingTimeInMillis()}), and at the limit the invocation is abandoned: its thread
 * is interrupted, its answer no longer counts, and its messages are not deleted, so they come back after the
 * visibility timeout. (Lambda also freezes the abandoned sandbox; here a thread that ignores the interrupt runs
 * on, so code under test should stop on interrupts, as blocking JDK and SDK calls do.)
 */
public final class SqsEventSource implements AutoCloseable {

    /**
     * How many pollers ask the queue, as Lambda's mapping starts with: each receive asks for as many messages as there
     * are free invocation slots, so a handful of pollers keep {@code maxConcurrency} invocations busy, and an idle
     * queue costs a few receives a second rather than one per slot.
     */
    static final int POLLERS = 5;
    /** The most messages one receive may ask for. */
    private static final int MAX_RECEIVE = 10;

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final int batchSize;
    private final Duration visibilityTimeout;
    private final String function;
    private final Duration timeLimit;
    private final Handler handler;
    private final Semaphore invocations;
    private final ExecutorService pollers = Executors.newVirtualThreadPerTaskExecutor();
    private final ExecutorService invokers = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong invoked = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();

    /** The function's handler. */
    @FunctionalInterface
    public interface Handler {
        SQSBatchResponse handleRequest(SQSEvent event, Context context);
    }

    /**
     * @param visibilityTimeout how long a received message stays hidden; the template's value on AWS,
     *     shorter in tests so that a failed message comes back quickly
     * @param function the function's short name ({@code worker} is {@code syncline-worker}), for its context
     * @param timeLimit how long one invocation may run: the function's {@code Timeout} ({@link FunctionTimeouts}),
     *     shorter in tests that need an invocation to run out of time
     */
    public SqsEventSource(SqsClient sqs, String queueUrl, int batchSize, int maxConcurrency, Duration visibilityTimeout,
            String function, Duration timeLimit, Handler handler) {
        if (timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("an invocation's time limit must be positive, got " + timeLimit);
        }
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
        this.batchSize = batchSize;
        this.visibilityTimeout = visibilityTimeout;
        this.function = function;
        this.timeLimit = timeLimit;
        this.handler = handler;
        this.invocations = new Semaphore(maxConcurrency);
        for (int i = 0; i < Math.min(maxConcurrency, POLLERS); i++) {
            pollers.submit(this::poll);
        }
    }

    /** How many times the function was invoked. */
    public long invocations() {
        return invoked.get();
    }

    /** How many invocations ran out of time and were abandoned. */
    public long timedOut() {
        return timedOut.get();
    }

    /**
     * One poller: waits for a free invocation slot, takes as many more as are free (up to a receive's ten messages),
     * receives for them, and starts one invocation per batch of {@code batchSize}; slots it got no messages for go back.
     */
    private void poll() {
        while (running.get()) {
            int slots = freeSlots();
            if (slots == 0) {
                continue;
            }
            List<Message> messages;
            try {
                messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                                .maxNumberOfMessages(Math.min(MAX_RECEIVE, slots * batchSize))
                                .waitTimeSeconds(1)
                                .visibilityTimeout((int) visibilityTimeout.toSeconds())
                                .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
                        .messages();
            } catch (RuntimeException e) {
                invocations.release(slots);
                if (!running.get()) {
                    return;
                }
                sleepQuietly();
                continue;
            }
            int batches = (messages.size() + batchSize - 1) / batchSize;
            invocations.release(slots - batches);
            for (int batch = 0; batch < batches; batch++) {
                List<Message> records = messages.subList(batch * batchSize, Math.min(messages.size(), (batch + 1) * batchSize));
                invokers.execute(() -> {
                    try {
                        invoke(records);
                    } finally {
                        invocations.release();
                    }
                });
            }
        }
    }

    /** Waits a moment for one free invocation slot and takes the others free beside it, within one receive; 0 if none. */
    private int freeSlots() {
        try {
            if (!invocations.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                return 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
            return 0;
        }
        int slots = 1;
        while (slots * batchSize < MAX_RECEIVE && invocations.tryAcquire()) {
            slots++;
        }
        return slots;
    }

    private void invoke(List<Message> messages) {
        SQSEvent event = new SQSEvent();
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message message : messages) {
            SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
            record.setMessageId(message.messageId());
            record.setReceiptHandle(message.receiptHandle());
            record.setBody(message.body());
            record.setEventSource("aws:sqs");
            record.setEventSourceArn(queueArn);
            record.setAwsRegion("us-east-1");
            Map<String, String> attributes = new HashMap<>();
            message.attributesAsStrings().forEach(attributes::put);
            record.setAttributes(attributes);
            records.add(record);
        }
        event.setRecords(records);
        Set<String> failed = new HashSet<>();
        invoked.incrementAndGet();
        Context context = LambdaContext.of(function, timeLimit);
        FutureTask<SQSBatchResponse> invocation = new FutureTask<>(() -> handler.handleRequest(event, context));
        Thread.ofVirtual().name("syncline-" + function + "-" + context.getAwsRequestId()).start(invocation);
        SQSBatchResponse response;
        try {
            response = invocation.get(timeLimit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            invocation.cancel(true);
            timedOut.incrementAndGet();
            System.err.println("syncline-" + function + " timed out after " + timeLimit.toMillis() + " ms: its invocation was abandoned"
                    + " and its batch of " + messages.size() + " comes back after the visibility timeout");
            return;
        } catch (InterruptedException e) {
            // Closing: the invocation is abandoned with its messages, as in a shutdown sandbox.
            invocation.cancel(true);
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            // Lambda treats a thrown error as the failure of the whole batch.
            System.err.println("function failed its batch of " + messages.size() + ": " + e.getCause());
            return;
        }
        if (response != null && response.getBatchItemFailures() != null) {
            response.getBatchItemFailures().forEach(failure -> failed.add(failure.getItemIdentifier()));
        }
        List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
        for (Message message : messages) {
            if (!failed.contains(message.messageId())) {
                done.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(done.size())).receiptHandle(message.receiptHandle()).build());
            }
        }
        if (!done.isEmpty() && running.get()) {
            sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(done));
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running.set(false);
        // The pollers end within their one-second receive; the invocations under way are waited for, as before.
        for (ExecutorService threads : List.of(pollers, invokers)) {
            threads.shutdown();
            try {
                if (!threads.awaitTermination(30, TimeUnit.SECONDS)) {
                    threads.shutdownNow();
                }
            } catch (InterruptedException e) {
                threads.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }
}
