package dev.syncline.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.syncline.adapters.json.NotificationView;
import dev.syncline.core.delivery.Notification;
import dev.syncline.core.installation.DeletionGuard;
import dev.syncline.core.installation.Installation;
import java.time.Instant;
import java.util.List;

/** An installation as the API shows it: everything but its secret. */
record InstallationView(
        String id,
        String tenantId,
        String appId,
        String appVersion,
        String name,
        String apiUrl,
        String status,
        int concurrencyWindow,
        int retryBudget,
        DeletionGuardView deletionGuard,
        String createdAt,
        String updatedAt,
        String uninstalledAt,
        // Only for Apps with synchronization_file_download_latest.
        @JsonInclude(JsonInclude.Include.NON_NULL) String feedUrl,
        @JsonInclude(JsonInclude.Include.NON_NULL) String feedS3Url,
        // Only in the answers about one installation (install, read, change), when it has one; listings leave it out.
        @JsonInclude(JsonInclude.Include.NON_NULL) WebhookView webhook,
        // Only in the installation's own view, once app_installed or app_uninstalled was sent.
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<NotificationView> notifications) {

    /** When a run deleting much of what the App holds waits for confirmation ({@link DeletionGuard}). */
    record DeletionGuardView(int thresholdPercent, int minDeletions, long confirmationTimeoutHours) {

        static DeletionGuardView of(DeletionGuard guard) {
            return new DeletionGuardView(guard.thresholdPercent(), guard.minDeletions(), guard.confirmationTimeout().toHours());
        }
    }

    static InstallationView of(Installation installation) {
        return new InstallationView(
                installation.id().toString(),
                installation.tenantId().value(),
                installation.appId().value(),
                installation.appVersion().toString(),
                installation.name(),
                installation.apiUrl().toString(),
                installation.status().wireName(),
                installation.dispatch().concurrencyWindow(),
                installation.dispatch().retryBudget(),
                DeletionGuardView.of(installation.dispatch().deletionGuard()),
                installation.createdAt().toString(),
                installation.updatedAt().toString(),
                text(installation.uninstalledAt()),
                null,
                null,
                null,
                List.of());
    }

    /** With the installation's constant feed URL and the stable object's S3 URL (Apps with the latest feature). */
    InstallationView withFeed(FeedView feed) {
        return new InstallationView(id, tenantId, appId, appVersion, name, apiUrl, status, concurrencyWindow, retryBudget, deletionGuard, createdAt, updatedAt,
                uninstalledAt, feed.feedUrl(), feed.feedS3Url(), webhook, notifications);
    }

    /** With the installation's webhook; null for none. */
    InstallationView withWebhook(WebhookView hook) {
        return new InstallationView(id, tenantId, appId, appVersion, name, apiUrl, status, concurrencyWindow, retryBudget, deletionGuard, createdAt, updatedAt,
                uninstalledAt, feedUrl, feedS3Url, hook, notifications);
    }

    /** With what became of its lifecycle notices. */
    InstallationView withNotifications(List<Notification> sent) {
        return new InstallationView(id, tenantId, appId, appVersion, name, apiUrl, status, concurrencyWindow, retryBudget, deletionGuard, createdAt,
                updatedAt, uninstalledAt, feedUrl, feedS3Url, webhook, NotificationView.of(sent));
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
