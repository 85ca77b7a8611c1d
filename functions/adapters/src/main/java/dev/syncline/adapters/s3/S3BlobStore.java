package dev.syncline.adapters.s3;

import dev.syncline.core.blob.Blob;
import dev.syncline.core.blob.BlobStore;
import dev.syncline.core.blob.StoredBlob;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The blob store on one S3 bucket. Content of unknown length is streamed as a multipart upload, one 8 MiB
 * part in memory at a time, so a multi-gigabyte file passes through a small function.
 */
public final class S3BlobStore implements BlobStore {

    /** S3's minimum part size is 5 MiB; 8 MiB keeps a 10 000-part upload above 80 GB. */
    static final int PART_SIZE = 8 * 1024 * 1024;

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;

    public S3BlobStore(S3Client s3, S3Presigner presigner, String bucket) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
    }

    @Override
    public StoredBlob put(String key, InputStream content, long length, String contentType) {
        // Every request body is at most one part held in memory, whatever the length: a call then takes as long as S3
        // takes, never as long as the source (an App's download, a snapshot URL) takes to read, and the S3 call
        // timeouts (Config.AwsCalls) hold for a file of any size.
        byte[] buffer = new byte[length == UNKNOWN_LENGTH || length >= PART_SIZE ? PART_SIZE : (int) length];
        int first = readFully(content, buffer);
        if (first < PART_SIZE) {
            // Small enough for one request: no multipart bookkeeping.
            String etag = s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).contentLength((long) first),
                            RequestBody.fromBytes(java.util.Arrays.copyOf(buffer, first)))
                    .eTag();
            return new StoredBlob(key, first, contentType, etag);
        }
        return putMultipart(key, content, contentType, buffer, first);
    }

    private StoredBlob putMultipart(String key, InputStream content, String contentType, byte[] buffer, int firstPartLength) {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long total = 0;
            int partLength = firstPartLength;
            int partNumber = 1;
            while (partLength > 0) {
                int number = partNumber;
                int size = partLength;
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number).contentLength((long) size),
                                RequestBody.fromBytes(java.util.Arrays.copyOf(buffer, size)))
                        .eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                total += size;
                partNumber++;
                partLength = readFully(content, buffer);
            }
            String etag = s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                            .multipartUpload(m -> m.parts(parts)))
                    .eTag();
            return new StoredBlob(key, total, contentType, etag);
        } catch (RuntimeException e) {
            // Parts of an abandoned upload are billed until aborted.
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            throw e;
        }
    }

    private static int readFully(InputStream content, byte[] buffer) {
        try {
            return content.readNBytes(buffer, 0, buffer.length);
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the content to store failed", e);
        }
    }

    @Override
    public Optional<Blob> open(String key) {
        try {
            ResponseInputStream<GetObjectResponse> stream = s3.getObject(b -> b.bucket(bucket).key(key));
            GetObjectResponse response = stream.response();
            return Optional.of(new Blob(
                    new StoredBlob(key, response.contentLength(), response.contentType(), response.eTag()), stream));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<StoredBlob> describe(String key) {
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
            return Optional.of(new StoredBlob(key, head.contentLength(), head.contentType(), head.eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }

    @Override
    public URI presignUpload(String key, String contentType, Duration ttl) {
        return URI.create(presigner.presignPutObject(p -> p.signatureDuration(ttl)
                        .putObjectRequest(o -> o.bucket(bucket).key(key).contentType(contentType).ifNoneMatch("*")))
                .url()
                .toString());
    }

    @Override
    public URI presignDownload(String key, Duration ttl) {
        return URI.create(presigner.presignGetObject(p -> p.signatureDuration(ttl)
                        .getObjectRequest(o -> o.bucket(bucket).key(key)))
                .url()
                .toString());
    }
}
