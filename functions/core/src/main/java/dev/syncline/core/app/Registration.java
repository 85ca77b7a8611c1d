package dev.syncline.core.app;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What registering a manifest did: the API answers 201 for {@link Created}, 200 for {@link
 * Updated}.
 */
public sealed interface Registration {

    /** The manifest now in effect. */
    Manifest manifest();

    /** The App was not registered before; this is its first version. */
    record Created(Manifest manifest) implements Registration {
        public Created {
            Objects.requireNonNull(manifest, "manifest");
        }
    }

    /**
     * The manifest's version was higher than the stored one and is now the App's latest; earlier
     * versions stay stored.
     *
     * @param manifest the new latest version
     * @param previousVersion the version that was the latest before
     * @param movedToConfigurationRequired the installations whose configured version is below the
     *     new {@code compatible} and which therefore cannot synchronize until reconfigured
     */
    record Updated(
            Manifest manifest, Semver previousVersion, List<UUID> movedToConfigurationRequired)
            implements Registration {
        public Updated {
            Objects.requireNonNull(manifest, "manifest");
            Objects.requireNonNull(previousVersion, "previousVersion");
            movedToConfigurationRequired = List.copyOf(movedToConfigurationRequired);
        }
    }
}
