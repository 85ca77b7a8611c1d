package dev.syncline.api;

import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.core.webhook.WebhookDeliveries;
import dev.syncline.core.webhook.WebhookDelivery;
import dev.syncline.core.webhook.WebhookService;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@code GET /v1/installations/{id}/webhook-deliveries}: what became of each event owed to the webhook, newest first. */
final class WebhookDeliveriesEndpoint {

    /** The body of the listing. */
    record Deliveries(List<DeliveryView> deliveries, String nextCursor) {
    }

    /**
     * One delivery.
     *
     * @param id its {@code Syncline-Delivery} header, the same on every attempt
     * @param status {@code pending} (attempts go on), {@code delivered} (2xx) or {@code failed} (no more attempts)
     * @param lastStatus the receiver's HTTP status at the last attempt; null when none answered yet
     * @param lastAnswer what the last attempt came to
     */
    record DeliveryView(
            String id,
            String event,
            String synchronizationId,
            String status,
            int attempts,
            Integer lastStatus,
            String lastAnswer,
            String createdAt,
            String deliveredAt,
            String nextAttemptAt) {

        static DeliveryView of(WebhookDelivery delivery) {
            return new DeliveryView(delivery.id().toString(), delivery.event().wireName(), delivery.runId().toString(),
                    delivery.state().wireName(), delivery.attempts(), delivery.lastStatus(), delivery.lastAnswer(),
                    delivery.createdAt().toString(), text(delivery.deliveredAt()), text(delivery.nextAttemptAt()));
        }

        private static String text(Instant instant) {
            return instant == null ? null : instant.toString();
        }
    }

    private final WebhookService webhooks;
    private final JsonCodec json;
    private final Cursors cursors;

    WebhookDeliveriesEndpoint(WebhookService webhooks, JsonCodec json, Cursors cursors) {
        this.webhooks = webhooks;
        this.json = json;
        this.cursors = cursors;
    }

    ApiResponse list(ApiRequest request, Map<String, String> path) {
        UUID installation = Ids.installation(path.get("installation_id"));
        String listing = "webhook-deliveries " + installation;
        WebhookDeliveries.Page page = webhooks.deliveries(installation, SynchronizationsEndpoint.limit(request),
                cursors.open(listing, request.queryParameter("cursor").orElse(null)));
        String next = Cursors.unlessLast(page.nextPosition(),
                position -> !webhooks.deliveries(installation, 1, position).deliveries().isEmpty());
        return ApiResponse.json(200, json.write(new Deliveries(page.deliveries().stream().map(DeliveryView::of).toList(),
                cursors.seal(listing, next))));
    }
}
