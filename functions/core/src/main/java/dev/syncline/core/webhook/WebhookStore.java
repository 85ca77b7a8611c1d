package dev.syncline.core.webhook;

import java.util.Optional;
import java.util.UUID;

/** Where each installation's webhook is kept: at most one per installation. */
public interface WebhookStore {

    Optional<Webhook> find(UUID installationId);

    /** Sets the installation's webhook, replacing the one it had. */
    void put(UUID installationId, Webhook webhook);

    /** Removes the installation's webhook; nothing happens when it has none. */
    void remove(UUID installationId);
}
