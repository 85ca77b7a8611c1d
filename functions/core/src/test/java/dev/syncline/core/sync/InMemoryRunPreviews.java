package dev.syncline.core.sync;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Previews kept in memory. */
final class InMemoryRunPreviews implements RunPreviews {

    private final Map<UUID, RunPreview> previews = new ConcurrentHashMap<>();

    @Override
    public void save(UUID runId, RunPreview preview) {
        previews.put(runId, preview);
    }

    @Override
    public Optional<RunPreview> find(UUID runId) {
        return Optional.ofNullable(previews.get(runId));
    }
}
