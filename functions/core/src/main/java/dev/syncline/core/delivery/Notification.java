package dev.syncline.core.delivery;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * What became of one notice to an App ({@code synchronization_started}, {@code synchronization_ended},
 * {@code app_installed}, {@code app_uninstalled}), after its retries.
 *
 * @param idempotencyKey the {@code X-Idempotency-Key} every attempt carried
 * @param attempts requests made, the first included
 * @param lastStatus the App's last HTTP status; 0 when it did not answer
 * @param lastAnswer for a failure, a bounded excerpt of the App's last answer or why there was none; null when delivered
 * @param at when the last attempt ended
 */
public record Notification(String event, String idempotencyKey, Status status, int attempts, int lastStatus, String lastAnswer,
                           Instant at) {

    public Notification {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(at, "at");
    }

    /** Whether the App accepted it. */
    public enum Status {
        DELIVERED,
        FAILED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status fromWireName(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    public boolean delivered() {
        return status == Status.DELIVERED;
    }
}
