package dev.syncline.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Where the local stack keeps what must survive a restart: DynamoDB and S3 state, the API key the PIM side uses,
 * the key that encrypts installations' shared secrets, and the log of the current start. SQS lives in memory: a
 * restart loses in-flight messages, which the reconciler releases again for runs that were executing.
 *
 * <p>Held with a file lock while the stack runs, so that a second start on the same directory is refused with a
 * message instead of failing inside dynalite's LevelDB.
 */
final class DataDirectory implements AutoCloseable {

    /** Marks a directory as one the local stack made, so that {@code --wipe} never deletes anything else. */
    static final String MARKER = ".syncline-local";
    static final String API_KEY_FILE = "api-key";
    static final String SECRETS_KEY_FILE = "secrets-key";
    static final String TENANT_KEY_FILE = "tenant-key";
    static final String LOG_FILE = "logs/syncline.log";
    /** The functions' metric lines, which {@code GET /v1/metrics} reads. */
    static final String METRICS_FILE = "logs/metrics.ndjson";

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(Path root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens (creating it if needed) the data directory and locks it.
     *
     * @param wipe delete everything in it first; refused for a directory the local stack did not make
     * @throws LocalStackException saying what to change when the directory cannot be used
     */
    static DataDirectory open(Path directory, boolean wipe) {
        Path root = directory.toAbsolutePath().normalize();
        if (wipe) {
            wipe(root);
        }
        try {
            Files.createDirectories(root.resolve("logs"));
            Path marker = root.resolve(MARKER);
            if (!Files.exists(marker)) {
                Files.writeString(marker, """
                        State of a local Syncline stack (./syncline-local): dynamodb/ (dynalite), s3/ (S3Proxy), the API key,
                        the key that encrypts installations' shared secrets, logs/. Delete this directory, or start with --wipe,
                        to begin again from nothing.
                        """, StandardCharsets.UTF_8);
            }
        } catch (FileSystemException e) {
            throw new LocalStackException("Cannot use " + root + " as the data directory (" + e.getReason() + " for " + e.getFile()
                    + "); choose another with --data-dir.", e);
        } catch (IOException e) {
            throw new LocalStackException("Cannot use " + root + " as the data directory: " + e.getMessage() + "; choose another with --data-dir.", e);
        }
        return lock(root);
    }

    private static DataDirectory lock(Path root) {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new LocalStackException("Another local Syncline is running on the data directory " + root
                        + "; stop it (Ctrl-C in its terminal) or give this one another directory with --data-dir.");
            }
            return new DataDirectory(root, channel, lock);
        } catch (OverlappingFileLockException e) {
            throw new LocalStackException("This process already holds the data directory " + root + ".", e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new LocalStackException("Cannot lock the data directory " + root + ": " + e.getMessage(), e);
        }
    }

    private static void wipe(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> entries = Files.list(root)) {
            boolean empty = entries.findAny().isEmpty();
            if (!empty && !Files.exists(root.resolve(MARKER))) {
                throw new LocalStackException("--wipe refuses to delete " + root + ": it is not a directory the local stack made"
                        + " (it has no " + MARKER + " file). Delete it yourself or choose another --data-dir.");
            }
        } catch (IOException e) {
            throw new LocalStackException("Cannot read " + root + " for --wipe: " + e.getMessage(), e);
        }
        if (Files.exists(root.resolve(".lock"))) {
            // Wiping under a running stack would pull its tables from under it.
            lock(root).close();
        }
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new LocalStackException("Could not delete " + root + " for --wipe: " + e.getMessage(), e);
        }
    }

    Path root() {
        return root;
    }

    Path log() {
        return root.resolve(LOG_FILE);
    }

    /** Whether the emulators' state from an earlier start is here. */
    boolean hasState() {
        return Files.isDirectory(root.resolve("dynamodb")) && !isEmpty(root.resolve("dynamodb"));
    }

    /** The API key of this data directory, made on its first start, so that scripts and bookmarks keep working. */
    String apiKey() {
        return readOrCreate(API_KEY_FILE, () -> "sl-local-" + HexFormat.of().formatHex(randomBytes(20)));
    }

    /**
     * The API key of the demo's tenant, issued through the API by {@code issue} on the first demo of this data
     * directory, so that the demo's installations stay the tenant's across restarts.
     */
    String tenantKey(Supplier<String> issue) {
        return readOrCreate(TENANT_KEY_FILE, issue);
    }

    /** The key installations' shared secrets are encrypted with; without the same key they could not be read again. */
    String secretsKey() {
        return readOrCreate(SECRETS_KEY_FILE, LocalSyncline::newSecretsKey);
    }

    private String readOrCreate(String name, Supplier<String> create) {
        Path file = root.resolve(name);
        try {
            if (Files.exists(file)) {
                String value = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!value.isEmpty()) {
                    return value;
                }
            }
            String value = create.get();
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
            Files.writeString(file, value + "\n", StandardCharsets.UTF_8);
            return value;
        } catch (IOException e) {
            throw new LocalStackException("Cannot read or write " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean isEmpty(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return true;
        }
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Already failing; the caller reports the first problem.
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // The lock goes with the process anyway.
        }
    }
}
