package dev.syncline.adapters.metrics;

/**
 * Every metric the functions emit, with its CloudWatch unit, in the stack's namespace ({@code Syncline/<stack>}). The dashboard and
 * the alarms of {@code template.yaml} name only these (TemplateTest checks it), and docs/operations.md lists them.
 *
 * <p>This file stands alone (no imports, nothing else of the project): the template tests compile it by itself.
 */
public enum MetricName {
    /** Entries the App accepted. Dimensions: AppId; AppId, InstallationId. */
    ENTRIES_SUCCEEDED("EntriesSucceeded", "Count", true),
    /** Entries that failed for good. Dimensions: AppId; AppId, InstallationId. */
    ENTRIES_FAILED("EntriesFailed", "Count", true),
    /** Entries that needed more than one attempt. Dimensions: AppId; AppId, InstallationId. */
    ENTRIES_RETRIED("EntriesRetried", "Count", true),
    /** One value per delivered entry: 100 when it failed, 0 when it succeeded; its average is the failure rate. */
    ENTRY_FAILURE_PERCENT("EntryFailurePercent", "Percent", false),
    /** One value per answered entry: first attempt to end, retries included. Dimensions: AppId; AppId, InstallationId. */
    APP_LATENCY("AppLatency", "Milliseconds", false),
    /** The run's concurrency window after each chunk. Dimension: AppId. */
    WINDOW_SIZE("WindowSize", "Count", false),
    /** A chunk from its message's receipt to its accounting. Dimension: AppId. */
    CHUNK_DURATION("ChunkDuration", "Milliseconds", false),
    /** Runs accepted. Dimensions: none; AppId. */
    RUNS_STARTED("RunsStarted", "Count", true),
    /** Runs that reached a final status. Dimensions: Status; AppId, Status. */
    RUNS_ENDED("RunsEnded", "Count", true),
    /** Notifications the App did not accept (synchronization_started/ended, app_installed/uninstalled). Dimensions: none; AppId. */
    NOTIFICATION_FAILURES("NotificationFailures", "Count", true),
    /** Messages the reconciler sent again for stalled runs (lost chunks, prepare messages). Dimension: none. */
    RECONCILER_RESENDS("ReconcilerResends", "Count", true),
    /** Runs holding their installation, each time the reconciler looks. Dimension: none. */
    ACTIVE_RUNS("ActiveRuns", "Count", false),
    /** How long the oldest active run has run, each time the reconciler looks. Dimension: none. */
    OLDEST_ACTIVE_RUN_AGE("OldestActiveRunAge", "Seconds", false),
    /** Snapshot lines planned per second, one value per planned run. Dimension: none. */
    PLANNER_RESOURCES_PER_SECOND("PlannerResourcesPerSecond", "Count/Second", false);

    private final String metric;
    private final String unit;
    private final boolean counter;

    MetricName(String metric, String unit, boolean counter) {
        this.metric = metric;
        this.unit = unit;
        this.counter = counter;
    }

    /** The name CloudWatch shows. */
    public String metric() {
        return metric;
    }

    /** A CloudWatch unit name. */
    public String unit() {
        return unit;
    }

    /**
     * Whether the values of one flush are summed into one (a count), or kept one by one so that CloudWatch can compute
     * percentiles of them (a distribution, like a latency).
     */
    public boolean counter() {
        return counter;
    }
}
