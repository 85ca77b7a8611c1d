package dev.syncline.adapters.json;

import dev.syncline.core.delivery.Notification;
import java.util.List;

/**
 * What became of one notice to the App (about a run, or an installation's lifecycle), after its retries.
 *
 * @param status {@code delivered} or {@code failed}
 * @param lastStatus the App's last HTTP status; null when it did not answer
 * @param lastAnswer for a failure, the App's last answer (bounded) or why there was none
 * @param idempotencyKey the {@code X-Idempotency-Key} every attempt carried
 * @param at when the last attempt ended
 */
public record NotificationView(String event, String status, int attempts, Integer lastStatus, String lastAnswer, String idempotencyKey,
                        String at) {

    public static NotificationView of(Notification notification) {
        return new NotificationView(notification.event(), notification.status().wireName(), notification.attempts(),
                notification.lastStatus() == 0 ? null : notification.lastStatus(), notification.lastAnswer(),
                notification.idempotencyKey(), notification.at().toString());
    }

    public static List<NotificationView> of(List<Notification> notifications) {
        return notifications.stream().map(NotificationView::of).toList();
    }
}
