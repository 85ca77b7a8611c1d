package dev.syncline.adapters.s3;

import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.core.delivery.ChunkRef;
import dev.syncline.core.plan.PlanTotals;
import dev.syncline.core.plan.PlanWriter;
import dev.syncline.core.plan.PlannedEntry;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.ResourceType;
import dev.syncline.core.snapshot.SnapshotLine;
import dev.syncline.core.sync.Phase;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Writes a run's plan to S3: chunks at {@code plans/<runId>/<phase>/<chunk, 6 digits>.json.zst} (read by
 * {@link S3ChunkStore}), and the snapshot's rejected lines at {@code plans/<runId>/rejected.ndjson.gz}, one
 * {@code {line, reason, resource: {type, id} | null}} per line, for the API to page through
 * ({@link #rejectedLines}).
 *
 * <p>A relations entry added right after its product's products-phase entry gets that entry's chunk
 * ({@link PlannedEntry#customsChunk}), so that it is sent with the customs the App answers there.
 *
 * <p>The first {@value #CHUNKS_BEFORE_GROWING} chunks of a phase hold at most {@value #MAX_ENTRIES} entries and at
 * most {@value #MAX_BYTES} bytes of JSON before compression, the next {@value #CHUNKS_BEFORE_GROWING} twice that,
 * and every later one four times that ({@link #maxEntries}, {@link #maxBytes}); an entry bigger than its chunk's
 * bytes on its own gets a chunk of its own. So a worker loads any chunk in a small, known amount of memory; a small
 * or mid-sized catalog is cut fine enough for a run's whole window of workers to share each phase evenly; and a
 * large one pays the per-chunk bookkeeping (a plan PUT, a delivery record PUT, a message, the chunk's DynamoDB
 * writes, a worker invocation) once per 1 000 entries instead of once per 250. One chunk per phase is open at a
 * time; full chunks are compressed and uploaded in the background, a few at a time, so that a plan of millions of
 * entries is bound neither by one request's round trip per chunk nor by compression on the planning thread.
 * Rejected lines go to a local gzip file first, uploaded by {@link Plan#finish()}.
 */
public final class S3PlanWriter implements PlanWriter {

    /**
     * The size of a phase's first chunks. Every chunk costs the same bookkeeping (an S3 write of the plan chunk and
     * one of its delivery record, a message, a few DynamoDB writes and reads, a worker invocation), so chunks are as
     * large as a worker's memory and a retried pass comfortably allow, once a phase has enough of them for a window
     * of workers.
     */
    static final int MAX_ENTRIES = 250;
    static final int MAX_BYTES = 512 * 1024;
    /**
     * How many chunks of a phase keep the smallest size before chunks double, and again before they double a second
     * and last time: 16 000 entries of a phase go out in chunks of 250, enough for a window of 32 workers to end the
     * phase together; the bookkeeping of a catalog of millions then weighs a quarter as much per entry.
     */
    static final int CHUNKS_BEFORE_GROWING = 64;
    private static final int MAX_DOUBLINGS = 2;
    /** Enough to keep S3 busy, few enough that the chunks waiting to upload stay small. */
    private static final int UPLOADS_IN_FLIGHT = 8;
    private static final String CHUNK_CONTENT_TYPE = "application/zstd";
    private static final String REJECTED_CONTENT_TYPE = "application/gzip";
    private static final int GZIP_BUFFER_BYTES = 64 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final JsonCodec json;
    private final Path temporaryDirectory;

    /** A writer that keeps rejected lines under {@code java.io.tmpdir} until the plan is finished. */
    public S3PlanWriter(S3Client s3, String bucket, JsonCodec json) {
        this(s3, bucket, json, Path.of(System.getProperty("java.io.tmpdir")));
    }

    public S3PlanWriter(S3Client s3, String bucket, JsonCodec json, Path temporaryDirectory) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.json = Objects.requireNonNull(json, "json");
        this.temporaryDirectory = Objects.requireNonNull(temporaryDirectory, "temporaryDirectory");
    }

    /** The most entries chunk number {@code chunk} of a phase holds. */
    static int maxEntries(int chunk) {
        return MAX_ENTRIES << doublings(chunk);
    }

    /** The most bytes of JSON chunk number {@code chunk} of a phase holds, unless its only entry is larger. */
    static int maxBytes(int chunk) {
        return MAX_BYTES << doublings(chunk);
    }

    private static int doublings(int chunk) {
        return Math.min(MAX_DOUBLINGS, chunk / CHUNKS_BEFORE_GROWING);
    }

    /** Where a run's rejected snapshot lines are kept. */
    public static String rejectedKey(UUID runId) {
        return S3ChunkStore.prefix(runId) + "rejected.ndjson.gz";
    }

    @Override
    public Plan open(UUID runId) {
        return new S3Plan(Objects.requireNonNull(runId, "runId"));
    }

    /**
     * A page of a finished plan's rejected snapshot lines, in the order the planner rejected them: the lines it
     * could not read while streaming the snapshot, in line order, then duplicates it found shard by shard.
     *
     * @param offset how many rejected lines to skip
     * @param limit the most lines to return
     * @return the lines; empty when the plan rejected none (or there is no such plan)
     */
    public List<SnapshotLine.Rejected> rejectedLines(UUID runId, long offset, int limit) {
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must not be negative, got " + offset + " and " + limit);
        }
        List<SnapshotLine.Rejected> page = new ArrayList<>(Math.min(limit, 1000));
        if (limit == 0) {
            return page;
        }
        ResponseInputStream<GetObjectResponse> object;
        try {
            object = s3.getObject(b -> b.bucket(bucket).key(rejectedKey(runId)));
        } catch (NoSuchKeyException e) {
            return page;
        }
        boolean complete = false;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(new GZIPInputStream(object, GZIP_BUFFER_BYTES), StandardCharsets.UTF_8))) {
            long skipped = 0;
            String line;
            while ((line = lines.readLine()) != null) {
                if (skipped < offset) {
                    skipped++;
                    continue;
                }
                page.add(json.read(line, RejectedLine.class).toRejected());
                if (page.size() == limit) {
                    break;
                }
            }
            complete = line == null;
            if (!complete) {
                // Closing a half-read response would read the rest of the object first.
                object.abort();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the rejected lines of run " + runId + " failed", e);
        }
        return page;
    }

    /** One plan being written; not thread-safe, like the planner that feeds it. */
    private final class S3Plan implements Plan {
        private final UUID runId;
        private final Map<Phase, OpenChunk> open = new EnumMap<>(Phase.class);
        private final Map<Phase, List<Integer>> sizes = new EnumMap<>(Phase.class);
        private final ExecutorService uploads = Executors.newVirtualThreadPerTaskExecutor();
        private final Semaphore inFlight = new Semaphore(UPLOADS_IN_FLIGHT);
        private final List<Future<?>> pending = new ArrayList<>();
        private final S3ChunkStoreFormat.EntryWriter entries = new S3ChunkStoreFormat.EntryWriter();
        private Path rejectedFile;
        private OutputStream rejectedOut;
        private long rejected;
        private boolean finished;
        private boolean closed;
        /**
         * The product of the last products-phase entry and its chunk: the planner adds a product's relations entry
         * right after its products-phase entry, and the relations entry sends the customs the App answers there.
         */
        private ResourceKey lastProduct;
        private int lastProductChunk;

        S3Plan(UUID runId) {
            this.runId = runId;
            for (Phase phase : Phase.values()) {
                sizes.put(phase, new ArrayList<>());
            }
        }

        @Override
        public void add(PlannedEntry planned) {
            Objects.requireNonNull(planned, "entry");
            checkWritable();
            PlannedEntry entry = planned;
            if (entry.phase() == Phase.RELATIONS && entry.resource().equals(lastProduct)) {
                entry = entry.withCustomsChunk(lastProductChunk); // its customs are what the App answers there
            }
            S3ChunkStoreFormat.Buffer written = entries.write(entry);
            int size = written.size();
            OpenChunk chunk = open.get(entry.phase());
            if (chunk != null && !chunk.fits(size)) {
                upload(chunk);
                chunk = null;
            }
            if (chunk == null) {
                chunk = new OpenChunk(new ChunkRef(runId, entry.phase(), sizes.get(entry.phase()).size()));
                open.put(entry.phase(), chunk);
            }
            chunk.add(written);
            if (entry.phase() == Phase.PRODUCTS) {
                lastProduct = entry.resource();
                lastProductChunk = chunk.ref.chunk();
            }
            if (chunk.entries == chunk.maxEntries) {
                upload(chunk);
            }
        }

        @Override
        public void reject(SnapshotLine.Rejected line) {
            Objects.requireNonNull(line, "line");
            checkWritable();
            try {
                if (rejectedOut == null) {
                    rejectedFile = Files.createTempFile(temporaryDirectory, "syncline-rejected-", ".ndjson.gz");
                    rejectedOut = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(rejectedFile)), GZIP_BUFFER_BYTES);
                }
                rejectedOut.write(json.writeBytes(RejectedLine.of(line)));
                rejectedOut.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write the rejected lines of run " + runId + " to " + temporaryDirectory, e);
            }
            rejected++;
        }

        @Override
        public PlanTotals finish() {
            checkWritable();
            for (OpenChunk chunk : List.copyOf(open.values())) {
                upload(chunk);
            }
            awaitUploads();
            if (rejectedOut != null) {
                try {
                    rejectedOut.close();
                    rejectedOut = null;
                    s3.putObject(b -> b.bucket(bucket).key(rejectedKey(runId)).contentType(REJECTED_CONTENT_TYPE),
                            RequestBody.fromFile(rejectedFile));
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot finish the rejected lines of run " + runId, e);
                }
            }
            finished = true;
            Map<Phase, int[]> chunkSizes = new EnumMap<>(Phase.class);
            sizes.forEach((phase, list) -> chunkSizes.put(phase, list.stream().mapToInt(Integer::intValue).toArray()));
            close();
            return new PlanTotals(chunkSizes, rejected);
        }

        /** Stops uploading and drops local files; chunks already uploaded stay, and a retried plan overwrites them. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            uploads.shutdownNow();
            try {
                if (rejectedOut != null) {
                    rejectedOut.close();
                }
                if (rejectedFile != null) {
                    Files.deleteIfExists(rejectedFile);
                }
                if (!uploads.awaitTermination(1, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("Uploads of run " + runId + "'s plan did not stop within a minute");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot delete " + rejectedFile, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while stopping the uploads of run " + runId + "'s plan", e);
            }
        }

        private void checkWritable() {
            if (finished || closed) {
                throw new IllegalStateException("the plan of run " + runId + " is " + (finished ? "finished" : "closed"));
            }
        }

        private void upload(OpenChunk chunk) {
            open.remove(chunk.ref.phase());
            sizes.get(chunk.ref.phase()).add(chunk.entries);
            String key = S3ChunkStore.key(chunk.ref);
            rethrowFailedUploads();
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while writing the plan of run " + runId, e);
            }
            try {
                pending.add(uploads.submit(() -> {
                    try {
                        // Compressed here, beside the planning thread: the chunk's buffer is no longer written to.
                        byte[] file = S3ChunkStoreFormat.write(chunk.ref, chunk.body.bytes(), chunk.body.size());
                        s3.putObject(b -> b.bucket(bucket).key(key).contentType(CHUNK_CONTENT_TYPE).contentLength((long) file.length),
                                RequestBody.fromBytes(file));
                    } finally {
                        inFlight.release();
                    }
                }));
            } catch (RuntimeException e) {
                inFlight.release();
                throw e;
            }
        }

        /** Fails the plan as soon as one of its chunks failed to upload, rather than at the end. */
        private void rethrowFailedUploads() {
            for (Iterator<Future<?>> it = pending.iterator(); it.hasNext(); ) {
                Future<?> upload = it.next();
                if (upload.isDone()) {
                    await(upload);
                    it.remove();
                }
            }
        }

        private void awaitUploads() {
            for (Future<?> upload : pending) {
                await(upload);
            }
            pending.clear();
        }

        private void await(Future<?> upload) {
            try {
                upload.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                throw new IllegalStateException("Uploading a chunk of run " + runId + " failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while writing the plan of run " + runId, e);
            }
        }
    }

    /** The chunk a phase is filling: its entries' JSON joined by commas, and its size as the document it will be. */
    private static final class OpenChunk {
        private final ChunkRef ref;
        private final int maxEntries;
        private final int maxBytes;
        private final S3ChunkStoreFormat.Buffer body = new S3ChunkStoreFormat.Buffer(16 * 1024);
        private int entries;
        private long bytes;

        OpenChunk(ChunkRef ref) {
            this.ref = ref;
            this.maxEntries = maxEntries(ref.chunk());
            this.maxBytes = maxBytes(ref.chunk());
            this.bytes = S3ChunkStoreFormat.emptyDocumentSize(ref);
        }

        boolean fits(int entryBytes) {
            return entries < maxEntries && bytes + separator() + entryBytes <= maxBytes;
        }

        void add(S3ChunkStoreFormat.Buffer entry) {
            int separator = separator();
            if (separator > 0) {
                body.write(',');
            }
            body.write(entry.bytes(), 0, entry.size());
            bytes += separator + entry.size();
            entries++;
        }

        private int separator() {
            return entries == 0 ? 0 : 1;
        }
    }

    /** One line of the rejected-lines file. */
    record RejectedLine(long line, String reason, Key resource) {

        static RejectedLine of(SnapshotLine.Rejected rejected) {
            ResourceKey key = rejected.resource();
            return new RejectedLine(rejected.lineNumber(), rejected.reason(), key == null ? null : new Key(key.type().wireName(), key.id()));
        }

        SnapshotLine.Rejected toRejected() {
            return new SnapshotLine.Rejected(line, reason,
                    resource == null ? null : new ResourceKey(ResourceType.valueOf(resource.type().toUpperCase(Locale.ROOT)), resource.id()));
        }
    }

    record Key(String type, String id) {
    }
}
