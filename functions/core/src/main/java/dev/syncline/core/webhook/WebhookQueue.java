package dev.syncline.core.webhook;

import java.time.Duration;
import java.util.UUID;

/** Hands a delivery's next attempt to whoever makes it, after a delay, so that no run ever waits on a receiver. */
public interface WebhookQueue {

    /** @param delay how long before the attempt is made; the queue may hand it over earlier (see {@link WebhookService#attempt}) */
    void send(UUID installationId, UUID deliveryId, Duration delay);
}
