package dev.syncline.adapters.sqs;

import java.util.Objects;

/**
 * A received message.
 *
 * @param receiveCount how many times SQS has handed this message out, this time included
 */
public record QueueMessage(String messageId, String body, String receiptHandle, int receiveCount) {

    public QueueMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(receiptHandle, "receiptHandle");
    }
}
