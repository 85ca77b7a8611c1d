package dev.syncline.core.app;

import java.time.Instant;
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
     * version is still {@code expectedLatest} and the App is not retired. Earlier versions stay stored.
     *
     * @return {@code false}, storing nothing, when the latest version is no longer {@code
     *     expectedLatest} or the App was retired
     */
    boolean putNextVersion(Manifest manifest, Semver expectedLatest);

    /** The App's version with the highest precedence, or empty when the App is not registered. */
    default Optional<Manifest> findLatest(AppId appId) {
        return findApp(appId).map(RegisteredApp::latest);
    }

    /** The App's latest version and whether it is retired, or empty when the App is not registered. */
    Optional<RegisteredApp> findApp(AppId appId);

    /**
     * Retires a registered App at {@code at}: it keeps every version, and {@link #putNextVersion} refuses it from now on.
     *
     * @return {@code false}, changing nothing, when the App is not registered or already retired
     */
    boolean retire(AppId appId, Instant at);

    /**
     * One page of every registered App (its latest version), by app id.
     *
     * @param limit at most this many Apps
     * @param cursor {@code null} for the first page, else a previous page's {@link Page#nextCursor()}
     * @throws dev.syncline.core.SynclineException.Invalid when the cursor is not one this store issued
     */
    Page list(int limit, String cursor);

    /** A page of Apps; {@code nextCursor} is null on the last page. */
    record Page(List<RegisteredApp> apps, String nextCursor) {

        public Page {
            apps = List.copyOf(apps);
        }
    }

    /**
     * One version of an App, matched exactly as registered (build metadata included), or empty when
     * that version was never registered.
     */
    Optional<Manifest> findVersion(AppId appId, Semver version);

    /** Every registered version of an App, lowest precedence first; empty when not registered. */
    default List<Manifest> listVersions(AppId appId) {
        return history(appId).stream().map(AppVersion::manifest).toList();
    }

    /** Every registered version of an App with its retirement, lowest precedence first; empty when not registered. */
    List<AppVersion> history(AppId appId);

    /**
     * Retires one registered version at {@code at}; the latest manifest is not changed here (see {@link #rollBackLatest}).
     *
     * @return {@code false}, changing nothing, when that version is not registered or already retired
     */
    boolean retireVersion(AppId appId, Semver version, Instant at);

    /**
     * Makes {@code previous} the App's latest manifest again, provided the latest is still {@code retiredLatest} and
     * the App is not retired: what retiring the latest version does.
     *
     * @return {@code false}, changing nothing, when the latest version is no longer {@code retiredLatest} or the App
     *     was retired
     */
    boolean rollBackLatest(AppId appId, Semver retiredLatest, Manifest previous);
}
