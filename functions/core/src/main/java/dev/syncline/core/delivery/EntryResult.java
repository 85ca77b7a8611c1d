package dev.syncline.core.delivery;

import dev.syncline.core.snapshot.ResourceKey;
import java.util.Map;
import java.util.Objects;

/**
 * How one entry of a chunk ended; {@link EntryStatus#PLANNED} while it has not ended yet (its chunk was handed on
 * with the attempts made so far, the last one's status and error).
 *
 * @param lastHttpStatus the App's last HTTP status, or 0 when it never answered
 * @param error a bounded excerpt of the App's answer or of the transport failure; null on success
 * @param customs the {@code resource_customs} the App answered with when they differ from the stored ones (to be
 *     stored), else null
 * @param throttled whether the App answered 429 or 5xx, or did not answer in time, on any attempt (the window
 *     shrinks on it)
 */
public record EntryResult(
        int index,
        ResourceKey resource,
        String event,
        EntryStatus status,
        int attempts,
        int lastHttpStatus,
        String error,
        long durationMillis,
        Map<String, Object> customs,
        boolean throttled) {

    public EntryResult {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(status, "status");
    }

    /**
     * An entry whose chunk was lost too often (its worker died each time without recording it): it ends failed, its
     * error starting with {@value #LOST}.
     */
    public static EntryResult lost(int index, ResourceKey resource, String event, String why) {
        return new EntryResult(index, resource, event, EntryStatus.FAILED, 0, 0, LOST + ": " + why, 0, null, false);
    }

    /** How the error of an entry given up as lost starts. */
    public static final String LOST = "lost";

    public static EntryResult cancelled(int index, ResourceKey resource, String event) {
        return new EntryResult(index, resource, event, EntryStatus.CANCELLED, 0, 0, null, 0, null, false);
    }
}
