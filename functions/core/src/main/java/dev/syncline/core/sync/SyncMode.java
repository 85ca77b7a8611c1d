package dev.syncline.core.sync;

/** How a synchronization chooses what to send. */
public enum SyncMode {
    /** Only what changed since the state the App last received; the first run sends everything. */
    INCREMENTAL,
    /** Everything in the snapshot, every time. */
    FULL;

    /** The protocol's name for this mode, as it appears in the API and in App payloads. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
