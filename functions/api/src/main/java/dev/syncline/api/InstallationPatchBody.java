package dev.syncline.api;

import dev.syncline.core.installation.InstallationChange;
import dev.syncline.core.installation.InstallationRequest;
import dev.syncline.core.webhook.WebhookRequest;
import java.util.List;

/**
 * The body of {@code PATCH /v1/installations/{installation_id}}: absent fields stay as they are; checked by the core.
 * {@code webhook} sets the webhook (with a new signing secret), or removes it when {@code null}.
 */
record InstallationPatchBody(
        String name,
        Integer concurrencyWindow,
        Integer retryBudget,
        InstallationRequest.DeletionGuardRequest deletionGuard,
        WebhookRequest webhook) {

    /** The fields a patch may hold, in the order the docs list them. */
    static final List<String> FIELDS = List.of("name", "concurrency_window", "retry_budget", "deletion_guard", "webhook");

    InstallationChange toChange() {
        return new InstallationChange(name, concurrencyWindow, retryBudget, deletionGuard);
    }
}
