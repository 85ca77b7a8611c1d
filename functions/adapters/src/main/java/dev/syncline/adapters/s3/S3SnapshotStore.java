package dev.syncline.adapters.s3;

import dev.syncline.adapters.config.Config;
import dev.syncline.adapters.json.NdjsonSnapshotReader;
import dev.syncline.core.blob.Blob;
import dev.syncline.core.blob.StoredBlob;
import dev.syncline.core.plan.SnapshotNotFoundException;
import dev.syncline.core.plan.SnapshotUnreadableException;
import dev.syncline.core.plan.SnapshotStore;
import dev.syncline.core.plan.SnapshotTooLargeException;
import dev.syncline.core.snapshot.SnapshotLine;
import dev.syncline.core.sync.SyncEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Snapshots in S3 at {@code snapshots/<installationId>/<snapshotId>}, plain or gzip-compressed NDJSON, uploaded
 * by the API inline or through a presigned PUT of {@link #key}. The planner reads them as they stream in: a
 * snapshot of several gigabytes never sits in memory or on disk. The deployment's {@link Config.Snapshots limits} bound
 * the work one snapshot can cause: the stored file's size is checked before a byte of it is read (and when a run
 * is triggered), its decompressed bytes and its lines as they are read.
 */
public final class S3SnapshotStore implements SnapshotStore, SyncEngine.SnapshotCheck {

    /** Snapshot ids become the last segment of an S3 key: no slashes, no dot segments, nothing to escape. */
    private static final Pattern SNAPSHOT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    private static final String CONTENT_TYPE = "application/x-ndjson";

    /** How many snapshots of one installation {@link #latest} looks at: a thousand per listed page. */
    static final int LATEST_MAX_PAGES = 10;

    // The blob store's presigner is only used to presign, and the API presigns snapshot uploads itself.
    private final S3BlobStore blobs;
    private final S3Client s3;
    private final String bucket;
    private final Config.Snapshots limits;

    /** A store with the {@linkplain Config.Snapshots#DEFAULT default limits}. */
    public S3SnapshotStore(S3Client s3, String bucket) {
        this(s3, bucket, Config.Snapshots.DEFAULT);
    }

    public S3SnapshotStore(S3Client s3, String bucket, Config.Snapshots limits) {
        this.blobs = new S3BlobStore(s3, null, bucket);
        this.s3 = s3;
        this.bucket = bucket;
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * The id of the installation's most recently stored snapshot (inline or uploaded, by the time S3 stored it),
     * looking at no more than {@value #LATEST_MAX_PAGES} thousand of its snapshots.
     */
    public Optional<String> latest(UUID installationId) {
        String prefix = "snapshots/" + installationId + "/";
        S3Object newest = null;
        String token = null;
        for (int page = 0; page < LATEST_MAX_PAGES; page++) {
            String continuation = token;
            ListObjectsV2Response listed = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).continuationToken(continuation));
            for (S3Object object : listed.contents()) {
                if (newest == null || object.lastModified().isAfter(newest.lastModified())) {
                    newest = object;
                }
            }
            token = listed.nextContinuationToken();
            if (!Boolean.TRUE.equals(listed.isTruncated()) || token == null) {
                break;
            }
        }
        return Optional.ofNullable(newest).map(object -> object.key().substring(prefix.length())).filter(S3SnapshotStore::isValidId);
    }

    /**
     * Where a snapshot is kept: the key the API presigns an upload for.
     *
     * @throws IllegalArgumentException when {@code snapshotId} is not a {@linkplain #isValidId valid id}
     */
    public static String key(UUID installationId, String snapshotId) {
        Objects.requireNonNull(installationId, "installationId");
        if (!isValidId(snapshotId)) {
            throw new IllegalArgumentException("a snapshot id is 1 to 200 letters, digits, '.', '_' or '-', starting with a letter or "
                    + "digit; got " + (snapshotId == null ? "null" : "\"" + snapshotId + "\""));
        }
        return "snapshots/" + installationId + "/" + snapshotId;
    }

    /** Whether {@code snapshotId} can name a snapshot: 1 to 200 letters, digits, '.', '_' or '-', starting with a letter or digit. */
    public static boolean isValidId(String snapshotId) {
        return snapshotId != null && SNAPSHOT_ID.matcher(snapshotId).matches();
    }

    /**
     * Stores a snapshot that came with a request, replacing one of the same id.
     *
     * @param length the number of bytes, or {@link dev.syncline.core.blob.BlobStore#UNKNOWN_LENGTH} to stream
     *     content of unknown size
     */
    public StoredBlob putInline(UUID installationId, String snapshotId, InputStream content, long length) {
        return blobs.put(key(installationId, snapshotId), content, length, CONTENT_TYPE);
    }

    /** The stored snapshot's size and type; empty when it was not uploaded (yet). */
    public Optional<StoredBlob> describe(UUID installationId, String snapshotId) {
        return isValidId(snapshotId) ? blobs.describe(key(installationId, snapshotId)) : Optional.empty();
    }

    /** Removes a snapshot's file; removing one that is not there does nothing. */
    public void delete(UUID installationId, String snapshotId) {
        blobs.delete(key(installationId, snapshotId));
    }

