package dev.syncline.core.webhook;

import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.delivery.DeliveryAttempt;
import java.util.Map;

/** The PIM's end of a webhook: one POST, bounded in time, to a URL checked against the deployment's URL rules. */
public interface WebhookReceiver {

    /**
     * POSTs {@code body} (JSON) with {@code headers}.
     *
     * @return the answer (status and a bounded excerpt of its body), or why there was none
     */
    DeliveryAttempt post(HttpUrl url, Map<String, String> headers, String body);
}
