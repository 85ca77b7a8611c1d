package dev.syncline.core.app;

import java.time.Instant;
import java.util.Objects;

/**
 * One registered version of an App and whether it was retired.
 *
 * @param manifest the version's manifest, as registered
 * @param retiredAt when the version was retired (nothing installs or configures with it any more), {@code null} while
 *     it is not
 */
public record AppVersion(Manifest manifest, Instant retiredAt) {

    public AppVersion {
        Objects.requireNonNull(manifest, "manifest");
    }

    public Semver version() {
        return manifest.version();
    }

    public boolean retired() {
        return retiredAt != null;
    }
}
