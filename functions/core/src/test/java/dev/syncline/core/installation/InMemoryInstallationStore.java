package dev.syncline.core.installation;

import dev.syncline.core.app.AppId;
import dev.syncline.core.tenant.TenantId;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** {@link InstallationStore} in a map, with the same conditional status update as the real one. */
public final class InMemoryInstallationStore implements InstallationStore {

    private final Map<UUID, Installation> installations = new LinkedHashMap<>();

    @Override
    public synchronized void create(Installation installation) {
        if (installations.putIfAbsent(installation.id(), installation) != null) {
            throw new IllegalStateException("installation " + installation.id() + " exists");
        }
    }

    @Override
    public synchronized Optional<Installation> find(UUID id) {
        return Optional.ofNullable(installations.get(id));
    }

    @Override
    public synchronized List<Installation> listByApp(AppId appId) {
        return installations.values().stream()
                .filter(installation -> installation.appId().equals(appId))
                .sorted(Comparator.comparing(Installation::createdAt))
                .toList();
    }

    /** Pages by position in the newest-first order: enough for a fake whose contents tests control. */
    @Override
    public synchronized Page list(int limit, String cursor) {
        return page(installations.values().stream().toList(), limit, cursor);
    }

    @Override
    public synchronized Page list(TenantId tenant, int limit, String cursor) {
        return page(installations.values().stream().filter(installation -> installation.belongsTo(tenant)).toList(), limit, cursor);
    }

    private static Page page(List<Installation> installations, int limit, String cursor) {
        List<Installation> newestFirst = installations.stream()
                .sorted(Comparator.comparing(Installation::createdAt).reversed())
                .toList();
        int from = cursor == null ? 0 : Integer.parseInt(cursor);
        int to = Math.min(newestFirst.size(), from + limit);
        return new Page(newestFirst.subList(from, to), to < newestFirst.size() ? Integer.toString(to) : null);
    }

    @Override
    public synchronized boolean updateStatus(
            Installation changed, InstallationStatus expectedCurrent) {
        // Only the three status attributes, as the port promises.
        return replaceIf(
                expectedCurrent,
                changed,
                stored -> stored.withStatus(changed.status(), changed.updatedAt()));
    }

    @Override
    public synchronized boolean markConfigured(
            Installation changed, InstallationStatus expectedCurrent) {
        // Only status, version and time, as the port promises.
        return replaceIf(
                expectedCurrent,
                changed,
                stored -> stored.configuredWith(changed.appVersion(), changed.updatedAt()));
    }

    @Override
    public synchronized boolean updateSettings(
            Installation changed, InstallationStatus expectedCurrent) {
        // Only name, dispatch settings and time, as the port promises.
        return replaceIf(
                expectedCurrent,
                changed,
                stored -> stored.withSettings(changed.name(), changed.dispatch(), changed.updatedAt()));
    }

    private boolean replaceIf(
            InstallationStatus expectedCurrent,
            Installation changed,
            UnaryOperator<Installation> change) {
        Installation stored = installations.get(changed.id());
        if (stored == null || stored.status() != expectedCurrent) {
            return false;
        }
        installations.put(changed.id(), change.apply(stored));
        return true;
    }

    /** Seeds an installation directly, as if created earlier. */
    public synchronized void put(Installation installation) {
        installations.put(installation.id(), installation);
    }

    public synchronized List<Installation> all() {
        return List.copyOf(installations.values());
    }
}
