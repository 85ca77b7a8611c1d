package dev.syncline.core.schedule;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** What the last firing of a schedule did. */
public sealed interface ScheduleOutcome {

    /** When the schedule fired. */
    Instant at();

    /** A run started. */
    record Started(Instant at, UUID runId) implements ScheduleOutcome {
        public Started {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(runId, "runId");
        }
    }

    /** No run started, on purpose (another run was active); {@code reason} says why. */
    record Skipped(Instant at, String reason) implements ScheduleOutcome {
        public Skipped {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** No run started because something went wrong (the snapshot source failed); {@code reason} says what. */
    record Failed(Instant at, String reason) implements ScheduleOutcome {
        public Failed {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
