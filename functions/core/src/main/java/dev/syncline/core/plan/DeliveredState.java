package dev.syncline.core.plan;

import dev.syncline.core.snapshot.Resource;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.sync.Phase;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What each installation's App has successfully received, per resource: the cache the planner diffs
 * against. It advances only per delivered entry ({@link #recordDelivered}); the planner folds those
 * records into the per-shard state at the start of the next run ({@link #begin}).
 */
public interface DeliveredState {

    /** The number of shards state is kept in; stable for an installation. */
    int shards();

    /**
     * Starts a planning pass for an installation: the returned view shows, per shard, the state with
     * every delivery recorded so far folded in.
     */
    Pass begin(UUID installationId, UUID runId);

    /**
     * Records entries of one chunk that the App accepted; repeating the same chunk's record is harmless.
     */
    void recordDelivered(UUID installationId, UUID runId, Phase phase, int chunk, List<Delivered> delivered);

    /** One accepted entry: the resource part it delivered, or its deletion. */
    record Delivered(ResourceKey key, Phase phase, Resource state) {

        public Delivered {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(phase, "phase");
        }

        public boolean isDeletion() {
            return state == null;
        }
    }

    /** The state as one planning pass sees it. */
    interface Pass extends AutoCloseable {

        /** The baselines of one shard, by key; resources never delivered are absent. */
        Map<ResourceKey, Baseline> shard(int shard);

        /** Makes the folded state the new base, so the folded delivery records are no longer needed. */
        void commit();

        @Override
        void close();
    }
}
