package dev.syncline.core.plan;

import dev.syncline.core.snapshot.Resource;
import dev.syncline.core.snapshot.ResourceKey;
import java.util.Iterator;
import java.util.Objects;

/**
 * A snapshot partitioned by shard while it streams in, kept outside the heap (local disk in a Lambda),
 * so that planning holds one shard at a time in memory whatever the catalog's size.
 */
public interface ShardSpill extends AutoCloseable {

    void add(int shard, Spilled record);

    /** The records of one shard in the order they were added. Call after the last {@link #add}. */
    Iterator<Spilled> read(int shard);

    /** Deletes what was spilled. */
    @Override
    void close();

    /**
     * One spilled snapshot line: an accepted resource, or the key of a rejected line (kept so that a
     * rejected line never reads as a deletion of what the App already has).
     */
    record Spilled(long lineNumber, Resource resource, ResourceKey rejectedKey) {

        public Spilled {
            if ((resource == null) == (rejectedKey == null)) {
                throw new IllegalArgumentException("a spilled line holds a resource or a rejected key, not both");
            }
        }

        public static Spilled accepted(long lineNumber, Resource resource) {
            return new Spilled(lineNumber, Objects.requireNonNull(resource), null);
        }

        public static Spilled rejected(long lineNumber, ResourceKey key) {
            return new Spilled(lineNumber, null, Objects.requireNonNull(key));
        }

        public ResourceKey key() {
            return resource != null ? resource.key() : rejectedKey;
        }
    }
}
