package dev.syncline.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.adapters.json.JsonCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What {@code GET /v1/metrics} answers: the functions' metric lines (Embedded Metric Format, as CloudWatch receives
 * them) added up per installation and per run, with percentiles of the distributions and a run's throughput over
 * time. Percentiles are nearest-rank over the values read; CloudWatch's are close approximations of the same.
 */
final class MetricsSummary {

    /** Runs listed when the request names none, the latest first. */
    static final int RUNS_LISTED = 20;
    /** The most points of a run's throughput series. */
    static final int MAX_POINTS = 60;

    record Percentiles(int count, Double p50, Double p95, Double max) {

        static Percentiles of(List<Double> values) {
            if (values.isEmpty()) {
                return new Percentiles(0, null, null, null);
            }
            List<Double> sorted = values.stream().sorted().toList();
            return new Percentiles(sorted.size(), rank(sorted, 0.50), rank(sorted, 0.95), sorted.getLast());
        }

        private static double rank(List<Double> sorted, double p) {
            return sorted.get(Math.max(0, (int) Math.ceil(p * sorted.size()) - 1));
        }
    }

    record Entries(long succeeded, long failed, long retried) {
    }

    record Totals(long runsStarted, Map<String, Long> runsEnded, long notificationFailures, long reconcilerResends, Entries entries,
                  Percentiles appLatencyMs, Percentiles plannerResourcesPerSecond) {
    }

    record InstallationFigures(String installationId, String appId, Entries entries, Percentiles appLatencyMs,
                               long notificationFailures) {
    }

    /**
     * One stretch of a run.
     *
     * @param at the stretch's start
     * @param entries entries that ended in it (succeeded or failed)
     */
    record Point(String at, double seconds, long entries, double entriesPerSecond, Double appLatencyP50Ms, Double appLatencyP95Ms) {
    }

    record RunFigures(String synchronizationId, String installationId, String appId, String endedAs, Entries entries,
                      Percentiles appLatencyMs, Percentiles chunkDurationMs, Integer windowSize, Double plannerResourcesPerSecond,
                      String firstDelivery, String lastDelivery, List<Point> throughput) {
    }

    record View(String source, int linesRead, String since, Totals totals, List<InstallationFigures> installations,
                List<RunFigures> synchronizations) {
    }

    /** Figures gathered for one installation or run. */
    private static final class Tally {
        String installationId;
        String appId;
        String endedAs;
        long succeeded;
        long failed;
        long retried;
        long notificationFailures;
        Integer window;
        Double plannerRate;
        Instant last = Instant.MIN;
        final List<Double> latencies = new ArrayList<>();
        final List<Double> chunkDurations = new ArrayList<>();
        /** Per line with entries: when, how many ended, their latencies. */
        final List<Delivery> deliveries = new ArrayList<>();

        Entries entries() {
            return new Entries(succeeded, failed, retried);
        }
    }

    private record Delivery(Instant at, long entries, List<Double> latencies) {
    }

    private MetricsSummary() {
    }

