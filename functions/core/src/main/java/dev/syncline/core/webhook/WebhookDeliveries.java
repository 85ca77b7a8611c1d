package dev.syncline.core.webhook;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Where deliveries are kept, per installation, newest first, until they expire. */
public interface WebhookDeliveries {

    void create(WebhookDelivery delivery);

    Optional<WebhookDelivery> find(UUID installationId, UUID deliveryId);

    /**
     * Stores {@code next} if the stored delivery still has {@code expectedAttempts} attempts.
     *
     * @return false when another attempt was recorded meanwhile (a repeated queue message): the caller stops there
     */
    boolean update(WebhookDelivery next, int expectedAttempts);

    /**
     * A page of an installation's deliveries, newest first.
     *
     * @param after the position {@link Page#nextPosition} of the previous page, or null for the first
     */
    Page list(UUID installationId, int limit, String after);

    /** @param nextPosition where the next page starts; null when the store saw no more */
    record Page(List<WebhookDelivery> deliveries, String nextPosition) {
        public Page {
            deliveries = List.copyOf(deliveries);
        }
    }
}
