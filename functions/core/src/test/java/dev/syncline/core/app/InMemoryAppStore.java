package dev.syncline.core.app;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link AppStore} in a map, with the same conditional writes as the real one. */
public final class InMemoryAppStore implements AppStore {

    private final Map<AppId, List<Manifest>> versions = new HashMap<>();

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
        if (latest.isEmpty() || !latest.get().version().equals(expectedLatest)) {
            return false;
        }
        versions.get(manifest.appId()).add(manifest);
        return true;
    }

    @Override
    public synchronized Optional<Manifest> findLatest(AppId appId) {
        return versions.getOrDefault(appId, List.of()).stream()
                .max(Comparator.comparing(Manifest::version));
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
