package dev.syncline.core.app;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link AppStore} in a map, with the same conditional writes as the real one. */
public final class InMemoryAppStore implements AppStore {

    private final Map<AppId, List<Manifest>> versions = new HashMap<>();
    private final Map<AppId, Instant> retired = new HashMap<>();

    @Override
    public synchronized boolean putFirstVersion(Manifest manifest) {
        if (versions.containsKey(manifest.appId())) {
            return false;
        }
        versions.put(manifest.appId(), new ArrayList<>(List.of(manifest)));
        return true;
    }

    @Override
    public synchronized boolean putNextVersion(Manifest manifest, Semver expectedLatest) {
        Optional<Manifest> latest = findLatest(manifest.appId());
        if (latest.isEmpty() || !latest.get().version().equals(expectedLatest) || retired.containsKey(manifest.appId())) {
            return false;
        }
        versions.get(manifest.appId()).add(manifest);
        return true;
    }

    @Override
    public synchronized Optional<RegisteredApp> findApp(AppId appId) {
        return versions.getOrDefault(appId, List.of()).stream()
                .max(Comparator.comparing(Manifest::version))
                .map(latest -> new RegisteredApp(latest, retired.get(appId)));
    }

    @Override
    public synchronized boolean retire(AppId appId, Instant at) {
        if (!versions.containsKey(appId) || retired.containsKey(appId)) {
            return false;
        }
        retired.put(appId, at);
        return true;
    }

    /** Pages by position in app id order: enough for a fake whose contents tests control. */
    @Override
    public synchronized Page list(int limit, String cursor) {
        List<RegisteredApp> byId = versions.keySet().stream()
                .sorted(Comparator.comparing(AppId::value))
                .map(appId -> findApp(appId).orElseThrow())
                .toList();
        int from = cursor == null ? 0 : Integer.parseInt(cursor);
        int to = Math.min(byId.size(), from + limit);
        return new Page(byId.subList(from, to), to < byId.size() ? Integer.toString(to) : null);
    }

    @Override
    public synchronized Optional<Manifest> findVersion(AppId appId, Semver version) {
        return versions.getOrDefault(appId, List.of()).stream()
                .filter(manifest -> manifest.version().equals(version))
                .findFirst();
    }

    @Override
    public synchronized List<Manifest> listVersions(AppId appId) {
        return versions.getOrDefault(appId, List.of()).stream()
                .sorted(Comparator.comparing(Manifest::version))
                .toList();
    }
}
