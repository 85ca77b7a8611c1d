package dev.syncline.core.app;

import java.time.Instant;
import java.util.Objects;

/**
 * A registered App as a whole: its latest manifest and whether it was retired.
 *
 * @param latest the manifest with the highest version
 * @param retiredAt when the App was retired (it takes no new installation or version), {@code null} while it is not
 */
public record RegisteredApp(Manifest latest, Instant retiredAt) {

    public RegisteredApp {
        Objects.requireNonNull(latest, "latest");
    }

    public boolean retired() {
        return retiredAt != null;
    }
}
