package dev.syncline.adapters.wiring;

import dev.syncline.core.app.AppId;
import dev.syncline.core.installation.Installation;
import dev.syncline.core.installation.InstallationStatus;
import dev.syncline.core.installation.InstallationStore;
import dev.syncline.core.tenant.TenantId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The worker's view of installations: {@link #find} answers what was read a moment ago ({@link RecentReads}), so the
 * consecutive chunks of a run on a warm function instance do not read the installation each. Everything else, and
 * every write, goes to the store; a write through this view forgets what it kept of that installation.
 */
final class RecentInstallationStore implements InstallationStore {

    private final InstallationStore store;
    private final RecentReads<UUID, Installation> recent;

    RecentInstallationStore(InstallationStore store, RecentReads<UUID, Installation> recent) {
        this.store = store;
        this.recent = recent;
    }

    @Override
    public Optional<Installation> find(UUID id) {
        return recent.get(id, store::find);
    }

    @Override
    public void create(Installation installation) {
        store.create(installation);
    }

    @Override
    public List<Installation> listByApp(AppId appId) {
        return store.listByApp(appId);
    }

    @Override
    public Page list(int limit, String cursor) {
        return store.list(limit, cursor);
    }

    @Override
    public Page list(TenantId tenant, int limit, String cursor) {
        return store.list(tenant, limit, cursor);
    }

    @Override
    public boolean updateStatus(Installation changed, InstallationStatus expectedCurrent) {
        recent.forget(changed.id());
        return store.updateStatus(changed, expectedCurrent);
    }

    @Override
    public boolean markConfigured(Installation changed, InstallationStatus expectedCurrent) {
        recent.forget(changed.id());
        return store.markConfigured(changed, expectedCurrent);
    }

    @Override
    public boolean updateSettings(Installation changed, InstallationStatus expectedCurrent) {
        recent.forget(changed.id());
        return store.updateSettings(changed, expectedCurrent);
    }
}
