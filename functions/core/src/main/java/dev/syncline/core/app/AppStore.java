package dev.syncline.core.app;

import java.util.List;
import java.util.Optional;

/**
 * Where registered manifests live. Every version is kept; the latest is the one with the highest
 * {@link Semver} precedence. Writes are conditional so that two registrations racing for the same
 * App cannot both win: the loser gets {@code false} and {@link AppRegistry} decides again.
 */
public interface AppStore {

    /**
     * Stores the first version of an App.
     *
     * @return {@code false}, storing nothing, when the App already has a version (another
     *     registration got there first)
     */
    boolean putFirstVersion(Manifest manifest);

    /**
     * Stores a newer version of an App, which becomes its latest, provided the latest stored
     * version is still {@code expectedLatest}. Earlier versions stay stored.
     *
     * @return {@code false}, storing nothing, when the latest version is no longer {@code
     *     expectedLatest}
     */
    boolean putNextVersion(Manifest manifest, Semver expectedLatest);

    /** The App's version with the highest precedence, or empty when the App is not registered. */
    Optional<Manifest> findLatest(AppId appId);

    /**
     * One version of an App, matched exactly as registered (build metadata included), or empty when
     * that version was never registered.
     */
    Optional<Manifest> findVersion(AppId appId, Semver version);

    /** Every registered version of an App, lowest precedence first; empty when not registered. */
    List<Manifest> listVersions(AppId appId);
}
