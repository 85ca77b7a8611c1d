package dev.syncline.core.sync;

/** Entry counters of one phase of a run. Also used as a delta when a chunk's results are recorded. */
public record PhaseCounts(long planned, long succeeded, long failed, long cancelled) {

    public static final PhaseCounts ZERO = new PhaseCounts(0, 0, 0, 0);

    /** Entries that reached a final status. */
    public long terminal() {
        return succeeded + failed + cancelled;
    }

    /** Entries planned but not yet terminal. */
    public long remaining() {
        return planned - terminal();
    }

    public PhaseCounts plus(PhaseCounts other) {
        return new PhaseCounts(
                planned + other.planned,
                succeeded + other.succeeded,
                failed + other.failed,
                cancelled + other.cancelled);
    }
}