    /**
     * {@inheritDoc}
     *
     * @throws SnapshotTooLargeException when the stored file is larger than the deployment accepts: the trigger is
     *     refused before a run exists, with the same reason a run reading it would fail with
     */
    @Override
    public boolean exists(UUID installationId, String snapshotId) {
        if (!isValidId(snapshotId)) {
            return false;
        }
        Optional<StoredBlob> stored = blobs.describe(key(installationId, snapshotId));
        stored.ifPresent(this::requireUploadWithinLimit);
        return stored.isPresent();
    }

    @Override
    public Lines open(UUID installationId, String snapshotId) {
        if (!isValidId(snapshotId)) {
            throw new SnapshotNotFoundException(snapshotId);
        }
        Blob blob = blobs.open(key(installationId, snapshotId)).orElseThrow(() -> new SnapshotNotFoundException(snapshotId));
        try {
            requireUploadWithinLimit(blob.info());
        } catch (SnapshotTooLargeException e) {
            abort(blob.content());
            throw e;
        }
        return new S3Lines(blob.content(), limits);
    }

    /*
     * A presigned PUT cannot carry a size limit (only a POST policy's content-length-range can), so an uploaded file
     * is as large as its uploader made it: its size is checked here, from the stored object's length, before it is read.
     */
    private void requireUploadWithinLimit(StoredBlob stored) {
        if (stored.size() > limits.maxUploadBytes()) {
            throw new SnapshotTooLargeException("the snapshot file is " + stored.size() + " bytes, more than the "
                    + limits.maxUploadBytes() + " bytes this deployment accepts (" + Config.SNAPSHOT_MAX_UPLOAD_BYTES + "); nothing"
                    + " was sent. Upload it gzip-compressed, or split the catalog, or ask the operator to raise the limit");
        }
    }

    private static SnapshotTooLargeException tooLarge(NdjsonSnapshotReader.LimitExceededException e) {
        String limit = switch (e.limit()) {
            case BYTES -> "more than " + e.max() + " bytes once decompressed, the limit of this deployment (" + Config.SNAPSHOT_MAX_BYTES + ")";
            case LINES -> "more than " + e.max() + " lines, the limit of this deployment (" + Config.SNAPSHOT_MAX_LINES + ")";
        };
        return new SnapshotTooLargeException("the snapshot holds " + limit + "; reading stopped there and nothing was sent."
                + " Export a smaller catalog (or split it across installations), or ask the operator to raise the limit");
    }

    /** Closing a half-read response would read the rest of a possibly huge object first. */
    private static void abort(InputStream content) {
        if (content instanceof ResponseInputStream<?> response) {
            response.abort();
        }
    }

    /**
     * Lines read from the object as they are consumed; the reader tells gzip from plain text by its magic bytes. The
     * stored bytes pass through a SHA-256 digest on the way, so the run records what exactly it read.
     */
    private static final class S3Lines implements Lines {
        private final InputStream content;
        private final DigestInputStream digesting;
        private final NdjsonSnapshotReader reader;
        private boolean exhausted;
        private String sha256;

        S3Lines(InputStream content, Config.Snapshots limits) {
            this.content = content;
            try {
                this.digesting = new DigestInputStream(content, MessageDigest.getInstance("SHA-256"));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
            this.reader = new NdjsonSnapshotReader(digesting, NdjsonSnapshotReader.DEFAULT_MAX_LINE_BYTES,
                    new NdjsonSnapshotReader.Limits(limits.maxBytes(), limits.maxLines()));
        }

        @Override
        public boolean hasNext() {
            try {
                boolean more = reader.hasNext();
                if (!more && !exhausted) {
                    // A decompressor may stop before the last bytes (padding after the gzip trailer): count them too.
                    digesting.transferTo(OutputStream.nullOutputStream());
                    sha256 = HexFormat.of().formatHex(digesting.getMessageDigest().digest());
                }
                exhausted = !more;
                return more;
            } catch (NdjsonSnapshotReader.LimitExceededException e) {
                throw tooLarge(e);
            } catch (UncheckedIOException e) {
                throw unreadable(e);
            } catch (IOException e) {
                throw unreadable(new UncheckedIOException(e));
            }
        }

        @Override
        public Optional<String> sha256() {
            return Optional.ofNullable(sha256);
        }

        @Override
        public SnapshotLine next() {
            try {
                return reader.next();
            } catch (NdjsonSnapshotReader.LimitExceededException e) {
                throw tooLarge(e);
            } catch (UncheckedIOException e) {
                throw unreadable(e);
            }
        }

        /**
         * Corrupt content (a truncated or damaged gzip stream) fails the run for good: reading it again gives the
         * same bytes. Any other read failure (a dropped connection) is left to the retry of the message.
         */
        private static RuntimeException unreadable(UncheckedIOException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof java.util.zip.ZipException || cause instanceof java.io.EOFException) {
                    return new SnapshotUnreadableException(e.getMessage() + "; upload the file again, whole");
                }
            }
            return e;
        }

        @Override
        public void close() {
            if (!exhausted) {
                abort(content);
            }
            reader.close();
        }
    }
}
