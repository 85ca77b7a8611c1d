package dev.syncline.core.file;

import java.util.Locale;

/** Where a run's file stands: asked for once the run ended, then stored or given up on. */
public enum FileStatus {
    /** The run ended; the fetch is queued or under way. */
    PENDING,
    /** Fetched and stored; the feed is promoted from it when the run ended well. */
    STORED,
    /** The App did not hand it over (its answer, no answer, or the transfer deadline), after the retries. */
    FAILED,
    /** Larger than the deployment's cap: nothing stored. */
    TOO_LARGE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinal() {
        return this != PENDING;
    }

    public static FileStatus fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
