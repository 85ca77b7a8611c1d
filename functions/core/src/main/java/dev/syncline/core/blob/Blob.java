package dev.syncline.core.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/** An open object: its description and a stream of its bytes, which the holder must close. */
public record Blob(StoredBlob info, InputStream content) implements AutoCloseable {

    public Blob {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(content, "content");
    }

    @Override
    public void close() {
        try {
            content.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
