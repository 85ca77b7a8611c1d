package dev.syncline.core.file;

import dev.syncline.core.blob.Blob;
import dev.syncline.core.blob.StoredBlob;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Object storage for generated files and feeds. Nothing here holds a whole file in memory.
 */
public interface FileStore {

    /** Streams {@code content} of unknown length to {@code key} (multipart above one part). */
    StoredBlob put(String key, InputStream content, String contentType);

    Optional<FileObject> describe(String key);

    /** Opens {@code key}, all of it or one range; the caller closes the blob. */
    Optional<Blob> open(String key, Optional<ByteRange> range);

    /**
     * Copies {@code from} over {@code to} in one step: a reader of {@code to} sees the old object or the new one,
     * never a mix or nothing.
     */
    void publish(String from, long size, String to, String contentType, String contentDisposition, Map<String, String> metadata);

    void delete(String key);

    /**
     * A URL through which a client without credentials can GET {@code key} for {@code ttl}, answered with this
     * content type and disposition.
     */
    URI presignDownload(String key, Duration ttl, String contentType, String contentDisposition);

    /** The object's own URL (readable without signing only where the bucket makes it public). */
    URI location(String key);
}
