package dev.syncline.adapters.s3;

import dev.syncline.adapters.compression.Compression;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.json.MalformedJsonException;
import dev.syncline.adapters.json.NdjsonResourceWriter;
import dev.syncline.adapters.json.NdjsonSnapshotReader;
import dev.syncline.core.plan.Baseline;
import dev.syncline.core.plan.DeliveredState;
import dev.syncline.core.snapshot.Product;
import dev.syncline.core.snapshot.Resource;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.ResourceType;
import dev.syncline.core.snapshot.SnapshotLine;
import dev.syncline.core.sync.Phase;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The objects of {@link S3DeliveredState}. Shards and delivery records are zstd-compressed NDJSON (gzip when written
 * before; both read): a first line saying what the file holds, then canonical resource lines ({@link NdjsonResourceWriter}), so that a whole
 * file reads back through one {@link NdjsonSnapshotReader} and any NDJSON tool can look into it.
 *
 * <ul>
 *   <li>A base shard: {@code {"shard", "primary": n, "relations": m, "customs": c}}, then c customs lines
 *       {@code {"type", "id", "customs"}} (the {@code resource_customs} of each resource that has any, or null when
 *       unknown), then the n primary facets (attributes, categories, the products-phase part of products), then the m
 *       relations facets of products, each part sorted by key. The counts tell a product's two facets apart.
 *   <li>A delivery record: {@code {"run_id", "phase", "chunk", "deleted": [{type, id}], "states": n, "customs": c}},
 *       then c customs lines (of the delivered resources that have customs), then the n delivered states. Keys within
 *       one chunk are distinct, so the order of its deletions and states does not matter.
 *   <li>Shards and records written before customs were kept have no {@code customs} count: their resources'
 *       customs are unknown (null), and are read where they were kept then ({@code DynamoDbResourceCustoms}).
 *   <li>The manifest: {@code {"shards", "generation", "base": [{shard, generation}], "folded_runs": [...],
 *       "pending": ["<run>/<phase>-<chunk>.ndjson.zst", ...]}}; a manifest written before records were kept pending
 *       has no {@code pending}: none are.
 * </ul>
 */
final class S3DeliveredStateFiles {

    /** A first line is a few counts, or a chunk's deleted keys: far below this. */
    private static final int MAX_HEADER_BYTES = 4 * 1024 * 1024;
    /** Lines are canonical forms of snapshot lines, which may come a little longer than the snapshot's limit. */
    private static final int MAX_LINE_BYTES = 4 * NdjsonSnapshotReader.DEFAULT_MAX_LINE_BYTES;
    private static final int BUFFER_BYTES = 64 * 1024;

    private S3DeliveredStateFiles() {
    }

    /**
     * Which base shard objects are current, and which runs' delivery records are already in them.
     *
     * @param generation the newest generation; a pass writes the shards it changes as the next one
     * @param base where each non-empty shard is: shards no delivery touched stay in older generations
     * @param foldedRuns the runs whose delivery records are in the base or pending, oldest first; a record of one of
     *     them found later, and not pending, is a repeated write, not news
     * @param pending the delivery records (under {@code delivered/}) that apply over the base, in order: kept rather
     *     than rewritten into the shards they touch
     */
    record Manifest(int shards, long generation, List<BaseShard> base, List<UUID> foldedRuns, List<String> pending) {

        Manifest {
            base = base == null ? List.of() : List.copyOf(base);
            foldedRuns = foldedRuns == null ? List.of() : List.copyOf(foldedRuns);
            pending = pending == null ? List.of() : List.copyOf(pending);
        }

        static Manifest empty(int shards) {
            return new Manifest(shards, 0, List.of(), List.of(), List.of());
        }

        Map<Integer, Long> locations() {
            Map<Integer, Long> locations = new HashMap<>();
            base.forEach(shard -> locations.put(shard.shard(), shard.generation()));
            return locations;
        }
    }

    record BaseShard(int shard, long generation) {
    }

    /** @param customs how many customs lines follow; null in shards written before the state kept customs */
    record ShardHeader(int shard, int primary, int relations, Integer customs) {
    }

    /** @param customs how many customs lines follow; null in records written before the state kept customs */
    record RecordHeader(UUID runId, String phase, int chunk, List<Key> deleted, int states, Integer customs) {

        RecordHeader {
            deleted = deleted == null ? List.of() : List.copyOf(deleted);
        }
    }

    /** One resource's customs: null when unknown (only in a shard, for a resource delivered before they were kept). */
    record CustomsLine(String type, String id, Map<String, Object> customs) {
    }

    record Key(String type, String id) {

