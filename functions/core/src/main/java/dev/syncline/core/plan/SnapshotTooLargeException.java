package dev.syncline.core.plan;

import dev.syncline.core.SynclineException;
import java.util.List;

/**
 * A snapshot past one of the deployment's limits: too large a file, too many bytes once decompressed, or too many
 * lines. A trigger naming it is refused, and a run already planning it fails with this reason; either way nothing is
 * sent. The message names the limit, the setting that holds it, and what to do.
 */
public final class SnapshotTooLargeException extends SynclineException.Invalid {

    private static final long serialVersionUID = 1L;

    public SnapshotTooLargeException(String problem) {
        super("snapshot", List.of(new SynclineException.Violation("snapshot_id", problem)));
    }
}
