package dev.syncline.api;

import dev.syncline.core.installation.Installation;
import java.time.Instant;

/** An installation as the API shows it: everything but its secret. */
record InstallationView(
        String id,
        String appId,
        String appVersion,
        String name,
        String apiUrl,
        String status,
        int concurrencyWindow,
        int retryBudget,
        String createdAt,
        String updatedAt,
        String uninstalledAt) {

    static InstallationView of(Installation installation) {
        return new InstallationView(
                installation.id().toString(),
                installation.appId().value(),
                installation.appVersion().toString(),
                installation.name(),
                installation.apiUrl().toString(),
                installation.status().wireName(),
                installation.dispatch().concurrencyWindow(),
                installation.dispatch().retryBudget(),
                installation.createdAt().toString(),
                installation.updatedAt().toString(),
                text(installation.uninstalledAt()));
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
