package dev.syncline.core.delivery;

import java.util.Locale;

/** The final status of a planned entry. */
public enum EntryStatus {
    PLANNED,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
