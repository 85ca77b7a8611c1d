package dev.syncline.core.configuration;

import java.util.Optional;
import java.util.UUID;

/** Finds the snapshot an installation uploaded last, which PIM-provided dictionaries are answered from. */
@FunctionalInterface
public interface LatestSnapshot {

    /** The id of the installation's most recently uploaded snapshot, or empty when it has none. */
    Optional<String> of(UUID installationId);
}
