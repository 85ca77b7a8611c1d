package dev.syncline.core.snapshot;

import java.util.Objects;

/** Identifies a resource within an installation: its type and code or SKU. */
public record ResourceKey(ResourceType type, String id) implements Comparable<ResourceKey> {

    public ResourceKey {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("a resource id must not be empty");
        }
    }

    /**
     * Which of {@code shards} partitions this key falls in: stable across runs and JVMs (it must be,
     * since delivered state is stored per shard).
     */
    public int shard(int shards) {
        // FNV-1a over the type and id: String.hashCode would do, but its spread on similar SKUs is poor.
        int hash = 0x811c9dc5;
        for (byte b : (type.ordinal() + ":" + id).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        return Math.floorMod(hash, shards);
    }

    @Override
    public int compareTo(ResourceKey other) {
        int byType = type.compareTo(other.type);
        return byType != 0 ? byType : id.compareTo(other.id);
    }

    @Override
    public String toString() {
        return type.wireName() + ":" + id;
    }
}
