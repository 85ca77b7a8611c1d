package dev.syncline.core.plan;

import dev.syncline.core.snapshot.SnapshotLine;
import java.util.Iterator;
import java.util.Optional;
import java.util.UUID;

/** Where uploaded snapshots are kept; the planner streams them line by line. */
public interface SnapshotStore {

    /**
     * Opens a snapshot for reading; the caller closes it.
     *
     * @throws SnapshotNotFoundException when there is no such snapshot for the installation
     */
    Lines open(UUID installationId, String snapshotId);

    /** The lines of one snapshot, read as they are consumed. */
    interface Lines extends Iterator<SnapshotLine>, AutoCloseable {

        /** The SHA-256 of the snapshot's bytes as stored (hex), once every line was read; empty before. */
        default Optional<String> sha256() {
            return Optional.empty();
        }

        @Override
        void close();
    }
}