    /**
     * @param installation only this installation's figures, or null for all
     * @param run only this run's figures, or null for the latest runs
     */
    static View of(List<String> lines, JsonCodec json, UUID installation, UUID run) {
        Map<String, Tally> installations = new LinkedHashMap<>();
        Map<String, Tally> runs = new LinkedHashMap<>();
        Map<String, Long> ended = new TreeMap<>();
        long started = 0;
        long notifications = 0;
        long resends = 0;
        long succeeded = 0;
        long failed = 0;
        long retried = 0;
        List<Double> latencies = new ArrayList<>();
        List<Double> plannerRates = new ArrayList<>();
        Instant since = null;
        int read = 0;
        for (String text : lines) {
            JsonNode line;
            try {
                line = json.readTree(text);
            } catch (RuntimeException notJson) {
                continue; // a line cut short by a crash: the rest still counts
            }
            JsonNode aws = line.path("_aws");
            if (!aws.isObject()) {
                continue;
            }
            read++;
            Instant at = Instant.ofEpochMilli(aws.path("Timestamp").asLong());
            since = since == null || at.isBefore(since) ? at : since;
            String installationId = line.path("InstallationId").asText(null);
            String runId = line.path("RunId").asText(null);
            if (installation != null && !installation.toString().equals(installationId)) {
                continue;
            }
            started += sum(line, "RunsStarted");
            notifications += sum(line, "NotificationFailures");
            resends += sum(line, "ReconcilerResends");
            if (line.has("RunsEnded")) {
                ended.merge(line.path("Status").asText("unknown"), sum(line, "RunsEnded"), Long::sum);
            }
            succeeded += sum(line, "EntriesSucceeded");
            failed += sum(line, "EntriesFailed");
            retried += sum(line, "EntriesRetried");
            latencies.addAll(values(line, "AppLatency"));
            plannerRates.addAll(values(line, "PlannerResourcesPerSecond"));
            if (installationId != null) {
                add(installations.computeIfAbsent(installationId, id -> new Tally()), line, at);
            }
            if (runId != null && (run == null || run.toString().equals(runId))) {
                add(runs.computeIfAbsent(runId, id -> new Tally()), line, at);
            }
        }
        Totals totals = new Totals(started, ended, notifications, resends, new Entries(succeeded, failed, retried),
                Percentiles.of(latencies), Percentiles.of(plannerRates));
        List<InstallationFigures> perInstallation = installations.entrySet().stream()
                .map(e -> new InstallationFigures(e.getKey(), e.getValue().appId, e.getValue().entries(),
                        Percentiles.of(e.getValue().latencies), e.getValue().notificationFailures))
                .toList();
        List<RunFigures> perRun = runs.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, Tally> e) -> e.getValue().last).reversed())
                .limit(run == null ? RUNS_LISTED : 1)
                .map(e -> runFigures(e.getKey(), e.getValue()))
                .toList();
        return new View("local", read, since == null ? null : since.toString(), totals, perInstallation, perRun);
    }

    private static void add(Tally tally, JsonNode line, Instant at) {
        tally.installationId = line.path("InstallationId").asText(tally.installationId);
        tally.appId = line.path("AppId").asText(tally.appId);
        tally.last = at.isAfter(tally.last) ? at : tally.last;
        if (line.has("RunsEnded")) {
            tally.endedAs = line.path("Status").asText(null);
        }
        long ended = sum(line, "EntriesSucceeded") + sum(line, "EntriesFailed");
        tally.succeeded += sum(line, "EntriesSucceeded");
        tally.failed += sum(line, "EntriesFailed");
        tally.retried += sum(line, "EntriesRetried");
        tally.notificationFailures += sum(line, "NotificationFailures");
        List<Double> latencies = values(line, "AppLatency");
        tally.latencies.addAll(latencies);
        tally.chunkDurations.addAll(values(line, "ChunkDuration"));
        List<Double> windows = values(line, "WindowSize");
        if (!windows.isEmpty()) {
            tally.window = windows.getLast().intValue();
        }
        List<Double> rates = values(line, "PlannerResourcesPerSecond");
        if (!rates.isEmpty()) {
            tally.plannerRate = rates.getLast();
        }
        if (ended > 0 || !latencies.isEmpty()) {
            tally.deliveries.add(new Delivery(at, ended, latencies));
        }
    }

    private static RunFigures runFigures(String runId, Tally tally) {
        List<Delivery> deliveries = tally.deliveries.stream().sorted(Comparator.comparing(Delivery::at)).toList();
        String first = deliveries.isEmpty() ? null : deliveries.getFirst().at().toString();
        String last = deliveries.isEmpty() ? null : deliveries.getLast().at().toString();
        return new RunFigures(runId, tally.installationId, tally.appId, tally.endedAs, tally.entries(), Percentiles.of(tally.latencies),
                Percentiles.of(tally.chunkDurations), tally.window, tally.plannerRate, first, last, throughput(deliveries));
    }

    /** Entries per second and App latency in equal stretches from the first delivery to the last, at most {@value #MAX_POINTS}. */
    private static List<Point> throughput(List<Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return List.of();
        }
        long firstMillis = deliveries.getFirst().at().toEpochMilli();
        long span = deliveries.getLast().at().toEpochMilli() - firstMillis;
        long stretch = Math.max(1000, (span + MAX_POINTS) / MAX_POINTS + 1);
        int count = (int) Math.min(MAX_POINTS, span / stretch + 1);
        long[] entries = new long[count];
        List<List<Double>> latencies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            latencies.add(new ArrayList<>());
        }
        for (Delivery delivery : deliveries) {
            int index = (int) Math.min(count - 1, (delivery.at().toEpochMilli() - firstMillis) / stretch);
            entries[index] += delivery.entries();
            latencies.get(index).addAll(delivery.latencies());
        }
        List<Point> points = new ArrayList<>();
        double seconds = stretch / 1000.0;
        for (int i = 0; i < count; i++) {
            Percentiles latency = Percentiles.of(latencies.get(i));
            points.add(new Point(Instant.ofEpochMilli(firstMillis + i * stretch).toString(), seconds, entries[i], entries[i] / seconds,
                    latency.p50(), latency.p95()));
        }
        return points;
    }

    private static long sum(JsonNode line, String metric) {
        return Math.round(values(line, metric).stream().mapToDouble(Double::doubleValue).sum());
    }

    private static List<Double> values(JsonNode line, String metric) {
        JsonNode value = line.path(metric);
        if (value.isNumber()) {
            return List.of(value.asDouble());
        }
        List<Double> values = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(v -> values.add(v.asDouble()));
        }
        return values;
    }
}
