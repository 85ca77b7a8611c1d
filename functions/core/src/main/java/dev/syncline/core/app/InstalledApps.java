package dev.syncline.core.app;

import java.util.List;
import java.util.UUID;

/**
 * The installations of Apps, as far as registering a manifest concerns them.
 *
 * <p>Implemented by the installation service, not by an adapter: the seam keeps this package free
 * of installation types, so that installations depend on Apps and never the other way round.
 */
@FunctionalInterface
public interface InstalledApps {

    /**
     * Moves every active installation of {@code appId} configured with a version below {@code
     * compatible} to {@code configuration_required}: its configuration no longer fits the App.
     * Installations already in another status stay as they are.
     *
     * @return the ids of the installations that moved, none when nothing did
     */
    List<UUID> requireConfigurationBelow(AppId appId, Semver compatible);
}
