package dev.syncline.bench;

import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.metrics.EmfMetrics;
import dev.syncline.core.delivery.ChunkRef;
import dev.syncline.core.sync.Phase;
import dev.syncline.core.telemetry.Signal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * What the worker's metrics cost per delivered entry: the Embedded Metric Format line of one chunk of 100 entries
 * (its size is what CloudWatch Logs bills at ingestion), and the time to gather and format it, against the time a
 * chunk takes in the worker. Prints the figures; nothing is asserted.
 */
public final class MetricsBenchmark {

    private static final int ENTRIES = 100;
    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 50_000;
    /** CloudWatch Logs ingestion, us-east-1 list price per GB, as in docs/operations.md. */
    private static final double LOGS_PER_GB = 0.50;
    /** A chunk's time in the worker as the end-to-end benchmark measured it. */
    private static final double CHUNK_MILLIS = 1269;

    private MetricsBenchmark() {
    }

    public static void main(String[] arguments) {
        List<String> lines = new ArrayList<>();
        EmfMetrics metrics = EmfMetrics.create(JsonCodec.create(), Clock.systemUTC(), "Syncline/syncline-prod", List.of(lines::add));
        Signal.ChunkDelivered chunk = chunk();
        metrics.report(chunk);
        metrics.flush();
        long bytes = lines.stream().mapToLong(line -> line.getBytes(StandardCharsets.UTF_8).length).sum();

        for (int i = 0; i < WARM_UP; i++) {
            lines.clear();
            metrics.report(chunk);
            metrics.flush();
        }
        long started = System.nanoTime();
        for (int i = 0; i < MEASURED; i++) {
            lines.clear();
            metrics.report(chunk);
            metrics.flush();
        }
        double micros = (System.nanoTime() - started) / 1e3 / MEASURED;

        double bytesPerEntry = (double) bytes / ENTRIES;
        System.out.printf("EMF line of a %d-entry chunk: %d line(s), %d bytes, %.1f bytes per entry%n", ENTRIES, lines.size(), bytes, bytesPerEntry);
        System.out.printf("CloudWatch Logs ingestion: $%.4f per million entries (at $%.2f per GB)%n",
                bytesPerEntry * 1_000_000 / 1e9 * LOGS_PER_GB, LOGS_PER_GB);
        System.out.printf("gather and format one chunk's metrics: %.1f µs (mean of %d after %d warm-up), %.3f%% of a %.0f ms chunk%n",
                micros, MEASURED, WARM_UP, micros / 10 / CHUNK_MILLIS, CHUNK_MILLIS);
    }

    /** A chunk as the sample App's answers make it: latencies spread over 20-420 ms, two failures, three retries. */
    private static Signal.ChunkDelivered chunk() {
        Random random = new Random(42);
        List<Duration> latencies = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i++) {
            latencies.add(Duration.ofMillis(20 + random.nextInt(400)));
        }
        return new Signal.ChunkDelivered(new ChunkRef(UUID.randomUUID(), Phase.PRODUCTS, 7), UUID.randomUUID(), "sample-feed", ENTRIES - 2, 2,
                0, 3, 2, latencies, Duration.ofMillis(1300), 4, 503);
    }
}
