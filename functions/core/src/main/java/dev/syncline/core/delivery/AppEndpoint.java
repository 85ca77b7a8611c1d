package dev.syncline.core.delivery;

import java.util.Map;

/** The App's consume endpoint, as workers call it. Never throws for an App's failure: it reports it. */
public interface AppEndpoint {

    /** {@code PUT /consume/{event}} for one entry. */
    DeliveryAttempt consume(AppTarget target, ConsumeRequest request);

    /**
     * {@code PUT /consume/{event}} with a notice's body ({@code synchronization_started}, {@code synchronization_ended},
     * {@code app_installed}, {@code app_uninstalled}).
     *
     * @param idempotencyKey the notice's {@code X-Idempotency-Key}, the same on every attempt
     */
    DeliveryAttempt notify(AppTarget target, String event, Map<String, Object> body, String idempotencyKey);
}
