package dev.syncline.core.plan;

import dev.syncline.core.snapshot.SnapshotLine;
import java.util.UUID;

/** Stores a run's plan as chunks, per phase, in the order entries are added. */
public interface PlanWriter {

    Plan open(UUID runId);

    /** A plan being written. */
    interface Plan extends AutoCloseable {

        void add(PlannedEntry entry);

        void reject(SnapshotLine.Rejected line);

        /** Flushes the last chunks and returns what was written. */
        PlanTotals finish();

        /** Abandons an unfinished plan. */
        @Override
        void close();
    }
}
