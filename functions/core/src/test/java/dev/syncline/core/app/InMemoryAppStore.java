package dev.syncline.core.app;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@link AppStore} in a map, with the same conditional writes as the real one. */
public final class InMemoryAppStore implements AppStore {

    private final Map<AppId, List<Manifest>> versions = new HashMap<>();
    private final Map<AppId, Instant> retired = new HashMap<>();
    private final Map<AppId, Map<Semver, Instant>> retiredVersions = new HashMap<>();
    // Versions a roll-back took out of the running for latest, as the real store's LATEST item no longer holds them.
    private final Map<AppId, Set<Semver>> rolledBack = new HashMap<>();

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
                .filter(manifest -> !rolledBack.getOrDefault(appId, Set.of()).contains(manifest.version()))
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
    public synchronized List<AppVersion> history(AppId appId) {
        return versions.getOrDefault(appId, List.of()).stream()
                .sorted(Comparator.comparing(Manifest::version))
                .map(manifest -> new AppVersion(manifest, retiredVersions.getOrDefault(appId, Map.of()).get(manifest.version())))
                .toList();
    }

    @Override
    public synchronized boolean retireVersion(AppId appId, Semver version, Instant at) {
        if (findVersion(appId, version).isEmpty() || retiredVersions.getOrDefault(appId, Map.of()).containsKey(version)) {
            return false;
        }
        retiredVersions.computeIfAbsent(appId, id -> new HashMap<>()).put(version, at);
        return true;
    }

    @Override
    public synchronized boolean rollBackLatest(AppId appId, Semver retiredLatest, Manifest previous) {
        Optional<RegisteredApp> app = findApp(appId);
        if (app.isEmpty() || app.get().retired() || !app.get().latest().version().equals(retiredLatest)) {
            return false;
        }
        versions.get(appId).stream()
                .map(Manifest::version)
                .filter(version -> version.isAbove(previous.version()))
                .forEach(rolledBack.computeIfAbsent(appId, id -> new HashSet<>())::add);
        return true;
    }
}
