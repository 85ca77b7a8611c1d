package dev.syncline.adapters.metrics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The metrics of one invocation, gathered until they are written as CloudWatch Embedded Metric Format lines
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html):
 * one JSON object per line, whose {@code _aws} member tells CloudWatch Logs which members are metrics, in which
 * namespace, with which dimensions. CloudWatch extracts the metrics from the log; no API call is made.
 *
 * <p>One line per group of samples that share their dimension values and properties (in practice one per run an
 * invocation worked on). Counters are summed; distributions keep each value, so that CloudWatch computes their
 * percentiles. A line holds at most {@value #VALUES_PER_LINE} values per metric, the format's limit: more make
 * more lines. Not thread-safe: {@link EmfMetrics} guards it.
 */
final class EmfBatch {

    /** The most values one metric may have in one EMF line. */
    static final int VALUES_PER_LINE = 100;

    /**
     * Samples that share dimension values and properties.
     *
     * @param dimensions dimension name to value, for example {@code AppId} to {@code sample-feed}
     * @param properties logged with the metrics but not dimensions, for example the run's id: searchable in Logs
     *     Insights, not a metric of its own (which would cost per run)
     */
    record Group(Map<String, String> dimensions, Map<String, String> properties) {
        Group {
            dimensions = Map.copyOf(dimensions);
            properties = Map.copyOf(properties);
        }
    }

    /** What was measured in a group: each metric's values, and the dimension sets it is published under. */
    private static final class Samples {
        final Map<MetricName, List<Double>> values = new EnumMap<>(MetricName.class);
        final Map<MetricName, List<List<String>>> dimensionSets = new EnumMap<>(MetricName.class);
    }

    private final Map<Group, Samples> groups = new LinkedHashMap<>();
    private int size;

    /**
     * Adds one value.
     *
     * @param dimensionSets the combinations of the group's dimensions to publish the metric under; an empty set
     *     publishes it without dimensions (the deployment-wide figure)
     */
    void add(Group group, MetricName metric, List<List<String>> dimensionSets, double value) {
        for (List<String> set : dimensionSets) {
            for (String dimension : set) {
                if (!group.dimensions().containsKey(dimension)) {
                    throw new IllegalArgumentException(metric.metric() + " is published by " + dimension + ", which the group lacks");
                }
            }
        }
        Samples samples = groups.computeIfAbsent(group, g -> new Samples());
        samples.dimensionSets.put(metric, List.copyOf(dimensionSets));
        List<Double> values = samples.values.computeIfAbsent(metric, m -> new ArrayList<>());
        if (metric.counter() && !values.isEmpty()) {
            values.set(0, values.getFirst() + value);
        } else {
            values.add(value);
            size++;
        }
    }

    /** Values held: what bounds the batch's memory and the size of its lines. */
    int size() {
        return size;
    }

    boolean isEmpty() {
        return groups.isEmpty();
    }

    /** The EMF lines of everything added, as JSON-ready maps, then forgets it all. */
    List<Map<String, Object>> drain(String namespace, Instant timestamp) {
        List<Map<String, Object>> lines = new ArrayList<>();
        groups.forEach((group, samples) -> {
            int longest = samples.values.values().stream().mapToInt(List::size).max().orElse(0);
            for (int from = 0; from < longest; from += VALUES_PER_LINE) {
                lines.add(line(group, samples, from, namespace, timestamp));
            }
        });
        groups.clear();
        size = 0;
        return lines;
    }

    private static Map<String, Object> line(Group group, Samples samples, int from, String namespace, Instant timestamp) {
        Map<String, Object> line = new LinkedHashMap<>();
        // One directive per distinct set of dimension sets: metrics published alike share it.
        Map<List<List<String>>, List<Map<String, String>>> directives = new LinkedHashMap<>();
        Map<String, Object> values = new TreeMap<>();
        samples.values.forEach((metric, all) -> {
            if (from >= all.size()) {
                return;
            }
            List<Double> part = all.subList(from, Math.min(all.size(), from + VALUES_PER_LINE));
            values.put(metric.metric(), part.size() == 1 ? part.getFirst() : List.copyOf(part));
            directives.computeIfAbsent(samples.dimensionSets.get(metric), d -> new ArrayList<>())
                    .add(Map.of("Name", metric.metric(), "Unit", metric.unit()));
        });
        List<Map<String, Object>> metrics = new ArrayList<>();
        directives.forEach((dimensionSets, names) -> metrics.add(Map.of(
                "Namespace", namespace,
                "Dimensions", dimensionSets,
                "Metrics", names)));
        line.put("_aws", Map.of("Timestamp", timestamp.toEpochMilli(), "CloudWatchMetrics", metrics));
        line.putAll(new TreeMap<>(group.dimensions()));
        line.putAll(new TreeMap<>(group.properties()));
        line.putAll(values);
        return line;
    }

}
