package dev.syncline.core.file;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A stored file as the object store describes it, without reading it.
 *
 * @param etag the store's entity tag, quoted as HTTP sends it
 * @param lastModified when it was last written (whole seconds on S3)
 * @param contentDisposition as stored, or null
 * @param metadata user metadata stored with it
 */
public record FileObject(String key, long size, String contentType, String etag, Instant lastModified,
                         String contentDisposition, Map<String, String> metadata) {

    public FileObject {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(lastModified, "lastModified");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
