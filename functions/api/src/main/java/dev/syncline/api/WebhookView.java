package dev.syncline.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.syncline.core.webhook.Webhook;
import dev.syncline.core.webhook.WebhookEvent;
import dev.syncline.core.webhook.WebhookService;
import java.util.List;

/**
 * An installation's webhook as the API shows it.
 *
 * @param signingSecret the secret deliveries are signed with: only in the answer that set it, never again
 */
record WebhookView(String url, List<String> events, String setAt, @JsonInclude(JsonInclude.Include.NON_NULL) String signingSecret) {

    static WebhookView of(Webhook webhook) {
        return new WebhookView(webhook.url().toString(), webhook.events().stream().map(WebhookEvent::wireName).toList(),
                webhook.setAt().toString(), null);
    }

    /** With the secret just generated, shown this once. */
    static WebhookView of(WebhookService.Registered registered) {
        WebhookView view = of(registered.webhook());
        return new WebhookView(view.url, view.events, view.setAt, registered.signingSecret());
    }

    @Override
    public String toString() {
        return "WebhookView[url=" + url + ", events=" + events + ", setAt=" + setAt + "]";
    }
}
