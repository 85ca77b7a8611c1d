package dev.syncline.testing.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
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
 */
public final class SqsEventSource implements AutoCloseable {

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final int batchSize;
    private final Duration visibilityTimeout;
    private final Function<SQSEvent, SQSBatchResponse> function;
    private final Semaphore invocations;
    private final ExecutorService pollers = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong invoked = new AtomicLong();

    /**
     * @param visibilityTimeout how long a received message stays hidden; the template's value on AWS,
     *     shorter in tests so that a failed message comes back quickly
     */
    public SqsEventSource(SqsClient sqs, String queueUrl, int batchSize, int maxConcurrency, Duration visibilityTimeout,
            Function<SQSEvent, SQSBatchResponse> function) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
        this.batchSize = batchSize;
        this.visibilityTimeout = visibilityTimeout;
        this.function = function;
        this.invocations = new Semaphore(maxConcurrency);
        for (int i = 0; i < maxConcurrency; i++) {
            pollers.submit(this::poll);
        }
    }

    /** How many times the function was invoked. */
    public long invocations() {
        return invoked.get();
    }

    private void poll() {
        while (running.get()) {
            List<Message> messages;
            try {
                messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                                .maxNumberOfMessages(batchSize)
                                .waitTimeSeconds(1)
                                .visibilityTimeout((int) visibilityTimeout.toSeconds())
                                .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
                        .messages();
            } catch (RuntimeException e) {
                if (!running.get()) {
                    return;
                }
                sleepQuietly();
                continue;
            }
            if (messages.isEmpty()) {
                continue;
            }
            invocations.acquireUninterruptibly();
            try {
                invoke(messages);
            } finally {
                invocations.release();
            }
        }
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
        try {
            SQSBatchResponse response = function.apply(event);
            if (response != null && response.getBatchItemFailures() != null) {
                response.getBatchItemFailures().forEach(failure -> failed.add(failure.getItemIdentifier()));
            }
        } catch (RuntimeException e) {
            // Lambda treats a thrown error as the failure of the whole batch.
            System.err.println("function failed its batch of " + messages.size() + ": " + e);
            return;
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
        pollers.shutdown();
        try {
            if (!pollers.awaitTermination(30, TimeUnit.SECONDS)) {
                pollers.shutdownNow();
            }
        } catch (InterruptedException e) {
            pollers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