        static Key of(ResourceKey key) {
            return new Key(key.type().wireName(), key.id());
        }

        ResourceKey toResourceKey() {
            return new ResourceKey(ResourceType.valueOf(type.toUpperCase(Locale.ROOT)), id);
        }
    }

    // ---- base shards ------------------------------------------------------------------------------

    static byte[] writeShard(JsonCodec json, int shard, Map<ResourceKey, Baseline> state) {
        List<Resource> primary = new ArrayList<>();
        List<Resource> relations = new ArrayList<>();
        List<CustomsLine> customs = new ArrayList<>();
        state.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            Map<String, Object> known = entry.getValue().customs();
            if (known == null || !known.isEmpty()) {
                customs.add(new CustomsLine(entry.getKey().type().wireName(), entry.getKey().id(), known));
            }
            if (entry.getValue().primary() != null) {
                primary.add(entry.getValue().primary());
            }
            if (entry.getValue().relations() != null) {
                relations.add(entry.getValue().relations());
            }
        });
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (NdjsonResourceWriter lines = NdjsonResourceWriter.plain(withHeader(bytes, json.writeBytes(
                new ShardHeader(shard, primary.size(), relations.size(), customs.size())), customs, json))) {
            primary.forEach(lines::write);
            relations.forEach(lines::write);
        }
        return bytes.toByteArray();
    }

    static Map<ResourceKey, Baseline> readShard(JsonCodec json, InputStream file, String key) {
        Map<ResourceKey, Baseline> state = new HashMap<>();
        try (InputStream in = Compression.decompressing(file)) {
            ShardHeader header = header(json, in, ShardHeader.class, key);
            // A shard written before customs were kept knows none of its resources' customs.
            Map<ResourceKey, Map<String, Object>> customs = customsLines(json, in, header.customs(), key, true);
            Map<String, Object> otherwise = header.customs() == null ? null : Map.of();
            long[] read = new long[1];
            resources(in, key, resource -> {
                long line = ++read[0];
                if (line <= header.primary()) {
                    state.put(resource.key(), new Baseline(resource, null, customs.getOrDefault(resource.key(), otherwise)));
                } else if (resource instanceof Product product) {
                    Baseline primary = state.getOrDefault(product.key(), Baseline.NONE);
                    state.put(product.key(), new Baseline(primary.primary(), product, customs.getOrDefault(product.key(), otherwise)));
                } else {
                    throw corrupt(key, "line " + (line + 1) + " is a relations facet but not a product");
                }
            });
            if (read[0] != (long) header.primary() + header.relations()) {
                throw corrupt(key, "it announces " + header.primary() + " + " + header.relations() + " resources but holds " + read[0]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Reading " + key + " failed", e);
        }
        return state;
    }

    // ---- delivery records -------------------------------------------------------------------------

    static byte[] writeRecord(JsonCodec json, UUID runId, Phase phase, int chunk, List<DeliveredState.Delivered> delivered) {
        List<Key> deleted = new ArrayList<>();
        List<Resource> states = new ArrayList<>();
        List<CustomsLine> customs = new ArrayList<>();
        for (DeliveredState.Delivered entry : delivered) {
            if (entry.isDeletion()) {
                deleted.add(Key.of(entry.key()));
            } else {
                states.add(entry.state());
                if (entry.customs() != null && !entry.customs().isEmpty()) {
                    customs.add(new CustomsLine(entry.key().type().wireName(), entry.key().id(), entry.customs()));
                }
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (NdjsonResourceWriter lines = NdjsonResourceWriter.plain(withHeader(bytes, json.writeBytes(
                new RecordHeader(runId, phase.wireName(), chunk, deleted, states.size(), customs.size())), customs, json))) {
            states.forEach(lines::write);
        }
        return bytes.toByteArray();
    }

    /** Hands each delivered entry of a record to {@code each}: its deletions first, then its states. */
    static void readRecord(JsonCodec json, byte[] file, String key, Consumer<DeliveredState.Delivered> each) {
        try (InputStream in = Compression.decompressing(new ByteArrayInputStream(file))) {
            RecordHeader header = header(json, in, RecordHeader.class, key);
            Phase phase = Phase.valueOf(Objects.requireNonNull(header.phase(), "phase").toUpperCase(Locale.ROOT));
            // A record written before customs were kept does not know them: they are still kept apart.
            Map<ResourceKey, Map<String, Object>> customs = customsLines(json, in, header.customs(), key, false);
            Map<String, Object> otherwise = header.customs() == null ? null : Map.of();
            header.deleted().forEach(deleted -> each.accept(new DeliveredState.Delivered(deleted.toResourceKey(), phase, null, Map.of())));
            int[] read = new int[1];
            resources(in, key, resource -> {
                read[0]++;
                each.accept(new DeliveredState.Delivered(resource.key(), phase, resource, customs.getOrDefault(resource.key(), otherwise)));
            });
            if (read[0] != header.states()) {
                throw corrupt(key, "it announces " + header.states() + " states but holds " + read[0]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Reading " + key + " failed", e);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw corrupt(key, e.getMessage());
        }
    }

    /**
     * The customs a delivery record holds, by resource, without reading its resources: they are all in the lines
     * after its first, and a resource without a line there was delivered with none. A record written before customs
     * were kept holds none.
     */
    static Map<ResourceKey, Map<String, Object>> readRecordCustoms(JsonCodec json, byte[] file, String key) {
        try (InputStream in = Compression.decompressing(new ByteArrayInputStream(file))) {
            RecordHeader header = header(json, in, RecordHeader.class, key);
            Map<ResourceKey, Map<String, Object>> customs = customsLines(json, in, header.customs(), key, false);
            customs.values().removeIf(Map::isEmpty);
            return customs;
        } catch (IOException e) {
            throw new UncheckedIOException("Reading " + key + " failed", e);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw corrupt(key, e.getMessage());
        }
    }

    // ---- manifest ---------------------------------------------------------------------------------

    static byte[] writeManifest(JsonCodec json, Manifest manifest) {
        Manifest sorted = new Manifest(manifest.shards(), manifest.generation(),
                manifest.base().stream().sorted(Comparator.comparingInt(BaseShard::shard)).toList(), manifest.foldedRuns(), manifest.pending());
        return json.writeBytes(sorted);
    }

    static Manifest readManifest(JsonCodec json, byte[] bytes, String key) {
        try {
            return json.read(new String(bytes, StandardCharsets.UTF_8), Manifest.class);
        } catch (MalformedJsonException e) {
            throw corrupt(key, e.getMessage());
        }
    }

    // ---- shared -----------------------------------------------------------------------------------

    /** A compressed stream to {@code target} that starts with {@code header} as its first line, then one line per customs. */
    private static OutputStream withHeader(OutputStream target, byte[] header, List<CustomsLine> customs, JsonCodec json) {
        try {
            OutputStream out = new BufferedOutputStream(Compression.compressing(target), BUFFER_BYTES);
            out.write(header);
            out.write('\n');
            for (CustomsLine line : customs) {
                out.write(json.writeBytes(line));
                out.write('\n');
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory
        }
    }

    /**
     * The customs lines after the first line, by resource; none when {@code count} is null (an older object).
     *
     * @param unknownAllowed whether a line may say the customs are unknown (null)
     */
    private static Map<ResourceKey, Map<String, Object>> customsLines(JsonCodec json, InputStream in, Integer count, String key,
            boolean unknownAllowed) throws IOException {
        Map<ResourceKey, Map<String, Object>> customs = new HashMap<>();
        for (int i = 0; count != null && i < count; i++) {
            CustomsLine line = header(json, in, CustomsLine.class, key);
            if (line.customs() == null && !unknownAllowed) {
                throw corrupt(key, "customs line " + (i + 1) + " holds no customs");
            }
            customs.put(new Key(line.type(), line.id()).toResourceKey(), line.customs());
        }
        return customs;
    }

    private static <H> H header(JsonCodec json, InputStream in, Class<H> type, String key) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw corrupt(key, "it ends before its first line does");
            }
            if (line.size() == MAX_HEADER_BYTES) {
                throw corrupt(key, "its first line is longer than " + MAX_HEADER_BYTES + " bytes");
            }
            line.write(b);
        }
        try {
            return json.read(line.toString(StandardCharsets.UTF_8), type);
        } catch (MalformedJsonException e) {
            throw corrupt(key, "its first line: " + e.getMessage());
        }
    }

    /** The resource lines after the first line, in one pass. The reader is not closed: the caller owns the stream. */
    private static void resources(InputStream in, String key, Consumer<Resource> each) {
        NdjsonSnapshotReader reader = new NdjsonSnapshotReader(in, MAX_LINE_BYTES);
        while (reader.hasNext()) {
            switch (reader.next()) {
                case SnapshotLine.Accepted accepted -> each.accept(accepted.resource());
                case SnapshotLine.Rejected rejected -> throw corrupt(key,
                        "line " + (rejected.lineNumber() + 1) + " does not read back as a resource: " + rejected.reason());
            }
        }
    }

    static IllegalStateException corrupt(String key, String problem) {
        return new IllegalStateException("The delivered-state object " + key + " cannot be read: " + problem
                + "; it was written by another version or damaged");
    }
}
