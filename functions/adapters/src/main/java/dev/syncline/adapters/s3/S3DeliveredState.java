package dev.syncline.adapters.s3;

import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.s3.S3DeliveredStateFiles.BaseShard;
import dev.syncline.adapters.s3.S3DeliveredStateFiles.Manifest;
import dev.syncline.core.plan.Baseline;
import dev.syncline.core.plan.DeliveredState;
import dev.syncline.core.plan.ShardSpill;
import dev.syncline.core.snapshot.Product;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.sync.Phase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Delivered state in S3, per installation under {@code state/<installationId>/}:
 *
 * <ul>
 *   <li>{@code base/<generation>/shard-<nnn>.ndjson.zst}: the state of one shard as of the last planning pass,
 *       a product's primary and relations facets told apart ({@link S3DeliveredStateFiles});
 *   <li>{@code delivered/<runId>/<phase>-<chunk, 6 digits>.ndjson.zst}: what one chunk delivered, written by the
 *       worker ({@link #recordDelivered}); the same chunk always has the same key, so a repeat overwrites;
 *   <li>objects written before these were zstd-compressed end in {@code .ndjson.gz} instead, and are gzip files: a
 *       shard is read there when the manifest names its generation and there is no {@code .zst} object, and a delivery
 *       record is found under either name;
 *   <li>{@code manifest.json}: where each non-empty shard is, which runs are folded in, and which of their
 *       delivery records are still kept beside the base ({@code pending}), in the order they apply.
 * </ul>
 *
 * <p>A planning pass ({@link #begin}) streams the pending delivery records and those not yet folded, oldest run
 * first, into a spill on local disk, shard by shard; {@link Pass#shard} then returns the base shard with that
 * shard's records applied in order. Rewriting a shard costs an S3 PUT, which is priced like twelve GETs, and a few
 * changed resources touch almost every shard: so while the records number at most {@code recordsKept} (by default
 * as many as there are shards, so that reading them never costs a pass more GETs than reading the base does), the
 * pass writes no shard at all and {@link Pass#commit} only names the new records as pending in the manifest; a
 * run with nothing new to fold writes nothing. Past that bound the pass consolidates: it writes each touched shard
 * as the shard of the next generation, and {@link Pass#commit} switches the manifest to the new shards in one
 * write, then deletes the folded records and the shards no longer referenced. Until the manifest is written
 * nothing a reader uses has changed: a pass that fails leaves the previous state whole, and its objects are
 * deleted by the next commit. Shards no delivery touched are neither rewritten nor copied: the manifest keeps
 * pointing at their older generation.
 *
 * <p>Each resource's {@code resource_customs} travel with its state: a delivery record keeps the customs the App
 * holds after each delivered entry, and a base shard those of its resources; a pass folds them, the latest
 * delivery's winning, through a second spill on local disk ({@link CustomsSpill}). Objects written before customs were
 * kept say nothing of them: their resources' customs read as unknown (null) until delivered again.
 *
 * <p>Only one pass runs per installation at a time, and the run being planned has no deliveries yet: the engine
 * guarantees both. A delivery record that turns up for a run already folded (a chunk of a cancelled run that
 * finished while the next run was planning, a repeated write) is dropped rather than applied over newer state:
 * the delivered state may then lag, and the next run sends those entries again, which Apps must accept anyway.
 */
public final class S3DeliveredState implements DeliveredState {

    public static final int DEFAULT_SHARDS = 256;
    /** Pending delivery records kept before a pass consolidates them into the base: as many as shards. */
    public static final int DEFAULT_RECORDS_KEPT = DEFAULT_SHARDS;
    /** Enough runs to recognise any late repeat of a chunk's record; a few kilobytes of manifest. */
    static final int FOLDED_RUNS_KEPT = 256;
    /** Delivery records are small; fetching several at once keeps a pass after a full run of millions short. */
    private static final int FETCHES_IN_FLIGHT = 16;
    private static final int DELETE_BATCH = 1000;
    private static final String CONTENT_TYPE = "application/zstd";
    /** A delivery record's name, zstd-compressed ({@code .zst}) or written before as gzip ({@code .gz}). */
    private static final Pattern DELIVERED = Pattern.compile(
            "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/([a-z]+)-(\\d{6,})\\.ndjson\\.(?:zst|gz)");
    private static final String EXTENSION = ".ndjson.zst";
    private static final String GZIP_EXTENSION = ".ndjson.gz";

    private final S3Client s3;
    private final String bucket;
    private final JsonCodec json;
    private final Supplier<ShardSpill> spills;
    private final int shards;
    private final int recordsKept;

    /** State in {@value #DEFAULT_SHARDS} shards, up to {@value #DEFAULT_RECORDS_KEPT} delivery records kept pending. */
    public S3DeliveredState(S3Client s3, String bucket, JsonCodec json, Supplier<ShardSpill> spills) {
        this(s3, bucket, json, spills, DEFAULT_SHARDS, DEFAULT_RECORDS_KEPT);
    }

    /** State in {@code shards} shards, every pass folding its delivery records into the base (none kept pending). */
    public S3DeliveredState(S3Client s3, String bucket, JsonCodec json, Supplier<ShardSpill> spills, int shards) {
        this(s3, bucket, json, spills, shards, 0);
    }

    /**
     * @param shards the number of shards; it must not change for an installation once it has state
     * @param recordsKept how many delivery records a pass may keep pending beside the base rather than rewrite the
     *     shards they touch; 0 folds them at every pass
     */
    public S3DeliveredState(S3Client s3, String bucket, JsonCodec json, Supplier<ShardSpill> spills, int shards, int recordsKept) {
        if (shards < 1 || shards > 100_000) {
            throw new IllegalArgumentException("shards must be between 1 and 100000, got " + shards);
        }
        if (recordsKept < 0 || recordsKept > 100_000) {
            throw new IllegalArgumentException("recordsKept must be between 0 and 100000, got " + recordsKept);
        }
        this.recordsKept = recordsKept;
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.json = Objects.requireNonNull(json, "json");
        this.spills = Objects.requireNonNull(spills, "spills");
        this.shards = shards;
    }

    /** Everything of an installation's delivered state is under this prefix. */
    public static String prefix(UUID installationId) {
        return "state/" + installationId + "/";
    }

    /** The one object whose write makes a planning pass take effect. */
    public static String manifestKey(UUID installationId) {
        return prefix(installationId) + "manifest.json";
    }

    static String deliveredKey(UUID installationId, UUID runId, Phase phase, int chunk) {
        return deliveredPrefix(installationId) + runId + "/" + phase.wireName() + "-" + "%06d".formatted(chunk) + EXTENSION;
    }

    static String baseKey(UUID installationId, long generation, int shard) {
        return basePrefix(installationId) + generation + "/shard-" + "%03d".formatted(shard) + EXTENSION;
    }

    /** Where the object at {@code key} was kept when it was written before objects were zstd-compressed. */
    static String gzipKey(String key) {
        return key.substring(0, key.length() - EXTENSION.length()) + GZIP_EXTENSION;
    }

    private static String deliveredPrefix(UUID installationId) {
        return prefix(installationId) + "delivered/";
    }

    private static String basePrefix(UUID installationId) {
        return prefix(installationId) + "base/";
    }

    @Override
    public int shards() {
        return shards;
    }

    @Override
    public void recordDelivered(UUID installationId, UUID runId, Phase phase, int chunk, List<Delivered> delivered) {
        for (Delivered entry : delivered) {
            if (entry.phase() != phase) {
                throw new IllegalArgumentException("an entry of " + entry.phase().wireName() + " cannot be recorded with a chunk of "
                        + phase.wireName() + ": " + entry.key());
            }
            if (!entry.isDeletion() && !entry.state().key().equals(entry.key())) {
                throw new IllegalArgumentException("the state of " + entry.key() + " is the state of " + entry.state().key());
            }
        }
        if (delivered.isEmpty()) {
            return;
        }
        byte[] file = S3DeliveredStateFiles.writeRecord(json, runId, phase, chunk, delivered);
        s3.putObject(b -> b.bucket(bucket).key(deliveredKey(installationId, runId, phase, chunk)).contentType(CONTENT_TYPE)
                .contentLength((long) file.length), RequestBody.fromBytes(file));
    }

    /** Reads the chunk's delivery record: one GET, whatever the number of its entries. */
    @Override
    public Map<ResourceKey, Map<String, Object>> customsDelivered(UUID installationId, UUID runId, Phase phase, int chunk) {
        String key = deliveredKey(installationId, runId, phase, chunk);
        for (String at : List.of(key, gzipKey(key))) {
            try {
                byte[] file = s3.getObjectAsBytes(b -> b.bucket(bucket).key(at)).asByteArray();
                return S3DeliveredStateFiles.readRecordCustoms(json, file, at);
            } catch (NoSuchKeyException e) {
                // not written in this form
            }
        }
        return Map.of(); // the App accepted none of the chunk's entries
    }

    @Override
    public Pass begin(UUID installationId, UUID runId) {
        Objects.requireNonNull(installationId, "installationId");
        Objects.requireNonNull(runId, "runId");
        Manifest manifest = readManifest(installationId).orElse(Manifest.empty(shards));
        if (manifest.shards() != shards) {
            throw new IllegalStateException("The delivered state of installation " + installationId + " is kept in " + manifest.shards()
                    + " shards, but this planner is configured for " + shards + "; shards must not change for an installation");
        }
        ShardSpill spill = spills.get();
        try {
            return new S3Pass(installationId, runId, manifest, spill);
        } catch (RuntimeException e) {
            spill.close();
            throw e;
        }
    }

    private Optional<Manifest> readManifest(UUID installationId) {
        String key = manifestKey(installationId);
        try {
            byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
            return Optional.of(S3DeliveredStateFiles.readManifest(json, bytes, key));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    /** One delivery record found in the bucket. */
    private record RecordObject(String key, UUID runId, Phase phase, int chunk, Instant lastModified) {
    }

    private final class S3Pass implements Pass {
        private final UUID installationId;
        private final Manifest manifest;
        private final ShardSpill spill;
        private final long generation;
        private final Map<Integer, Long> locations;
        private final Set<Integer> touched = new HashSet<>();
        private final Set<Integer> folded = new HashSet<>();
        private final List<UUID> foldedRuns = new ArrayList<>();
        private final List<String> consumed = new ArrayList<>();
        /** The records this pass applies over the base, in order: the pending ones first, then the new ones. */
        private final List<String> applied = new ArrayList<>();
        private final CustomsSpill customs;
        /** Whether this pass writes the shards its records touch, rather than keep the records pending. */
        private boolean consolidate;
        private boolean committed;
        private boolean closed;

        S3Pass(UUID installationId, UUID runId, Manifest manifest, ShardSpill spill) {
            this.installationId = installationId;
            this.manifest = manifest;
            this.spill = spill;
            this.generation = manifest.generation() + 1;
            this.locations = manifest.locations();
            this.customs = new CustomsSpill(json);
            try {
                spillDeliveries(runId);
                customs.finishWriting();
            } catch (RuntimeException e) {
                customs.close();
                throw e;
            }
        }

        /**
         * Streams the pending records, in the manifest's order, then the records not yet folded, oldest run first,
         * then by phase and chunk, into the spill.
         */
        private void spillDeliveries(UUID runId) {
            Set<UUID> alreadyFolded = new HashSet<>(manifest.foldedRuns());
            Set<String> pendingNames = new HashSet<>(manifest.pending());
            Map<String, RecordObject> pendingFound = new HashMap<>();
            Map<UUID, List<RecordObject>> byRun = new HashMap<>();
            String prefix = deliveredPrefix(installationId);
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
                String relative = object.key().substring(prefix.length());
                Matcher name = DELIVERED.matcher(relative);
                if (!name.matches()) {
                    continue; // not a delivery record: not ours to read or delete
                }
                UUID run = UUID.fromString(name.group(1));
                Optional<Phase> phase = phase(name.group(2));
                if (phase.isEmpty() || run.equals(runId)) {
                    continue;
                }
                RecordObject record = new RecordObject(object.key(), run, phase.get(), Integer.parseInt(name.group(3)), object.lastModified());
                if (pendingNames.contains(relative)) {
                    pendingFound.put(relative, record);
                } else if (alreadyFolded.contains(run)) {
                    consumed.add(object.key()); // a late repeat: see the class comment
                } else {
                    byRun.computeIfAbsent(run, r -> new ArrayList<>()).add(record);
                }
            }
            List<RecordObject> ordered = new ArrayList<>();
            for (String name : manifest.pending()) {
                RecordObject record = pendingFound.get(name);
                if (record == null) {
                    throw new IllegalStateException("The manifest of installation " + installationId + " names " + prefix + name
                            + ", which does not exist: the delivered state was changed outside Syncline");
                }
                ordered.add(record);
            }
            // Run ids are random: a run's first record tells when it delivered, and runs of an installation never overlap.
            Comparator<List<RecordObject>> byFirstWrite = Comparator.comparing(
                    records -> records.stream().map(RecordObject::lastModified).min(Comparator.naturalOrder()).orElseThrow());
            byRun.values().stream()
                    .sorted(byFirstWrite.thenComparing(records -> records.getFirst().runId()))
                    .forEach(records -> {
                        records.sort(Comparator.comparing(RecordObject::phase).thenComparingInt(RecordObject::chunk));
                        ordered.addAll(records);
                        foldedRuns.add(records.getFirst().runId());
                    });
            ordered.forEach(record -> applied.add(record.key()));
            consolidate = applied.size() > recordsKept;
            fetchInOrder(ordered);
        }

        private void fetchInOrder(List<RecordObject> records) {
            Deque<Future<byte[]>> window = new ArrayDeque<>();
            try (ExecutorService fetches = Executors.newVirtualThreadPerTaskExecutor()) {
                Iterator<RecordObject> next = records.iterator();
                for (RecordObject record : records) {
                    while (window.size() < FETCHES_IN_FLIGHT && next.hasNext()) {
                        String key = next.next().key();
                        window.add(fetches.submit(() -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray()));
                    }
                    byte[] file = await(window.removeFirst(), record.key());
                    S3DeliveredStateFiles.readRecord(json, file, record.key(), delivered -> {
                        if (delivered.phase() != record.phase()) {
                            throw S3DeliveredStateFiles.corrupt(record.key(), "it holds " + delivered.phase().wireName() + " entries");
                        }
                        int shard = delivered.key().shard(shards);
                        touched.add(shard);
                        spill.add(shard, toSpilled(delivered));
                        customs.add(shard, delivered);
                    });
                }
            } finally {
                window.forEach(pending -> pending.cancel(true));
            }
        }

        @Override
        public Map<ResourceKey, Baseline> shard(int shard) {
            checkOpen();
            if (shard < 0 || shard >= shards) {
                throw new IllegalArgumentException("shard must be between 0 and " + (shards - 1) + ", got " + shard);
            }
            return Collections.unmodifiableMap(fold(shard));
        }

        /**
         * The shard with its deliveries applied; when consolidating, written as the next generation's shard the
         * first time (and read back from there after).
         */
        private Map<ResourceKey, Baseline> fold(int shard) {
            Map<ResourceKey, Baseline> state = readShard(shard);
            if (!touched.contains(shard) || folded.contains(shard)) {
                return state;
            }
            Iterator<ShardSpill.Spilled> deliveries = spill.read(shard);
            while (deliveries.hasNext()) {
                apply(state, deliveries.next());
            }
            customs.latest(shard).forEach((key, latest) -> state.computeIfPresent(key, (k, baseline) -> baseline.withCustoms(latest)));
            if (!consolidate) {
                return state;
            }
            folded.add(shard);
            if (state.isEmpty()) {
                locations.remove(shard);
            } else {
                byte[] file = S3DeliveredStateFiles.writeShard(json, shard, state);
                s3.putObject(b -> b.bucket(bucket).key(baseKey(installationId, generation, shard)).contentType(CONTENT_TYPE)
                        .contentLength((long) file.length), RequestBody.fromBytes(file));
                locations.put(shard, generation);
            }
            return state;
        }

        private Map<ResourceKey, Baseline> readShard(int shard) {
            Long at = locations.get(shard);
            if (at == null) {
                return new HashMap<>();
            }
            String key = baseKey(installationId, at, shard);
            try {
                return readShard(key);
            } catch (NoSuchKeyException e) {
                try {
                    return readShard(gzipKey(key)); // written before shards were zstd-compressed
                } catch (NoSuchKeyException before) {
                    throw new IllegalStateException("The manifest of installation " + installationId + " names " + key
                            + ", which does not exist: the delivered state was changed outside Syncline", e);
                }
            }
        }

        private Map<ResourceKey, Baseline> readShard(String key) {
            try (InputStream file = s3.getObject(b -> b.bucket(bucket).key(key))) {
                return S3DeliveredStateFiles.readShard(json, file, key);
            } catch (IOException e) {
                throw new UncheckedIOException("Reading " + key + " failed", e);
            }
        }

        @Override
        public void commit() {
            checkOpen();
            if (committed) {
                throw new IllegalStateException("this pass is already committed");
            }
            if (consolidate) {
                for (int shard : touched) {
                    fold(shard);
                }
            }
            boolean changed = !foldedRuns.isEmpty() || consolidate;
            if (changed) {
                List<BaseShard> base = new ArrayList<>();
                locations.forEach((shard, at) -> base.add(new BaseShard(shard, at)));
                Set<UUID> runs = new LinkedHashSet<>(manifest.foldedRuns());
                runs.addAll(foldedRuns);
                List<UUID> kept = new ArrayList<>(runs);
                kept = kept.subList(Math.max(0, kept.size() - FOLDED_RUNS_KEPT), kept.size());
                String prefix = deliveredPrefix(installationId);
                List<String> pending = consolidate ? List.of() : applied.stream().map(key -> key.substring(prefix.length())).toList();
                byte[] file = S3DeliveredStateFiles.writeManifest(json,
                        new Manifest(shards, consolidate ? generation : manifest.generation(), base, kept, pending));
                // The one write that makes the pass take effect: before it, the old manifest names only old objects.
                s3.putObject(b -> b.bucket(bucket).key(manifestKey(installationId)).contentType("application/json")
                        .contentLength((long) file.length), RequestBody.fromBytes(file));
            }
            committed = true;
            List<String> garbage = new ArrayList<>(consumed);
            if (consolidate) {
                garbage.addAll(applied);
                garbage.addAll(unreferencedShards());
            }
            delete(garbage);
        }

        /** Base shards of older generations, and of passes that never committed, that the new manifest does not name. */
        private List<String> unreferencedShards() {
            Set<String> current = new HashSet<>();
            locations.forEach((shard, at) -> {
                current.add(baseKey(installationId, at, shard));
                current.add(gzipKey(baseKey(installationId, at, shard))); // a shard no pass rewrote since before zstd
            });
            List<String> unreferenced = new ArrayList<>();
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(basePrefix(installationId))).contents()) {
                if (!current.contains(object.key())) {
                    unreferenced.add(object.key());
                }
            }
            return unreferenced;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                spill.close();
            } finally {
                customs.close();
            }
        }

        private void checkOpen() {
            if (closed) {
                throw new IllegalStateException("this pass is closed");
            }
        }
    }

    /**
     * A delivery as a spilled record. The spill keeps a record's number and order; here the number carries the
     * phase, which decides the facet, and a deletion is a record with a key and no resource.
     */
    private static ShardSpill.Spilled toSpilled(Delivered delivered) {
        return delivered.isDeletion()
                ? ShardSpill.Spilled.rejected(delivered.phase().ordinal(), delivered.key())
                : ShardSpill.Spilled.accepted(delivered.phase().ordinal(), delivered.state());
    }

    /** A deletion removes both facets; a relations delivery replaces the relations facet; any other the primary one. */
    private static void apply(Map<ResourceKey, Baseline> state, ShardSpill.Spilled record) {
        Phase phase = Phase.values()[(int) record.lineNumber()];
        if (record.resource() == null) {
            state.remove(record.rejectedKey());
            return;
        }
        ResourceKey key = record.resource().key();
        Baseline before = state.getOrDefault(key, Baseline.NONE);
        if (phase == Phase.RELATIONS) {
            if (!(record.resource() instanceof Product relations)) {
                throw new IllegalStateException("a relations delivery of " + key + " is not a product");
            }
            state.put(key, new Baseline(before.primary(), relations, before.customs()));
        } else {
            state.put(key, new Baseline(record.resource(), before.relations(), before.customs()));
        }
    }

    private void delete(List<String> keys) {
        for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
            List<ObjectIdentifier> batch = keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH)).stream()
                    .map(key -> ObjectIdentifier.builder().key(key).build())
                    .toList();
            DeleteObjectsResponse response = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(batch).quiet(true)));
            if (response.hasErrors() && !response.errors().isEmpty()) {
                throw new IllegalStateException("Deleting " + response.errors().size() + " folded delivered-state objects failed, first "
                        + response.errors().getFirst().key() + ": " + response.errors().getFirst().message());
            }
        }
    }

    private static Optional<Phase> phase(String wireName) {
        for (Phase phase : Phase.values()) {
            if (phase.wireName().equals(wireName)) {
                return Optional.of(phase);
            }
        }
        return Optional.empty();
    }

    private static byte[] await(Future<byte[]> fetch, String key) {
        try {
            return fetch.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException("Reading " + key + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading " + key, e);
        }
    }
}
