package dev.syncline.core.blob;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A stream that fails as soon as more than {@code limit} bytes have passed through it, so that a source of
 * unknown size (a download, a decompressor) is never read further than the caller allows. What went past the
 * limit is at most one read's worth.
 */
public final class BoundedInputStream extends FilterInputStream {

    private final long limit;
    private final Supplier<? extends IOException> pastLimit;
    private long count;

    /**
     * @param limit the most bytes read without failing
     * @param pastLimit the exception a read past the limit throws
     */
    public BoundedInputStream(InputStream in, long limit, Supplier<? extends IOException> pastLimit) {
        super(Objects.requireNonNull(in, "in"));
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, got " + limit);
        }
        this.limit = limit;
        this.pastLimit = Objects.requireNonNull(pastLimit, "pastLimit");
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        counted(skipped);
        return skipped;
    }

    private void counted(long n) throws IOException {
        count += n;
        if (count > limit) {
            throw pastLimit.get();
        }
    }
}
