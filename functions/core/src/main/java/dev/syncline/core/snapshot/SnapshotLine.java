package dev.syncline.core.snapshot;

import java.util.Objects;

/** What a snapshot line turned out to be: a resource, or a rejection saying what is wrong with it. */
public sealed interface SnapshotLine {

    /** 1-based line number in the snapshot file. */
    long lineNumber();

    /** A valid line. */
    record Accepted(long lineNumber, Resource resource) implements SnapshotLine {

        public Accepted {
            Objects.requireNonNull(resource, "resource");
        }
    }

    /**
     * A line that cannot be synchronized; the run goes on without it.
     *
     * @param reason what is wrong and what would be accepted
     * @param resource the resource key when the line had a readable one, else null
     */
    record Rejected(long lineNumber, String reason, ResourceKey resource) implements SnapshotLine {

        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
