package dev.syncline.bench;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * How long the functions fed by a queue ran, as the event source mapping sees it: from the receive that handed a
 * message out to the delete that acknowledged it. That span is what Lambda bills as the invocation's duration
 * (the function's whole handling of the batch), measured without touching the handlers.
 *
 * <p>Registered on every SDK client of the benchmark's JVM as a global interceptor
 * ({@code software/amazon/awssdk/global/handlers/execution.interceptors}), so its state is static. Batches of one
 * message make a message's span an invocation's span, as the template configures both queues.
 */
public final class InvocationTimer implements ExecutionInterceptor {

    private record Received(String queueUrl, long nanos) {
    }

    /** Invocations of one queue's function: how many, and their total and longest duration. */
    record Spans(long count, long totalNanos, long maxNanos) {

        double totalSeconds() {
            return totalNanos / 1e9;
        }

        double meanMillis() {
            return count == 0 ? 0 : totalNanos / 1e6 / count;
        }
    }

    private static final ConcurrentMap<String, Received> IN_FLIGHT = new ConcurrentHashMap<>();
    private static final ConcurrentMap<String, Tally> BY_QUEUE = new ConcurrentHashMap<>();

    /** Instantiated by the SDK for each client. */
    public InvocationTimer() {
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof ReceiveMessageRequest receive && context.response() instanceof ReceiveMessageResponse answer
                && answer.hasMessages()) {
            long now = System.nanoTime();
            for (Message message : answer.messages()) {
                IN_FLIGHT.put(message.receiptHandle(), new Received(receive.queueUrl(), now));
            }
        }
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        long now = System.nanoTime();
        switch (context.request()) {
            case DeleteMessageBatchRequest batch -> {
                for (DeleteMessageBatchRequestEntry entry : batch.entries()) {
                    finished(entry.receiptHandle(), now);
                }
            }
            case DeleteMessageRequest single -> finished(single.receiptHandle(), now);
            default -> {
            }
        }
    }

    private static void finished(String receiptHandle, long now) {
        Received received = IN_FLIGHT.remove(receiptHandle);
        if (received != null) {
            BY_QUEUE.computeIfAbsent(received.queueUrl(), url -> new Tally()).add(now - received.nanos());
        }
    }

    /** The invocations of the function fed by {@code queueUrl} since the last {@link #reset()}. */
    static Spans spans(String queueUrl) {
        Tally tally = BY_QUEUE.get(queueUrl);
        return tally == null ? new Spans(0, 0, 0) : new Spans(tally.count.sum(), tally.total.sum(), tally.max.get());
    }

    static void reset() {
        BY_QUEUE.clear();
    }

    private static final class Tally {
        final LongAdder count = new LongAdder();
        final LongAdder total = new LongAdder();
        final AtomicLong max = new AtomicLong();

        void add(long nanos) {
            count.increment();
            total.add(nanos);
            max.accumulateAndGet(nanos, Math::max);
        }
    }
}
