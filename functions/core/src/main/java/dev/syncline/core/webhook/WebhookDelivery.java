package dev.syncline.core.webhook;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One event owed to an installation's webhook and what became of it, attempt after attempt.
 *
 * @param id the {@code Syncline-Delivery} header: the same on every attempt, so a receiver can drop a repeat
 * @param runId the run the event is about
 * @param attempts requests made so far
 * @param lastStatus the receiver's HTTP status at the last attempt; null before the first and when it did not answer
 * @param lastAnswer what the last attempt came to, in Syncline's words ("answered 500: …", "timed out"); null before
 *     the first
 * @param deliveredAt when a 2xx answer came; null until then
 * @param nextAttemptAt when the next attempt is due; null once delivered or given up
 * @param body the JSON sent, fixed at the first attempt so that every attempt signs and sends the same bytes; null
 *     before the first
 */
public record WebhookDelivery(
        UUID id,
        UUID installationId,
        UUID runId,
        WebhookEvent event,
        State state,
        int attempts,
        Integer lastStatus,
        String lastAnswer,
        Instant createdAt,
        Instant deliveredAt,
        Instant nextAttemptAt,
        String body) {

    /** Where a delivery stands. */
    public enum State {
        /** Attempts go on: the next is due at {@code nextAttemptAt}. */
        PENDING,
        /** The receiver answered 2xx. */
        DELIVERED,
        /** No more attempts: they ran out, the receiver answered 410, or the webhook was removed. */
        FAILED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public WebhookDelivery {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(installationId, "installationId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        if ((state == State.PENDING) != (nextAttemptAt != null)) {
            throw new IllegalArgumentException("nextAttemptAt must be set exactly while a delivery is pending");
        }
        if ((state == State.DELIVERED) != (deliveredAt != null)) {
            throw new IllegalArgumentException("deliveredAt must be set exactly when a delivery was delivered");
        }
    }

    /** A new delivery, due now. */
    public static WebhookDelivery owed(UUID id, UUID installationId, UUID runId, WebhookEvent event, Instant at) {
        return new WebhookDelivery(id, installationId, runId, event, State.PENDING, 0, null, null, at, null, at, null);
    }

    /** This delivery after one more attempt that came to {@code status} and {@code answer}. */
    WebhookDelivery attempted(String sentBody, Integer status, String answer, State next, Instant at, Instant nextAttempt) {
        return new WebhookDelivery(id, installationId, runId, event, next, attempts + 1, status, answer, createdAt,
                next == State.DELIVERED ? at : null, next == State.PENDING ? nextAttempt : null, sentBody);
    }

    /** This delivery given up without another attempt, because {@code why}. */
    WebhookDelivery abandoned(String why) {
        return new WebhookDelivery(id, installationId, runId, event, State.FAILED, attempts, lastStatus, why, createdAt, null, null, body);
    }
}
