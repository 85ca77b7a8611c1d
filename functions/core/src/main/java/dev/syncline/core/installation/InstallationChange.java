package dev.syncline.core.installation;

/**
 * A change to an installation's settings, as decoded from a JSON merge patch but not yet checked: a {@code null}
 * field (absent, or JSON {@code null}) keeps its current value. {@link InstallationService#update} reports every
 * violation at once.
 *
 * @param name {@code name}, or {@code null} to keep it
 * @param concurrencyWindow {@code concurrency_window}, or {@code null} to keep it
 * @param retryBudget {@code retry_budget}, or {@code null} to keep it
 * @param deletionGuard {@code deletion_guard}, each field {@code null} to keep it; {@code null} to keep all
 */
public record InstallationChange(
        String name,
        Integer concurrencyWindow,
        Integer retryBudget,
        InstallationRequest.DeletionGuardRequest deletionGuard) {}
