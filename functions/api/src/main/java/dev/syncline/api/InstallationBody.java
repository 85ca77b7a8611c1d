package dev.syncline.api;

import dev.syncline.core.installation.InstallationRequest;
import dev.syncline.core.webhook.WebhookRequest;

/**
 * The body of {@code POST /v1/installations}; checked by the core. {@code webhook} is optional; so is
 * {@code tenant_id}, which only the operator's key sets to another tenant than the default (see {@link TenantScope}).
 */
record InstallationBody(
        String appId,
        String name,
        String apiUrl,
        Integer concurrencyWindow,
        Integer retryBudget,
        InstallationRequest.DeletionGuardRequest deletionGuard,
        WebhookRequest webhook,
        String tenantId) {

    InstallationRequest toRequest() {
        return new InstallationRequest(appId, name, apiUrl, concurrencyWindow, retryBudget, deletionGuard);
    }
}
