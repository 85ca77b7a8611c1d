package dev.syncline.core.plan;

import dev.syncline.core.SynclineException;
import java.util.List;

/**
 * A snapshot that cannot be planned as a whole: its bytes do not decode (a truncated or corrupt gzip
 * file), or not one of its lines was accepted. The run fails with this reason instead of treating the
 * catalog as empty, which would delete everything the App holds.
 */
public final class SnapshotUnreadableException extends SynclineException.Invalid {

    private static final long serialVersionUID = 1L;

    public SnapshotUnreadableException(String problem) {
        super("snapshot", List.of(new SynclineException.Violation("snapshot", problem)));
    }
}
