package dev.syncline.adapters.json;

import dev.syncline.core.blob.BoundedInputStream;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.SnapshotLine;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.zip.GZIPInputStream;

/**
 * Reads a snapshot in Syncline's NDJSON format (docs/snapshot-format.md), plain or gzip-compressed, one line at
 * a time: memory holds one line, at most {@code maxLineBytes}, whatever the size of the file. Each non-blank
 * line becomes a {@link SnapshotLine}: accepted with its normalized resource, or rejected with its 1-based line
 * number, a reason that says what to fix, and the resource's key when the line had a readable one. Duplicate
 * keys are not looked for here: the planner sees them, shard by shard.
 *
 * <p>Not thread-safe. Closing the reader closes the stream. A stream that fails to read (a truncated gzip
 * file, a broken connection) throws {@link UncheckedIOException} from {@link #hasNext()}: that is the whole
 * snapshot failing, not one bad line. A snapshot past its {@link Limits} throws {@link LimitExceededException} as soon
 * as it crosses one, without reading further.
 */
public final class NdjsonSnapshotReader implements Iterator<SnapshotLine>, AutoCloseable {

    /** The default limit of one line: 1 MiB, far above any real product, small enough for a Lambda. */
    public static final int DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

    private static final int GZIP_MAGIC_FIRST = 0x1f;
    private static final int GZIP_MAGIC_SECOND = 0x8b;
    private static final int GZIP_BUFFER_BYTES = 64 * 1024;

    private final InputStream source;
    private final int maxLineBytes;
    private final Limits limits;
    private NdjsonLines lines;
    private SnapshotLine next;
    private boolean closed;

    public NdjsonSnapshotReader(InputStream snapshot) {
        this(snapshot, DEFAULT_MAX_LINE_BYTES);
    }

    /** @param maxLineBytes the longest line accepted, in bytes, not counting its line break */
    public NdjsonSnapshotReader(InputStream snapshot, int maxLineBytes) {
        this(snapshot, maxLineBytes, Limits.NONE);
    }

    /**
     * @param maxLineBytes the longest line accepted, in bytes, not counting its line break
     * @param limits how large the whole snapshot may be
     */
    public NdjsonSnapshotReader(InputStream snapshot, int maxLineBytes, Limits limits) {
        this.source = Objects.requireNonNull(snapshot, "snapshot");
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be at least 1, got " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (closed) {
            return false;
        }
        try {
            if (lines == null) {
                // Counted after the decompressor: a small gzip file can unpack to terabytes.
                lines = new NdjsonLines(new BoundedInputStream(decompressed(source), limits.maxBytes(), PastByteLimit::new), maxLineBytes);
            }
            while (lines.next()) {
                if (lines.number() > limits.maxLines()) {
                    throw new LimitExceededException(LimitExceededException.Limit.LINES, limits.maxLines());
                }
                if (lines.tooLong()) {
                    next = oversized();
                    return true;
                }
                if (!lines.isBlank()) {
                    next = NdjsonResourceParser.parse(lines.number(), lines.bytes(), lines.length());
                    return true;
                }
            }
            return false;
        } catch (PastByteLimit e) {
            throw new LimitExceededException(LimitExceededException.Limit.BYTES, limits.maxBytes());
        } catch (IOException e) {
            long line = lines == null ? 0 : lines.number();
            throw new UncheckedIOException((line == 0 ? "the snapshot could not be read, not even its first line"
                    : "the snapshot could not be read past line " + line) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public SnapshotLine next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the snapshot has no more lines");
        }
        SnapshotLine line = next;
        next = null;
        return line;
    }

    /** The remaining lines as a stream that closes this reader when it is closed. */
    public Stream<SnapshotLine> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(this::close);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        next = null;
        try {
            source.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SnapshotLine oversized() {
        ResourceKey key = NdjsonResourceParser.keyFromPrefix(lines.bytes(), lines.length());
        return new SnapshotLine.Rejected(lines.number(), "line longer than the limit of " + maxLineBytes
                + " bytes; it is skipped: shorten its values (long texts, large arrays) to fit the limit", key);
    }

    /** Gzip is recognized by its magic bytes, whatever the file is called or however it was uploaded. */
    private static InputStream decompressed(InputStream in) throws IOException {
        PushbackInputStream peekable = new PushbackInputStream(in, 2);
        byte[] magic = peekable.readNBytes(2);
        peekable.unread(magic);
        boolean gzip = magic.length == 2 && (magic[0] & 0xff) == GZIP_MAGIC_FIRST && (magic[1] & 0xff) == GZIP_MAGIC_SECOND;
        return gzip ? new GZIPInputStream(peekable, GZIP_BUFFER_BYTES) : peekable;
    }

    /**
     * How large a whole snapshot may be, counted as it is read: the bytes after decompression, so that a small gzip
     * file that unpacks to terabytes is stopped at the limit, and the lines, blank ones included.
     */
    public record Limits(long maxBytes, long maxLines) {

        /** No limit: for files Syncline wrote itself. */
        public static final Limits NONE = new Limits(Long.MAX_VALUE, Long.MAX_VALUE);

        public Limits {
            if (maxBytes < 1 || maxLines < 1) {
                throw new IllegalArgumentException("limits must be at least 1, got maxBytes=" + maxBytes + ", maxLines=" + maxLines);
            }
        }
    }

    /** The snapshot went past one of its {@link Limits}; what follows the limit was not read. */
    public static final class LimitExceededException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        /** Which limit was crossed. */
        public enum Limit { BYTES, LINES }

        private final Limit limit;
        private final long max;

        LimitExceededException(Limit limit, long max) {
            super("the snapshot holds more than " + max + (limit == Limit.BYTES ? " bytes once decompressed" : " lines"));
            this.limit = limit;
            this.max = max;
        }

        public Limit limit() {
            return limit;
        }

        /** The limit's value: bytes or lines. */
        public long max() {
            return max;
        }
    }

    /** Thrown by the byte count deep in the line reader, and answered as a {@link LimitExceededException}. */
    private static final class PastByteLimit extends IOException {
        private static final long serialVersionUID = 1L;
    }
}
