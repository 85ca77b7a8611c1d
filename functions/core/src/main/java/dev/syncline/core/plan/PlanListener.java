package dev.syncline.core.plan;

import dev.syncline.core.snapshot.SnapshotLine;
import java.util.Objects;

/**
 * Hears what a plan holds while it is written: every entry added and every snapshot line rejected, in the order the
 * planner writes them. A preview collects its counts and samples this way, without a second pass over the plan.
 */
public interface PlanListener {

    void added(PlannedEntry entry);

    void rejected(SnapshotLine.Rejected line);

    /** {@code plan}, telling {@code listener} of every entry and rejected line before writing it. */
    static PlanWriter.Plan watching(PlanWriter.Plan plan, PlanListener listener) {
        Objects.requireNonNull(listener, "listener");
        return new PlanWriter.Plan() {
            @Override
            public void add(PlannedEntry entry) {
                listener.added(entry);
                plan.add(entry);
            }

            @Override
            public void reject(SnapshotLine.Rejected line) {
                listener.rejected(line);
                plan.reject(line);
            }

            @Override
            public PlanTotals finish() {
                return plan.finish();
            }

            @Override
            public void close() {
                plan.close();
            }
        };
    }
}
