package dev.syncline.core.webhook;

import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.installation.EncryptedSecret;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * An installation's callback: where Syncline POSTs what became of its runs, which events it wants, and the secret
 * each request is signed with.
 *
 * @param url the receiver, checked against the same rules as an App's URL
 * @param events what it is told, at least one
 * @param secret the signing secret, encrypted by the {@link dev.syncline.core.installation.SecretVault} for the
 *     installation; shown to the PIM once, when the webhook is set
 * @param setAt when it was set (setting it again rotates the secret)
 */
public record Webhook(HttpUrl url, Set<WebhookEvent> events, EncryptedSecret secret, Instant setAt) {

    public Webhook {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(setAt, "setAt");
        if (events == null || events.isEmpty()) {
            throw new IllegalArgumentException("a webhook needs at least one event");
        }
        events = Collections.unmodifiableSet(EnumSet.copyOf(events));
    }

    public boolean subscribes(WebhookEvent event) {
        return events.contains(event);
    }
}
