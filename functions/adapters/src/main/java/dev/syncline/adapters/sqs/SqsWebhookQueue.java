package dev.syncline.adapters.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.json.MalformedJsonException;
import dev.syncline.core.webhook.WebhookQueue;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Webhook attempts ride the control queue, which the planner consumes: {@code {"webhook_delivery_id": "<uuid>",
 * "installation_id": "<uuid>"}}, delayed until the attempt is due. The planner tells them from prepare messages by
 * {@link #parse}.
 */
public final class SqsWebhookQueue implements WebhookQueue {

    private static final JsonCodec JSON = JsonCodec.create();

    private final SqsQueue queue;

    public SqsWebhookQueue(SqsQueue queue) {
        this.queue = Objects.requireNonNull(queue, "queue");
    }

    /** The body of a webhook message. */
    record AttemptMessage(String webhookDeliveryId, String installationId) {
    }

    /** A delivery whose attempt is due. */
    public record Attempt(UUID installationId, UUID deliveryId) {
    }

    @Override
    public void send(UUID installationId, UUID deliveryId, Duration delay) {
        queue.send(JSON.write(new AttemptMessage(deliveryId.toString(), installationId.toString())), delay);
    }

    /**
     * Reads a control message that names a webhook delivery.
     *
     * @return empty for any other message (a run to prepare)
     * @throws IllegalArgumentException when it names a delivery but its ids are not UUIDs
     */
    public static Optional<Attempt> parse(String body) {
        JsonNode message;
        try {
            message = JSON.readTree(body);
        } catch (MalformedJsonException e) {
            return Optional.empty(); // SqsControlQueue.parse says what is wrong with it
        }
        if (!message.isObject() || !message.has("webhook_delivery_id")) {
            return Optional.empty();
        }
        return Optional.of(new Attempt(uuid(message, "installation_id"), uuid(message, "webhook_delivery_id")));
    }

    private static UUID uuid(JsonNode message, String field) {
        JsonNode value = message.get(field);
        try {
            if (value != null && value.isTextual()) {
                UUID id = UUID.fromString(value.textValue());
                if (id.toString().equalsIgnoreCase(value.textValue())) {
                    return id;
                }
            }
        } catch (IllegalArgumentException e) {
            // Answered below.
        }
        throw new IllegalArgumentException("The webhook message is not {\"webhook_delivery_id\": \"<uuid>\", \"installation_id\": \"<uuid>\"}: "
                + field + " must be a UUID");
    }
}
