package dev.syncline.core.blob;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Object storage for snapshots, plan chunks and generated files. Content is streamed both ways: nothing
 * here holds a whole object in memory, so multi-gigabyte files pass through a small function.
 */
public interface BlobStore {

    /**
     * Stores {@code content} under {@code key}, replacing what was there in one step (a reader sees the
     * old object or the new one, never a mix).
     *
     * @param length the number of bytes, or {@link #UNKNOWN_LENGTH} to stream content of unknown size
     */
    StoredBlob put(String key, InputStream content, long length, String contentType);

    /** Opens {@code key} for reading; the caller closes the returned blob. */
    Optional<Blob> open(String key);

    /** Describes {@code key} without reading it. */
    Optional<StoredBlob> describe(String key);

    void delete(String key);

    /**
     * A URL through which a client without AWS credentials can PUT the object once, valid for {@code ttl}: the
     * client sends {@code If-None-Match: *}, and a PUT to a key that exists is refused (412), so what was uploaded
     * and used cannot be replaced behind its id.
     */
    URI presignUpload(String key, String contentType, Duration ttl);

    /** A URL through which a client without AWS credentials can GET the object, valid for {@code ttl}. */
    URI presignDownload(String key, Duration ttl);

    long UNKNOWN_LENGTH = -1;
}
