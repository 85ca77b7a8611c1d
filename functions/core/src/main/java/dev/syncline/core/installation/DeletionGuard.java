package dev.syncline.core.installation;

import java.time.Duration;

/**
 * When a run must wait for the PIM before it deletes: a plan that would delete more than {@code thresholdPercent}
 * of the resources the App holds, and more than {@code minDeletions} of them, stops in
 * {@code awaiting_confirmation} before anything is sent. The most common export failure, a truncated or
 * near-empty catalog, would otherwise wipe the shop.
 *
 * @param thresholdPercent the share of what the App holds a run may delete unasked, {@value #MIN_PERCENT}–{@value
 *     #MAX_PERCENT}; 100 turns the guard off
 * @param minDeletions the absolute floor: a run deleting at most this many resources never waits,
 *     {@value #MIN_FLOOR}–{@value #MAX_FLOOR}
 * @param confirmationTimeout how long a held run waits before it is cancelled (the installation is not locked
 *     forever), {@value #MIN_TIMEOUT_HOURS}–{@value #MAX_TIMEOUT_HOURS} hours
 */
public record DeletionGuard(int thresholdPercent, int minDeletions, Duration confirmationTimeout) {

    public static final int MIN_PERCENT = 0;
    public static final int MAX_PERCENT = 100;
    public static final int MIN_FLOOR = 0;
    public static final int MAX_FLOOR = 1_000_000;
    public static final int MIN_TIMEOUT_HOURS = 1;
    public static final int MAX_TIMEOUT_HOURS = 168;

    /**
     * Deleting a fifth of a catalog in one run is rare for a healthy export and common for a broken one; ten
     * deletions or fewer are everyday housekeeping even for a tiny catalog; a day leaves a team time to look.
     */
    public static final DeletionGuard DEFAULT = new DeletionGuard(20, 10, Duration.ofHours(24));

    public DeletionGuard {
        if (!validPercent(thresholdPercent)) {
            throw new IllegalArgumentException(percentProblem(thresholdPercent));
        }
        if (!validFloor(minDeletions)) {
            throw new IllegalArgumentException(floorProblem(minDeletions));
        }
        if (confirmationTimeout == null || !validTimeoutHours(confirmationTimeout.toHours())
                || confirmationTimeout.toMinutesPart() != 0 || confirmationTimeout.toSecondsPart() != 0) {
            throw new IllegalArgumentException(timeoutProblem(confirmationTimeout == null ? 0 : confirmationTimeout.toHours()));
        }
    }

    /** Whether a plan deleting {@code deletions} of the {@code held} resources the App holds must wait for confirmation. */
    public boolean holds(long deletions, long held) {
        return deletions > minDeletions && deletions * 100 > (long) thresholdPercent * held;
    }

    static boolean validPercent(int percent) {
        return percent >= MIN_PERCENT && percent <= MAX_PERCENT;
    }

    static boolean validFloor(int floor) {
        return floor >= MIN_FLOOR && floor <= MAX_FLOOR;
    }

    static boolean validTimeoutHours(long hours) {
        return hours >= MIN_TIMEOUT_HOURS && hours <= MAX_TIMEOUT_HOURS;
    }

    static String percentProblem(int percent) {
        return "deletion_guard.threshold_percent must be %d–%d (100 turns the guard off), got %d"
                .formatted(MIN_PERCENT, MAX_PERCENT, percent);
    }

    static String floorProblem(int floor) {
        return "deletion_guard.min_deletions must be %d–%d, got %d".formatted(MIN_FLOOR, MAX_FLOOR, floor);
    }

    static String timeoutProblem(long hours) {
        return "deletion_guard.confirmation_timeout_hours must be %d–%d, got %d"
                .formatted(MIN_TIMEOUT_HOURS, MAX_TIMEOUT_HOURS, hours);
    }
}
