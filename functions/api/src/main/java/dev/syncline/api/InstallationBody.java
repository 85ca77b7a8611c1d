package dev.syncline.api;

import dev.syncline.core.installation.InstallationRequest;

/** The body of {@code POST /v1/installations}; checked by the core. */
record InstallationBody(
        String appId,
        String name,
        String apiUrl,
        Integer concurrencyWindow,
        Integer retryBudget,
        InstallationRequest.DeletionGuardRequest deletionGuard) {

    InstallationRequest toRequest() {
        return new InstallationRequest(appId, name, apiUrl, concurrencyWindow, retryBudget, deletionGuard);
    }
}
