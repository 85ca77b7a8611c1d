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
 *   <li>{@code base/<generation>/shard-<nnn>.ndjson.gz}: the state of one shard as of the last planning pass,
 *       a product's primary and relations facets told apart ({@link S3DeliveredStateFiles});
 *   <li>{@code delivered/<runId>/<phase>-<chunk, 6 digits>.ndjson.gz}: what one chunk delivered, written by the
 *       worker ({@link #recordDelivered}); the same chunk always has the same key, so a repeat overwrites;
 *   <li>{@code manifest.json}: where each non-empty shard is and which runs are folded in.
 * </ul>
 *
 * <p>A planning pass ({@link #begin}) streams the delivery records not yet folded, oldest run first, into a
 * spill on local disk, shard by shard; {@link Pass#shard} then returns the base shard with that shard's records
 * applied in order, and writes it as the shard of the next generation. {@link Pass#commit} switches the manifest
 * to the new shards in one write, then deletes the folded records and the shards no longer referenced. Until
 * then nothing a reader uses has changed: a pass that fails leaves the previous state whole, and its objects are
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
    /** Enough runs to recognise any late repeat of a chunk's record; a few kilobytes of manifest. */
    static final int FOLDED_RUNS_KEPT = 256;
    /** Delivery records are small; fetching several at once keeps a pass after a full run of millions short. */
    private static final int FETCHES_IN_FLIGHT = 16;
    private static final int DELETE_BATCH = 1000;
    private static final String CONTENT_TYPE = "application/gzip";
    private static final Pattern DELIVERED = Pattern.compile(
            "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/([a-z]+)-(\\d{6,})\\.ndjson\\.gz");

    private final S3Client s3;
    private final String bucket;
    private final JsonCodec json;
    private final Supplier<ShardSpill> spills;
    private final int shards;

    /** State in {@value #DEFAULT_SHARDS} shards. */
    public S3DeliveredState(S3Client s3, String bucket, JsonCodec json, Supplier<ShardSpill> spills) {
        this(s3, bucket, json, spills, DEFAULT_SHARDS);
    }

    /** @param shards the number of shards; it must not change for an installation once it has state */
    public S3DeliveredState(S3Client s3, String bucket, JsonCodec json, Supplier<ShardSpill> spills, int shards) {
        if (shards < 1 || shards > 100_000) {
            throw new IllegalArgumentException("shards must be between 1 and 100000, got " + shards);
        }
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
        return deliveredPrefix(installationId) + runId + "/" + phase.wireName() + "-" + "%06d".formatted(chunk) + ".ndjson.gz";
    }

    static String baseKey(UUID installationId, long generation, int shard) {
        return basePrefix(installationId) + generation + "/shard-" + "%03d".formatted(shard) + ".ndjson.gz";
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
        byte[] file;
        try {
            file = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        } catch (NoSuchKeyException e) {
            return Map.of(); // the App accepted none of the chunk's entries
        }
        Map<ResourceKey, Map<String, Object>> customs = new HashMap<>();
        S3DeliveredStateFiles.readRecord(json, file, key, delivered -> {
            if (delivered.customs() != null && !delivered.customs().isEmpty()) {
                customs.put(delivered.key(), delivered.customs());
            }
        });
        return customs;
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
        private final CustomsSpill customs;
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

        /** Streams the records not yet folded into the spill, oldest run first, then by phase and chunk. */
        private void spillDeliveries(UUID runId) {
            Set<UUID> alreadyFolded = new HashSet<>(manifest.foldedRuns());
            Map<UUID, List<RecordObject>> byRun = new HashMap<>();
            String prefix = deliveredPrefix(installationId);
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
                Matcher name = DELIVERED.matcher(object.key().substring(prefix.length()));
                if (!name.matches()) {
                    continue; // not a delivery record: not ours to read or delete
                }
                UUID run = UUID.fromString(name.group(1));
                Optional<Phase> phase = phase(name.group(2));
                if (phase.isEmpty() || run.equals(runId)) {
                    continue;
                }
                if (alreadyFolded.contains(run)) {
                    consumed.add(object.key()); // a late repeat: see the class comment
                    continue;
                }
                byRun.computeIfAbsent(run, r -> new ArrayList<>())
                        .add(new RecordObject(object.key(), run, phase.get(), Integer.parseInt(name.group(3)), object.lastModified()));
            }
            // Run ids are random: a run's first record tells when it delivered, and runs of an installation never overlap.
            Comparator<List<RecordObject>> byFirstWrite = Comparator.comparing(
                    records -> records.stream().map(RecordObject::lastModified).min(Comparator.naturalOrder()).orElseThrow());
            List<RecordObject> ordered = new ArrayList<>();
            byRun.values().stream()
                    .sorted(byFirstWrite.thenComparing(records -> records.getFirst().runId()))
                    .forEach(records -> {
                        records.sort(Comparator.comparing(RecordObject::phase).thenComparingInt(RecordObject::chunk));
                        ordered.addAll(records);
                        foldedRuns.add(records.getFirst().runId());
                    });
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
                    consumed.add(record.key());
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

        /** The shard with its deliveries applied, written as the next generation's shard the first time. */
        private Map<ResourceKey, Baseline> fold(int shard) {
            Map<ResourceKey, Baseline> state = readShard(shard);
            if (!touched.contains(shard) || !folded.add(shard)) {
                return state;
            }
            Iterator<ShardSpill.Spilled> deliveries = spill.read(shard);
            while (deliveries.hasNext()) {
                apply(state, deliveries.next());
            }
            customs.latest(shard).forEach((key, latest) -> state.computeIfPresent(key, (k, baseline) -> baseline.withCustoms(latest)));
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
            try (InputStream gzip = s3.getObject(b -> b.bucket(bucket).key(key))) {
                return S3DeliveredStateFiles.readShard(json, gzip, key);
            } catch (NoSuchKeyException e) {
                throw new IllegalStateException("The manifest of installation " + installationId + " names " + key
                        + ", which does not exist: the delivered state was changed outside Syncline", e);
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
            for (int shard : touched) {
                fold(shard);
            }
            boolean changed = !foldedRuns.isEmpty();
            if (changed) {
                List<BaseShard> base = new ArrayList<>();
                locations.forEach((shard, at) -> base.add(new BaseShard(shard, at)));
                Set<UUID> runs = new LinkedHashSet<>(manifest.foldedRuns());
                runs.addAll(foldedRuns);
                List<UUID> kept = new ArrayList<>(runs);
                kept = kept.subList(Math.max(0, kept.size() - FOLDED_RUNS_KEPT), kept.size());
                byte[] file = S3DeliveredStateFiles.writeManifest(json, new Manifest(shards, generation, base, kept));
                // The one write that makes the pass take effect: before it, the old manifest names only old objects.
                s3.putObject(b -> b.bucket(bucket).key(manifestKey(installationId)).contentType("application/json")
                        .contentLength((long) file.length), RequestBody.fromBytes(file));
            }
            committed = true;
            List<String> garbage = new ArrayList<>(consumed);
            if (changed) {
                garbage.addAll(unreferencedShards());
            }
            delete(garbage);
        }

        /** Base shards of older generations, and of passes that never committed, that the new manifest does not name. */
        private List<String> unreferencedShards() {
            Set<String> current = new HashSet<>();
            locations.forEach((shard, at) -> current.add(baseKey(installationId, at, shard)));
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
