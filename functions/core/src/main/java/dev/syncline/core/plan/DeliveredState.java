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

    /**
     * The {@code resource_customs} one chunk's delivery record holds, by resource, for those that have any: how a
     * later phase of the same run learns what the App answered in an earlier one (the planner knew only what came
     * before the run). Nothing when the chunk delivered nothing (yet).
     */
    Map<ResourceKey, Map<String, Object>> customsDelivered(UUID installationId, UUID runId, Phase phase, int chunk);

    /**
     * One accepted entry: the resource part it delivered, or its deletion, and the resource's customs after it.
     *
     * @param customs the {@code resource_customs} the App holds for the resource now (what it answered, else what it
     *     was sent), empty when none; null only in records that did not keep them
     */
    record Delivered(ResourceKey key, Phase phase, Resource state, Map<String, Object> customs) {

        public Delivered {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(phase, "phase");
        }

        /** A delivery of a resource without customs. */
        public Delivered(ResourceKey key, Phase phase, Resource state) {
            this(key, phase, state, Map.of());
        }

        public boolean isDeletion() {
            return state == null;
        }
    }

    /** The state as one planning pass sees it. */
    interface Pass extends AutoCloseable {

        /** The baselines of one shard, by key; resources never delivered are absent. */
        Map<ResourceKey, Baseline> shard(int shard);

        /** Makes the folded state the new base: what the next pass starts from, whether or not its records were rewritten. */
        void commit();

        @Override
        void close();
    }
}
