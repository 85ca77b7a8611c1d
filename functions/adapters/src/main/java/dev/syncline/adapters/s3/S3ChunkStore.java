package dev.syncline.adapters.s3;

import dev.syncline.core.delivery.Chunk;
import dev.syncline.core.delivery.ChunkRef;
import dev.syncline.core.delivery.ChunkStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.UUID;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Reads the chunks {@link S3PlanWriter} wrote, at {@code plans/<runId>/<phase>/<chunk, 6 digits>.json.zst}
 * (format: {@link S3ChunkStoreFormat}); a run planned before chunks were zstd-compressed has them at the same key
 * ending in {@code .json.gz} instead, which is read when the first is not there.
 */
public final class S3ChunkStore implements ChunkStore {

    private final S3Client s3;
    private final String bucket;

    public S3ChunkStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** Where a chunk is kept. */
    public static String key(ChunkRef ref) {
        return keyWithoutExtension(ref) + ".json.zst";
    }

    /** Where a chunk of a run planned before chunks were zstd-compressed is kept. */
    static String gzipKey(ChunkRef ref) {
        return keyWithoutExtension(ref) + ".json.gz";
    }

    private static String keyWithoutExtension(ChunkRef ref) {
        String number = Integer.toString(ref.chunk()); // zero-padded to 6 digits, without a format string on the planner's hot path
        return prefix(ref.runId()) + ref.phase().wireName() + "/" + "0".repeat(Math.max(0, 6 - number.length())) + number;
    }

    /** Where everything of a run's plan is kept. */
    public static String prefix(UUID runId) {
        return "plans/" + runId + "/";
    }

    @Override
    public Chunk load(ChunkRef ref) {
        try {
            return load(ref, key(ref));
        } catch (NoSuchKeyException e) {
            try {
                return load(ref, gzipKey(ref));
            } catch (NoSuchKeyException before) {
                throw new IllegalStateException("Chunk " + ref + " does not exist at " + key(ref)
                        + "; a plan is written whole before any chunk is released", e);
            }
        }
    }

    private Chunk load(ChunkRef ref, String key) {
        try (InputStream file = s3.getObject(b -> b.bucket(bucket).key(key))) {
            return S3ChunkStoreFormat.read(ref, file);
        } catch (IOException e) {
            throw new UncheckedIOException("Reading chunk " + ref + " failed", e);
        }
    }
}
