package dev.syncline.adapters.sqs;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * One SQS queue: batched send (ten messages or 256 KiB per request, whichever comes first, failed entries
 * retried once), receive, batched delete and visibility change. The port implementations that carry
 * Syncline's messages are built on it.
 */
public final class SqsQueue {

    /** SQS takes at most ten entries per batch request. */
    static final int MAX_BATCH_ENTRIES = 10;
    /** The sum of a batch's bodies may not exceed 256 KiB. */
    static final int MAX_BATCH_BYTES = 256 * 1024;

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsQueue(SqsClient sqs, String queueUrl) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
    }

    public String url() {
        return queueUrl;
    }

    /**
     * Sends every body, in as few requests as the batch limits allow.
     *
     * @throws QueueException naming the entries SQS still refused after one retry
     */
    public void send(List<String> bodies) {
        List<String> batch = new ArrayList<>();
        int batchBytes = 0;
        for (String body : bodies) {
            int bytes = body.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_BATCH_BYTES) {
                throw new QueueException("A message of " + bytes + " bytes exceeds the SQS limit of " + MAX_BATCH_BYTES + " bytes.");
            }
            if (batch.size() == MAX_BATCH_ENTRIES || batchBytes + bytes > MAX_BATCH_BYTES) {
                sendBatch(batch);
                batch = new ArrayList<>();
                batchBytes = 0;
            }
            batch.add(body);
            batchBytes += bytes;
        }
        if (!batch.isEmpty()) {
            sendBatch(batch);
        }
    }

    /** SQS delays a message by at most 15 minutes. */
    static final Duration MAX_DELAY = Duration.ofMinutes(15);

    /**
     * Sends one body that becomes visible after {@code delay}, cut to {@link #MAX_DELAY}: a receiver that wants a
     * longer wait sends the message again when it arrives early.
     */
    public void send(String body, Duration delay) {
        int seconds = (int) Math.clamp(delay.toSeconds(), 0, MAX_DELAY.toSeconds());
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body).delaySeconds(seconds));
    }

    private void sendBatch(List<String> bodies) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(bodies.get(i)).build());
        }
        List<BatchResultErrorEntry> failed = sendEntries(entries);
        if (!failed.isEmpty()) {
            Map<String, SendMessageBatchRequestEntry> byId =
                    entries.stream().collect(Collectors.toMap(SendMessageBatchRequestEntry::id, Function.identity()));
            failed = sendEntries(failed.stream().map(f -> byId.get(f.id())).toList());
        }
        if (!failed.isEmpty()) {
            throw new QueueException("SQS refused " + failed.size() + " of " + bodies.size() + " messages: "
                    + failed.stream().map(f -> f.code() + " " + f.message()).distinct().collect(Collectors.joining("; ")));
        }
    }

    private List<BatchResultErrorEntry> sendEntries(List<SendMessageBatchRequestEntry> entries) {
        SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
        return response.failed();
    }

    /**
     * Receives up to {@code max} messages (at most ten), waiting up to {@code wait} for the first one
     * (long polling), and hides them from other receivers for {@code visibility}.
     */
    public List<QueueMessage> receive(int max, Duration wait, Duration visibility) {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                        .maxNumberOfMessages(Math.min(max, MAX_BATCH_ENTRIES))
                        .waitTimeSeconds((int) wait.toSeconds())
                        .visibilityTimeout((int) visibility.toSeconds())
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                .messages()
                .stream()
                .map(m -> new QueueMessage(
                        m.messageId(),
                        m.body(),
                        m.receiptHandle(),
                        Integer.parseInt(m.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1"))))
                .toList();
    }

    /** Deletes received messages by receipt handle, ten per request. */
    public void delete(List<String> receiptHandles) {
        for (int from = 0; from < receiptHandles.size(); from += MAX_BATCH_ENTRIES) {
            List<String> slice = receiptHandles.subList(from, Math.min(from + MAX_BATCH_ENTRIES, receiptHandles.size()));
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < slice.size(); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i)).receiptHandle(slice.get(i)).build());
            }
            List<BatchResultErrorEntry> failed = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries)).failed();
            if (!failed.isEmpty()) {
                throw new QueueException("SQS did not delete " + failed.size() + " messages: "
                        + failed.stream().map(f -> f.code() + " " + f.message()).distinct().collect(Collectors.joining("; ")));
            }
        }
    }

    /** About how many messages wait to be received ({@code ApproximateNumberOfMessages}; those in flight aside). */
    public long waiting() {
        String count = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
        return count == null ? 0 : Long.parseLong(count);
    }

    /** Makes a received message visible again after {@code visibility} (zero: at once). */
    public void changeVisibility(String receiptHandle, Duration visibility) {
        sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(receiptHandle).visibilityTimeout((int) visibility.toSeconds()));
    }
}
