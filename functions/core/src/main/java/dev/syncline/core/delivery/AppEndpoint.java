package dev.syncline.core.delivery;

import java.util.Map;

/** The App's consume endpoint, as workers call it. Never throws for an App's failure: it reports it. */
public interface AppEndpoint {

    /** {@code PUT /consume/{event}} for one entry. */
    DeliveryAttempt consume(AppTarget target, ConsumeRequest request);

    /**
     * {@code PUT /consume/{event}} with a run-level body ({@code synchronization_started},
     * {@code synchronization_ended}).
     */
    DeliveryAttempt notify(AppTarget target, String event, Map<String, Object> body);
}
