package dev.syncline.adapters.disk;

import dev.syncline.adapters.compression.Compression;
import dev.syncline.core.plan.ShardSpill;
import dev.syncline.core.snapshot.Resource;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.ResourceType;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A {@link ShardSpill} in compressed files on local disk ({@code /tmp} in a Lambda), one per non-empty shard, in a
 * directory of its own that {@link #close()} deletes.
 *
 * <p>Each shard's records collect in memory until they reach {@value #BLOCK_BYTES} bytes, then go to the end of
 * that shard's file as one block (one zstd frame: a file of several frames reads back as one stream). No file
 * stays open between blocks, so 256 shards, or 4096, never exhaust file handles, and memory holds at most one
 * block per shard and {@value #BUFFER_BUDGET} bytes in all, whatever the size of the snapshot. Writing whole
 * blocks also keeps compression good: a writer that reopened a file per record would start a frame per record.
 *
 * <p>A block holds its records' line numbers and rejected keys first, then the accepted resources in the spill's
 * own binary form ({@link SpilledResources}): a resource was read and validated from the snapshot once, and is not
 * written out as JSON and parsed again on its way through the spill. Blocks are compressed as {@link Compression}
 * compresses.
 *
 * <p>Not thread-safe: the planner adds from one thread, then reads shard by shard.
 */
public final class LocalDiskShardSpill implements ShardSpill {

    /** Records collect per shard up to about this many bytes before they are written out. */
    static final int BLOCK_BYTES = 64 * 1024;
    /** With more shards than fit, the largest pending block is written early. */
    static final long BUFFER_BUDGET = 16L * 1024 * 1024;
    private static final byte ACCEPTED = 0;
    private static final byte REJECTED = 1;

    private final Path directory;
    private final Map<Integer, Block> pending = new HashMap<>();
    private final List<ShardReader> openReaders = new ArrayList<>();
    /** One block at a time, before it is compressed: its counts, its metadata, its resources. */
    private final SpilledResources.Output blockBytes = new SpilledResources.Output(BLOCK_BYTES + 4 * 1024);
    private final Compression.Blocks compressor = new Compression.Blocks();
    private long pendingBytes;
    private boolean reading;
    private boolean closed;

    private LocalDiskShardSpill(Path directory) {
        this.directory = directory;
    }

    /** A spill in a new directory under {@code baseDirectory}, which must exist. */
    public static LocalDiskShardSpill create(Path baseDirectory) {
        try {
            return new LocalDiskShardSpill(Files.createTempDirectory(baseDirectory, "syncline-spill-"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a spill directory under " + baseDirectory, e);
        }
    }

    /** Creates a fresh spill, under {@code baseDirectory}, each time one is asked for: what the planner takes. */
    public static Supplier<ShardSpill> factory(Path baseDirectory) {
        Objects.requireNonNull(baseDirectory, "baseDirectory");
        return () -> create(baseDirectory);
    }

    /** Spills under {@code java.io.tmpdir}: {@code /tmp}, the ephemeral storage of a Lambda. */
    public static Supplier<ShardSpill> factory() {
        return factory(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** The directory this spill writes to. */
    public Path directory() {
        return directory;
    }

    /** The bytes of records held in memory, not yet written to disk. */
    long bufferedBytes() {
        return pendingBytes;
    }

    @Override
    public void add(int shard, Spilled record) {
        Objects.requireNonNull(record, "record");
        if (shard < 0) {
            throw new IllegalArgumentException("shard must not be negative, got " + shard);
        }
        if (closed || reading) {
            throw new IllegalStateException(closed ? "the spill is closed" : "every record must be added before the first read");
        }
        Block block = pending.computeIfAbsent(shard, Block::new);
        long before = block.size();
        block.add(record);
        pendingBytes += block.size() - before;
        if (block.size() >= BLOCK_BYTES) {
            writeOut(block);
        } else if (pendingBytes > BUFFER_BUDGET) {
            writeOut(pending.values().stream().max(Comparator.comparingLong(Block::size)).orElseThrow());
        }
    }

    @Override
    public Iterator<Spilled> read(int shard) {
        if (closed) {
            throw new IllegalStateException("the spill is closed");
        }
        if (!reading) {
            reading = true;
            for (Block block : List.copyOf(pending.values())) {
                writeOut(block);
            }
        }
        Path file = file(shard);
        if (!Files.exists(file)) {
            return Collections.emptyIterator();
        }
        ShardReader reader = new ShardReader(file);
        openReaders.add(reader);
        return reader;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        pending.clear();
        compressor.close();
        for (ShardReader reader : openReaders) {
            reader.release();
        }
        openReaders.clear();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the spill directory " + directory, e);
        }
    }

    private Path file(int shard) {
        String number = Integer.toString(shard); // zero-padded to 5 digits, without a format string once per block
        return directory.resolve("shard-" + "0".repeat(Math.max(0, 5 - number.length())) + number + ".spill.zst");
    }

    private void writeOut(Block block) {
        pending.remove(block.shard);
        pendingBytes -= block.size();
        try (OutputStream file = Files.newOutputStream(file(block.shard), StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            blockBytes.reset();
            blockBytes.putInt(block.count);
            blockBytes.putInt(block.meta.size());
            blockBytes.put(block.meta.bytes(), block.meta.size());
            blockBytes.putInt(block.resources.size());
            blockBytes.put(block.resources.bytes(), block.resources.size());
            compressor.write(blockBytes.bytes(), 0, blockBytes.size(), file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write to the spill directory " + directory, e);
        }
    }

    /** One shard's records not yet written: their metadata, and their resources. */
    private static final class Block {
        private final int shard;
        private final SpilledResources.Output meta = new SpilledResources.Output(1024);
        private final SpilledResources.Output resources = new SpilledResources.Output(8 * 1024);
        private int count;

        Block(int shard) {
            this.shard = shard;
        }

        void add(Spilled record) {
            meta.putLong(record.lineNumber());
            if (record.resource() != null) {
                meta.put(ACCEPTED);
                SpilledResources.write(resources, record.resource());
            } else {
                meta.put(REJECTED);
                meta.put(record.rejectedKey().type().ordinal());
                byte[] id = record.rejectedKey().id().getBytes(StandardCharsets.UTF_8);
                meta.putInt(id.length);
                meta.put(id, id.length);
            }
            count++;
        }

        long size() {
            return (long) meta.size() + resources.size();
        }
    }

    /** Reads one shard's file block by block; holds the file open until the last record or {@link #close()}. */
    private final class ShardReader implements Iterator<Spilled> {
        private final Path file;
        private DataInputStream in;
        private boolean done;
        private final List<Meta> metadata = new ArrayList<>();
        private int position;
        private ByteBuffer resources;
        private Spilled next;

        ShardReader(Path file) {
            this.file = file;
        }

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            if (done) {
                return false;
            }
            if (closed) {
                throw new IllegalStateException("the spill is closed");
            }
            try {
                if (in == null) {
                    in = new DataInputStream(Compression.decompressing(Files.newInputStream(file)));
                }
                if (position == metadata.size() && !readBlock()) {
                    release();
                    return false;
                }
                Meta record = metadata.get(position++);
                next = record.rejectedKey() == null
                        ? Spilled.accepted(record.lineNumber(), nextResource())
                        : Spilled.rejected(record.lineNumber(), record.rejectedKey());
                return true;
            } catch (IOException e) {
                release();
                throw new UncheckedIOException("Cannot read the spill file " + file, e);
            }
        }

        @Override
        public Spilled next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Spilled record = next;
            next = null;
            return record;
        }

        /** Reads the next block's metadata and opens its resource lines; false at the end of the file. */
        private boolean readBlock() throws IOException {
            if (resources != null && resources.hasRemaining()) {
                throw new IllegalStateException("The spill file " + file + " is corrupt: a block has more resources than records");
            }
            metadata.clear();
            position = 0;
            int count;
            try {
                count = in.readInt();
            } catch (EOFException end) {
                return false;
            }
            in.readInt(); // the metadata's size in bytes: lets a reader skip a block; this one reads it all
            for (int i = 0; i < count; i++) {
                long lineNumber = in.readLong();
                if (in.readByte() == ACCEPTED) {
                    // The resource itself comes from the block's NDJSON lines, in the same order.
                    metadata.add(new Meta(lineNumber, null));
                } else {
                    ResourceType type = ResourceType.values()[in.readByte()];
                    byte[] id = in.readNBytes(in.readInt());
                    metadata.add(new Meta(lineNumber, new ResourceKey(type, new String(id, StandardCharsets.UTF_8))));
                }
            }
            int size = in.readInt();
            byte[] bytes = in.readNBytes(size);
            if (bytes.length < size) {
                throw new EOFException("the spill file ends inside a block");
            }
            resources = ByteBuffer.wrap(bytes);
            return count > 0 || readBlock();
        }

        private Resource nextResource() {
            if (!resources.hasRemaining()) {
                throw new IllegalStateException("The spill file " + file + " is corrupt: a block has fewer resources than records");
            }
            try {
                return SpilledResources.read(resources);
            } catch (BufferUnderflowException | IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new IllegalStateException("The spill file " + file + " holds a resource that does not read back: " + e.getMessage(), e);
            }
        }

        void release() {
            done = true;
            next = null;
            if (in != null) {
                try {
                    in.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    in = null;
                }
            }
        }
    }

    /** A record as its block's metadata has it: a rejected key, or null for an accepted resource. */
    private record Meta(long lineNumber, ResourceKey rejectedKey) {
    }
}
