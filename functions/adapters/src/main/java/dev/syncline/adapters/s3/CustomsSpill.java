package dev.syncline.adapters.s3;

import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.s3.S3DeliveredStateFiles.CustomsLine;
import dev.syncline.adapters.s3.S3DeliveredStateFiles.Key;
import dev.syncline.core.plan.DeliveredState;
import dev.syncline.core.snapshot.ResourceKey;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The customs of the deliveries a planning pass folds, per shard, on local disk beside the spilled states: one
 * JSON line per delivered entry in the order delivered, so that a shard's latest customs come back without holding
 * every delivery's customs in memory. Not thread-safe: a pass adds from one thread, then reads shard by shard.
 */
final class CustomsSpill implements AutoCloseable {

    private final JsonCodec json;
    private final Map<Integer, BufferedWriter> writers = new TreeMap<>();
    private Path directory;

    CustomsSpill(JsonCodec json) {
        this.json = json;
    }

    /** Keeps the customs the App holds after {@code delivered}: none after a deletion. */
    void add(int shard, DeliveredState.Delivered delivered) {
        try {
            BufferedWriter writer = writers.get(shard);
            if (writer == null) {
                if (directory == null) {
                    directory = Files.createTempDirectory("syncline-customs-");
                }
                writer = Files.newBufferedWriter(file(shard), StandardCharsets.UTF_8);
                writers.put(shard, writer);
            }
            writer.write(json.write(new CustomsLine(delivered.key().type().wireName(), delivered.key().id(),
                    delivered.isDeletion() ? Map.of() : delivered.customs())));
            writer.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write to the customs spill " + directory, e);
        }
    }

    /** Ends the adding: every shard's lines are on disk. */
    void finishWriting() {
        try {
            for (BufferedWriter writer : writers.values()) {
                writer.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write to the customs spill " + directory, e);
        }
    }

    /** The latest customs of each resource of the shard that was delivered: null where the delivery did not know them. */
    Map<ResourceKey, Map<String, Object>> latest(int shard) {
        Map<ResourceKey, Map<String, Object>> latest = new HashMap<>();
        if (!writers.containsKey(shard)) {
            return latest;
        }
        try (BufferedReader lines = Files.newBufferedReader(file(shard), StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                CustomsLine customs = json.read(line, CustomsLine.class);
                latest.put(new Key(customs.type(), customs.id()).toResourceKey(), customs.customs());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the customs spill " + directory, e);
        }
        return latest;
    }

    /** Deletes what was spilled. */
    @Override
    public void close() {
        if (directory == null) {
            return;
        }
        try {
            finishWriting();
        } catch (UncheckedIOException e) {
            // closing anyway
        }
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the customs spill " + directory, e);
        }
        directory = null;
    }

    private Path file(int shard) {
        return directory.resolve("shard-" + shard + ".ndjson");
    }
}
