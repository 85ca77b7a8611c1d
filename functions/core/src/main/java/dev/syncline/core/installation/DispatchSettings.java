package dev.syncline.core.installation;

/**
 * How hard the engine may push one installation's App.
 *
 * @param concurrencyWindow the most chunks of one run in flight at once: the ceiling the adaptive
 *     window grows back to after it shrinks on 429 and 5xx, {@value #MIN_WINDOW}–{@value
 *     #MAX_WINDOW}
 * @param retryBudget how many times one entry is retried after a transient failure before it fails,
 *     {@value #MIN_RETRIES}–{@value #MAX_RETRIES}
 * @param deletionGuard when a run deleting much of what the App holds waits for the PIM's confirmation
 */
public record DispatchSettings(int concurrencyWindow, int retryBudget, DeletionGuard deletionGuard) {

    public static final int MIN_WINDOW = 1;
    public static final int MAX_WINDOW = 32;
    public static final int MIN_RETRIES = 0;
    public static final int MAX_RETRIES = 10;

    /**
     * What an installation gets unless it asks otherwise: a few chunks at once (a few hundred
     * concurrent requests at most) is gentle on a small App, and five retries with backoff ride out
     * a deployment or a short outage.
     */
    public static final DispatchSettings DEFAULT = new DispatchSettings(4, 5);

    /** With the default deletion guard. */
    public DispatchSettings(int concurrencyWindow, int retryBudget) {
        this(concurrencyWindow, retryBudget, DeletionGuard.DEFAULT);
    }

    public DispatchSettings {
        java.util.Objects.requireNonNull(deletionGuard, "deletionGuard");
        if (!validWindow(concurrencyWindow)) {
            throw new IllegalArgumentException(windowProblem(concurrencyWindow));
        }
        if (!validRetries(retryBudget)) {
            throw new IllegalArgumentException(retryProblem(retryBudget));
        }
    }

    static String windowProblem(int concurrencyWindow) {
        return "concurrency_window must be %d–%d chunks in flight per run, got %d"
                .formatted(MIN_WINDOW, MAX_WINDOW, concurrencyWindow);
    }

    static String retryProblem(int retryBudget) {
        return "retry_budget must be %d–%d retries per entry, got %d"
                .formatted(MIN_RETRIES, MAX_RETRIES, retryBudget);
    }

    static boolean validWindow(int concurrencyWindow) {
        return concurrencyWindow >= MIN_WINDOW && concurrencyWindow <= MAX_WINDOW;
    }

    static boolean validRetries(int retryBudget) {
        return retryBudget >= MIN_RETRIES && retryBudget <= MAX_RETRIES;
    }
}
