package dev.syncline.testing.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * An SDK interceptor that delivers every message sent to one queue twice, as SQS's at-least-once delivery may: once a
 * send succeeded, the same bodies are sent again through another client (one this interceptor is not installed in).
 * Both copies are then received, usually by two invocations at once.
 */
public final class SqsDuplicates implements ExecutionInterceptor {

    private final SqsClient copies;
    private final String queueUrl;
    private final AtomicBoolean on = new AtomicBoolean();
    private final AtomicLong duplicated = new AtomicLong();

    /**
     * @param copies the client that sends the second copies; it must not run this interceptor
     * @param queueUrl the queue whose messages are doubled
     */
    public SqsDuplicates(SqsClient copies, String queueUrl) {
        this.copies = copies;
        this.queueUrl = queueUrl;
    }

    /** Starts or stops doubling (off at first). */
    public void set(boolean doubling) {
        on.set(doubling);
    }

    public boolean isOn() {
        return on.get();
    }

    /** Second copies sent so far. */
    public long duplicated() {
        return duplicated.get();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (!on.get()) {
            return;
        }
        List<String> bodies = new ArrayList<>();
        if (context.request() instanceof SendMessageBatchRequest batch && queueUrl.equals(batch.queueUrl())) {
            batch.entries().stream().map(SendMessageBatchRequestEntry::messageBody).forEach(bodies::add);
        } else if (context.request() instanceof SendMessageRequest single && queueUrl.equals(single.queueUrl())) {
            bodies.add(single.messageBody());
        }
        for (String body : bodies) {
            copies.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
            duplicated.incrementAndGet();
        }
    }
}
