package dev.syncline.core.installation;

/**
 * A request to install an App, as decoded from JSON but not yet checked: any field may be missing
 * ({@code null}) or break a rule. {@link InstallationService#install} reports every violation at
 * once.
 *
 * @param appId the App to install ({@code app_id})
 * @param name what the PIM calls this installation ({@code name}), or {@code null} for the App's name
 * @param apiUrl the PIM's API base URL ({@code api_url}), sent to the App in every token
 * @param concurrencyWindow {@code concurrency_window}, or {@code null} for the default
 * @param retryBudget {@code retry_budget}, or {@code null} for the default
 * @param deletionGuard {@code deletion_guard}, or {@code null} for the default
 */
public record InstallationRequest(
        String appId,
        String name,
        String apiUrl,
        Integer concurrencyWindow,
        Integer retryBudget,
        DeletionGuardRequest deletionGuard) {

    /** With the default deletion guard. */
    public InstallationRequest(
            String appId, String name, String apiUrl, Integer concurrencyWindow, Integer retryBudget) {
        this(appId, name, apiUrl, concurrencyWindow, retryBudget, null);
    }

    /**
     * {@code deletion_guard}: each field {@code null} for its default.
     *
     * @see DeletionGuard
     */
    public record DeletionGuardRequest(
            Integer thresholdPercent, Integer minDeletions, Integer confirmationTimeoutHours) {}
}
