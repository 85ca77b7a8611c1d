package dev.syncline.adapters.wiring;

import dev.syncline.core.app.AppId;
import dev.syncline.core.app.AppStore;
import dev.syncline.core.app.AppVersion;
import dev.syncline.core.app.Manifest;
import dev.syncline.core.app.RegisteredApp;
import dev.syncline.core.app.Semver;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The worker's view of registered Apps: {@link #findApp} (and so the latest manifest) answers what was read a moment
 * ago ({@link RecentReads}). Everything else, and every write, goes to the store; a write through this view forgets
 * what it kept of that App.
 */
final class RecentAppStore implements AppStore {

    private final AppStore store;
    private final RecentReads<AppId, RegisteredApp> recent;

    RecentAppStore(AppStore store, RecentReads<AppId, RegisteredApp> recent) {
        this.store = store;
        this.recent = recent;
    }

    @Override
    public Optional<RegisteredApp> findApp(AppId appId) {
        return recent.get(appId, store::findApp);
    }

    @Override
    public boolean putFirstVersion(Manifest manifest) {
        recent.forget(manifest.appId());
        return store.putFirstVersion(manifest);
    }

    @Override
    public boolean putNextVersion(Manifest manifest, Semver expectedLatest) {
        recent.forget(manifest.appId());
        return store.putNextVersion(manifest, expectedLatest);
    }

    @Override
    public boolean retire(AppId appId, Instant at) {
        recent.forget(appId);
        return store.retire(appId, at);
    }

    @Override
    public Page list(int limit, String cursor) {
        return store.list(limit, cursor);
    }

    @Override
    public Optional<Manifest> findVersion(AppId appId, Semver version) {
        return store.findVersion(appId, version);
    }

    @Override
    public List<AppVersion> history(AppId appId) {
        return store.history(appId);
    }

    @Override
    public boolean retireVersion(AppId appId, Semver version, Instant at) {
        recent.forget(appId);
        return store.retireVersion(appId, version, at);
    }

    @Override
    public boolean rollBackLatest(AppId appId, Semver retiredLatest, Manifest previous) {
        recent.forget(appId);
        return store.rollBackLatest(appId, retiredLatest, previous);
    }
}
