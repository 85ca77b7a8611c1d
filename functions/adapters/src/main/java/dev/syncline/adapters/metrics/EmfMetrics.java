package dev.syncline.adapters.metrics;

import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.wiring.FunctionLogging;
import dev.syncline.core.telemetry.Signal;
import dev.syncline.core.telemetry.Telemetry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * Turns the engine's {@link Signal}s into metrics and writes them, once per invocation ({@link #flush()}), as
 * CloudWatch Embedded Metric Format lines: on Lambda to standard output, from where CloudWatch Logs extracts them
 * without an API call. The names and units are {@link MetricName}'s; docs/operations.md lists the dimensions.
 *
 * <p>Thread-safe: the local stack runs every function in one process, and a flush writes what any of them gathered.
 * A batch that grows past {@value #FLUSH_AT} values is written at once, so that memory and lines stay bounded
 * whatever an invocation does.
 */
public final class EmfMetrics implements Telemetry {

    /** Values gathered before a batch is written without waiting for the invocation's end. */
    static final int FLUSH_AT = 5_000;

    private static final String APP = "AppId";
    private static final String INSTALLATION = "InstallationId";
    private static final String STATUS = "Status";
    private static final String RUN = "RunId";
    private static final List<List<String>> BY_APP_AND_INSTALLATION = List.of(List.of(APP), List.of(APP, INSTALLATION));
    private static final List<List<String>> BY_APP = List.of(List.of(APP));
    private static final List<List<String>> OVERALL_AND_BY_APP = List.of(List.of(), List.of(APP));
    private static final List<List<String>> OVERALL = List.of(List.of());

    private static final Logger LOG = FunctionLogging.logger(EmfMetrics.class);

    private final JsonCodec json;
    private final Clock clock;
    private final String namespace;
    private final List<Consumer<String>> sinks;
    private final EmfBatch batch = new EmfBatch();

    private EmfMetrics(JsonCodec json, Clock clock, String namespace, List<Consumer<String>> sinks) {
        this.json = json;
        this.clock = clock;
        this.namespace = namespace;
        this.sinks = List.copyOf(sinks);
    }

    /**
     * @param namespace the CloudWatch namespace of every metric
     * @param sinks where each EMF line goes: standard output on Lambda, and in the local stack also the file
     *     {@code GET /v1/metrics} reads
     */
    public static EmfMetrics create(JsonCodec json, Clock clock, String namespace, List<Consumer<String>> sinks) {
        return new EmfMetrics(json, clock, namespace, sinks);
    }

    /** Standard output as it is when a line is written (the local stack moves it to its log file). */
    public static Consumer<String> standardOutput() {
        return line -> System.out.println(line);
    }

    @Override
    public void report(Signal signal) {
        List<Map<String, Object>> full;
        synchronized (batch) {
            gather(signal);
            full = batch.size() >= FLUSH_AT ? batch.drain(namespace, clock.instant()) : List.of();
        }
        write(full);
    }

    /** Writes what was gathered since the last flush; every function calls it at the end of each invocation. */
    public void flush() {
        List<Map<String, Object>> lines;
        synchronized (batch) {
            if (batch.isEmpty()) {
                return;
            }
            lines = batch.drain(namespace, clock.instant());
        }
        write(lines);
    }

    private void write(List<Map<String, Object>> lines) {
        for (Map<String, Object> line : lines) {
            String text = json.write(line);
            for (Consumer<String> sink : sinks) {
                try {
                    sink.accept(text);
                } catch (RuntimeException e) {
                    // Metrics never stop the work they measure: a sink that cannot write loses its lines.
                    LOG.warn("event=metrics_lost error={}", e.toString());
                }
            }
        }
    }

    private void gather(Signal signal) {
        switch (signal) {
            case Signal.RunStarted started -> {
                EmfBatch.Group group = group(started.appId(), started.installationId().toString(), started.runId().toString());
                batch.add(group, MetricName.RUNS_STARTED, OVERALL_AND_BY_APP, 1);
            }
            case Signal.RunEnded ended -> {
                EmfBatch.Group group = new EmfBatch.Group(
                        Map.of(APP, ended.appId(), INSTALLATION, ended.installationId().toString(), STATUS, ended.status().wireName()),
                        Map.of(RUN, ended.runId().toString()));
                batch.add(group, MetricName.RUNS_ENDED, List.of(List.of(STATUS), List.of(APP, STATUS)), 1);
            }
            case Signal.RunPlanned planned -> batch.add(
                    group(planned.appId(), planned.installationId().toString(), planned.runId().toString()),
                    MetricName.PLANNER_RESOURCES_PER_SECOND, OVERALL, planned.resourcesPerSecond());
            case Signal.ChunkDelivered chunk -> {
                EmfBatch.Group group = group(chunk.appId(), chunk.installationId().toString(), chunk.ref().runId().toString());
                batch.add(group, MetricName.ENTRIES_SUCCEEDED, BY_APP_AND_INSTALLATION, chunk.succeeded());
                batch.add(group, MetricName.ENTRIES_FAILED, BY_APP_AND_INSTALLATION, chunk.failed());
                batch.add(group, MetricName.ENTRIES_RETRIED, BY_APP_AND_INSTALLATION, chunk.retried());
                for (int i = 0; i < chunk.succeeded(); i++) {
                    batch.add(group, MetricName.ENTRY_FAILURE_PERCENT, BY_APP, 0);
                }
                for (int i = 0; i < chunk.failed(); i++) {
                    batch.add(group, MetricName.ENTRY_FAILURE_PERCENT, BY_APP, 100);
                }
                for (Duration latency : chunk.appLatencies()) {
                    batch.add(group, MetricName.APP_LATENCY, BY_APP_AND_INSTALLATION, latency.toMillis());
                }
                if (chunk.window() > 0) {
                    batch.add(group, MetricName.WINDOW_SIZE, BY_APP, chunk.window());
                }
                batch.add(group, MetricName.CHUNK_DURATION, BY_APP, chunk.took().toMillis());
            }
            case Signal.NotificationFailed failed -> batch.add(
                    group(failed.appId(), failed.installationId().toString(), failed.runId() == null ? null : failed.runId().toString()),
                    MetricName.NOTIFICATION_FAILURES, OVERALL_AND_BY_APP, 1);
            case Signal.Resent resent -> batch.add(
                    new EmfBatch.Group(Map.of(INSTALLATION, resent.installationId().toString()), Map.of(RUN, resent.runId().toString())),
                    MetricName.RECONCILER_RESENDS, OVERALL, resent.count());
            case Signal.ReconcileFailed failed -> {
                // Rare and read rather than counted: the log line (SignalLog) carries it.
            }
            case Signal.ChunkLost lost -> {
                // Its entries are counted failed by the ChunkDelivered of their accounting; the log line tells why.
            }
            case Signal.ActiveRunsSeen seen -> {
                EmfBatch.Group group = new EmfBatch.Group(Map.of(), Map.of());
                batch.add(group, MetricName.ACTIVE_RUNS, OVERALL, seen.active());
                batch.add(group, MetricName.OLDEST_ACTIVE_RUN_AGE, OVERALL, seen.oldest().toSeconds());
            }
        }
    }

    private static EmfBatch.Group group(String appId, String installationId, String runId) {
        return new EmfBatch.Group(Map.of(APP, appId, INSTALLATION, installationId), runId == null ? Map.of() : Map.of(RUN, runId));
    }
}
