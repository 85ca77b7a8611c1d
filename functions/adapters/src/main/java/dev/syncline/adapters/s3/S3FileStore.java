package dev.syncline.adapters.s3;

import dev.syncline.core.blob.Blob;
import dev.syncline.core.blob.BlobStore;
import dev.syncline.core.blob.StoredBlob;
import dev.syncline.core.file.ByteRange;
import dev.syncline.core.file.FileObject;
import dev.syncline.core.file.FileStore;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Generated files and feeds on the bucket: {@code files/<installation>/<run>/<name>} per run, and
 * {@code feeds/<installation>/<segment>/latest.<ext>} per installation (see {@link dev.syncline.core.file.Feed}). Uploads stream through {@link S3BlobStore} (multipart,
 * one 8 MiB part in memory); promotion is a server-side copy, one {@code CopyObject} up to 5 GB and a multipart
 * {@code UploadPartCopy} above, both of which replace the key in one step.
 */
public final class S3FileStore implements FileStore {

    /** CopyObject's limit; larger objects are copied in parts. */
    static final long SINGLE_COPY_LIMIT = 5L * 1024 * 1024 * 1024;
    static final long COPY_PART_SIZE = 512L * 1024 * 1024;

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final BlobStore blobs;

    public S3FileStore(S3Client s3, S3Presigner presigner, String bucket, BlobStore blobs) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
        this.blobs = blobs;
    }

    @Override
    public StoredBlob put(String key, InputStream content, String contentType) {
        return blobs.put(key, content, BlobStore.UNKNOWN_LENGTH, contentType);
    }

    @Override
    public Optional<FileObject> describe(String key) {
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
            return Optional.of(new FileObject(key, head.contentLength(), head.contentType(), head.eTag(), head.lastModified(),
                    head.contentDisposition(), head.metadata()));
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
    public Optional<Blob> open(String key, Optional<ByteRange> range) {
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(key);
        range.ifPresent(r -> request.range("bytes=" + r.first() + "-" + r.last()));
        try {
            ResponseInputStream<GetObjectResponse> stream = s3.getObject(request.build());
            GetObjectResponse response = stream.response();
            return Optional.of(new Blob(new StoredBlob(key, response.contentLength(), response.contentType(), response.eTag()), stream));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    @Override
    public void publish(String from, long size, String to, String contentType, String contentDisposition, Map<String, String> metadata) {
        if (size <= SINGLE_COPY_LIMIT) {
            s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket).destinationKey(to)
                    .metadataDirective(MetadataDirective.REPLACE)
                    .contentType(contentType)
                    .contentDisposition(contentDisposition)
                    .metadata(metadata));
            return;
        }
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(to).contentType(contentType)
                .contentDisposition(contentDisposition).metadata(metadata)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (long first = 0; first < size; first += COPY_PART_SIZE, number++) {
                long last = Math.min(size, first + COPY_PART_SIZE) - 1;
                int part = number;
                String range = "bytes=" + first + "-" + last;
                String etag = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket)
                        .destinationKey(to).uploadId(uploadId).partNumber(part).copySourceRange(range)).copyPartResult().eTag();
                parts.add(CompletedPart.builder().partNumber(part).eTag(etag).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(to).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
        } catch (RuntimeException e) {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(to).uploadId(uploadId));
            throw e;
        }
    }

    @Override
    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }

    @Override
    public URI presignDownload(String key, Duration ttl, String contentType, String contentDisposition) {
        return URI.create(presigner.presignGetObject(p -> p.signatureDuration(ttl)
                        .getObjectRequest(o -> o.bucket(bucket).key(key)
                                .responseContentType(contentType)
                                .responseContentDisposition(contentDisposition)))
                .url()
                .toString());
    }

    @Override
    public URI location(String key) {
        return URI.create(s3.utilities().getUrl(b -> b.bucket(bucket).key(key)).toString());
    }
}
