package dev.syncline.core.blob;

import java.util.Objects;

/** What the store knows of an object: its key, size in bytes, content type and entity tag. */
public record StoredBlob(String key, long size, String contentType, String etag) {

    public StoredBlob {
        Objects.requireNonNull(key, "key");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative, got " + size);
        }
    }
}
