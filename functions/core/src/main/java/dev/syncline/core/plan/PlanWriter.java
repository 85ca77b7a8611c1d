package dev.syncline.core.plan;

import dev.syncline.core.snapshot.SnapshotLine;
import java.util.Objects;
import java.util.UUID;

/** Stores a run's plan as chunks, per phase, in the order entries are added. */
public interface PlanWriter {

    Plan open(UUID runId);

    /** A plan being written. */
    interface Plan extends AutoCloseable {

        void add(PlannedEntry entry);

        /**
         * Does ahead of time, on any thread, what adding {@code entry} can do before its place in the plan is known (such
         * as writing it out); {@link #add(Prepared)} then adds it in plan order. By default nothing is done ahead.
         */
        default Prepared prepare(PlannedEntry entry) {
            return new Prepared(entry, null);
        }

        /** Adds an entry {@link #prepare prepared} by this plan. */
        default void add(Prepared prepared) {
            add(prepared.entry());
        }

        void reject(SnapshotLine.Rejected line);

        /** Flushes the last chunks and returns what was written. */
        PlanTotals finish();

        /** Abandons an unfinished plan. */
        @Override
        void close();
    }

    /**
     * An entry and what the plan that prepared it did ahead of time.
     *
     * @param written the plan's own form of the entry, null when it did nothing ahead
     */
    record Prepared(PlannedEntry entry, Object written) {

        public Prepared {
            Objects.requireNonNull(entry, "entry");
        }
    }
}
