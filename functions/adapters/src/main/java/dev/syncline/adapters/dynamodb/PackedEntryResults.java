package dev.syncline.adapters.dynamodb;

import dev.syncline.core.delivery.EntryResult;
import dev.syncline.core.delivery.EntryStatus;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.ResourceType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * A chunk's entry results (without customs) as one binary value, for the chunk item's {@code packed} attribute.
 * DynamoDB bills a write per started KB of the item, and a chunk's entries as a list of maps take about 75 bytes
 * each, most of it the same field names, events and statuses again; packed they take a few bytes each beside the
 * resource id.
 *
 * <p>The value is deflated; inflated it is a format byte ({@value #FORMAT}), the number of entries, then per entry:
 * index, resource type, resource id, event, status, attempts, last HTTP status, duration in milliseconds, flags
 * (1: an error follows, 2: throttled), the error (its excerpt, as in the list of maps). Counts and lengths are unsigned LEB128 varints, the entry's numbers
 * zigzag varints, texts a varint of their UTF-8 length and the bytes.
 */
final class PackedEntryResults {

    static final int FORMAT = 1;

    private static final int HAS_ERROR = 1;
    private static final int THROTTLED = 2;
    /** More than any chunk holds: a count past it is a damaged value, not a reason to allocate. */
    private static final int MAX_ENTRIES = 1_000_000;

    private PackedEntryResults() {
    }

    /** The entries packed; their customs are left out. */
    static byte[] pack(List<EntryResult> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 * entries.size() + 16);
        try (DataOutputStream out = new DataOutputStream(new DeflaterOutputStream(bytes, new Deflater(Deflater.BEST_COMPRESSION)))) {
            out.writeByte(FORMAT);
            writeNumber(out, entries.size());
            for (EntryResult entry : entries) {
                writeWhole(out, entry.index());
                writeText(out, entry.resource().type().wireName());
                writeText(out, entry.resource().id());
                writeText(out, entry.event());
                writeText(out, entry.status().wireName());
                writeWhole(out, entry.attempts());
                writeWhole(out, entry.lastHttpStatus());
                writeWhole(out, entry.durationMillis());
                out.writeByte((entry.error() != null ? HAS_ERROR : 0) | (entry.throttled() ? THROTTLED : 0));
                if (entry.error() != null) {
                    writeText(out, DynamoDbChunkResults.excerpt(entry.error()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("packing entry results in memory", e);
        }
        return bytes.toByteArray();
    }

    /** The entries {@link #pack} packed, in their order, without customs. */
    static List<EntryResult> unpack(byte[] packed) {
        try (DataInputStream in = new DataInputStream(new InflaterInputStream(new ByteArrayInputStream(packed)))) {
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new IllegalStateException("packed entry results of format " + format + ", this version reads format " + FORMAT);
            }
            int count = (int) readNumber(in, MAX_ENTRIES);
            List<EntryResult> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int index = (int) readWhole(in);
                ResourceType type = ResourceType.valueOf(readText(in).toUpperCase(Locale.ROOT));
                String id = readText(in);
                String event = readText(in);
                EntryStatus status = EntryStatus.valueOf(readText(in).toUpperCase(Locale.ROOT));
                int attempts = (int) readWhole(in);
                int httpStatus = (int) readWhole(in);
                long millis = readWhole(in);
                int flags = in.readUnsignedByte();
                String error = (flags & HAS_ERROR) != 0 ? readText(in) : null;
                entries.add(new EntryResult(index, new ResourceKey(type, id), event, status, attempts, httpStatus, error, millis, null,
                        (flags & THROTTLED) != 0));
            }
            return entries;
        } catch (EOFException e) {
            throw new IllegalStateException("packed entry results end early", e);
        } catch (IOException e) {
            throw new UncheckedIOException("unpacking entry results in memory", e);
        }
    }

    /** Any whole number, zigzag-encoded so that small negative ones stay short too. */
    private static void writeWhole(OutputStream out, long value) throws IOException {
        writeNumber(out, (value << 1) ^ (value >> 63));
    }

    private static long readWhole(InputStream in) throws IOException {
        long zigzag = readNumber(in);
        return (zigzag >>> 1) ^ -(zigzag & 1);
    }

    private static void writeNumber(OutputStream out, long value) throws IOException {
        long rest = value;
        while ((rest & ~0x7fL) != 0) {
            out.write((int) (rest & 0x7f) | 0x80);
            rest >>>= 7;
        }
        out.write((int) rest);
    }

    private static long readNumber(InputStream in, long max) throws IOException {
        long value = readNumber(in);
        if (value < 0 || value > max) {
            throw new IllegalStateException("packed entry results hold " + value + " where at most " + max + " fits");
        }
        return value;
    }

    /** An unsigned LEB128 number of up to 64 bits. */
    private static long readNumber(InputStream in) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int next = in.read();
            if (next < 0) {
                throw new EOFException();
            }
            value |= (long) (next & 0x7f) << shift;
            if ((next & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalStateException("packed entry results hold a number longer than 64 bits");
    }

    private static void writeText(OutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        writeNumber(out, utf8.length);
        out.write(utf8);
    }

    private static String readText(DataInputStream in) throws IOException {
        byte[] utf8 = new byte[(int) readNumber(in, 1 << 20)];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
