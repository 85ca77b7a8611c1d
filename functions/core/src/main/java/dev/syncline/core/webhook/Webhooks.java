package dev.syncline.core.webhook;

import java.util.UUID;

/**
 * What the engine tells about a run or its file, for the installation's webhook to hear. Never on a run's critical
 * path: it only queues a delivery, and never throws.
 */
@FunctionalInterface
public interface Webhooks {

    /** Tells nothing: for engines built without webhooks (unit tests). */
    Webhooks NONE = (installationId, runId, event) -> {
    };

    void announce(UUID installationId, UUID runId, WebhookEvent event);
}
