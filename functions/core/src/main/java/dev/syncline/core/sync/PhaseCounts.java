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

    /**
     * The counters as a run in {@code status} shows them: once a run is cancelled, its entries that were never
     * sent count as cancelled, so the counters of an ended run always add up to what was planned.
     */
    public PhaseCounts as(RunStatus status) {
        return status == RunStatus.CANCELLED && remaining() > 0 ? plus(new PhaseCounts(0, 0, 0, remaining())) : this;
    }

    public PhaseCounts plus(PhaseCounts other) {
        return new PhaseCounts(
                planned + other.planned,
                succeeded + other.succeeded,
                failed + other.failed,
                cancelled + other.cancelled);
    }
}
