package dev.syncline.core.schedule;

import java.util.UUID;

/** Pulls a snapshot from a {@link SnapshotSource} into the snapshot store, streaming, within a size and a time limit. */
public interface SnapshotFetcher {

    /**
     * Stores the source's current content as snapshot {@code snapshotId} of the installation.
     *
     * @param headerValue the decrypted secret header value, or null
     * @throws SnapshotSourceException saying what went wrong (refused URL, status, too large, too slow)
     */
    void fetch(UUID installationId, SnapshotSource source, String headerValue, String snapshotId);

    /** A snapshot source could not be read; the message says why, never the secret. */
    final class SnapshotSourceException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public SnapshotSourceException(String message) {
            super(message);
        }
    }
}
