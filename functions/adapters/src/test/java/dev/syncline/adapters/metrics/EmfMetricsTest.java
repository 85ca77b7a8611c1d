package dev.syncline.adapters.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.core.delivery.ChunkRef;
import dev.syncline.core.sync.Phase;
import dev.syncline.core.sync.RunStatus;
import dev.syncline.core.telemetry.Signal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EmfMetricsTest {

    private static final Instant NOW = Instant.parse("2026-12-04T18:00:00Z");
    private static final UUID RUN = UUID.fromString("11111111-1111-1111-1111-111111111111");
    private static final UUID INSTALLATION = UUID.fromString("22222222-2222-2222-2222-222222222222");

    private final JsonCodec json = JsonCodec.create();
    private final List<String> lines = new ArrayList<>();
    private final EmfMetrics metrics = EmfMetrics.create(json, Clock.fixed(NOW, ZoneOffset.UTC), "Syncline/test", List.of(lines::add));

    @Test
    void aDeliveredChunk_becomesOneEmfLine_withCountsSummedAndLatenciesKeptForPercentiles() {
        metrics.report(chunk(0, 3, 1, List.of(Duration.ofMillis(40), Duration.ofMillis(60), Duration.ofMillis(900))));
        metrics.report(chunk(1, 2, 0, List.of(Duration.ofMillis(50), Duration.ofMillis(55))));
        assertThat(lines).as("nothing is written before the invocation flushes").isEmpty();

        metrics.flush();

        assertThat(lines).hasSize(1);
        JsonNode line = json.readTree(lines.getFirst());
        JsonNode aws = line.path("_aws");
        assertThat(aws.path("Timestamp").asLong()).isEqualTo(NOW.toEpochMilli());
        assertThat(line.path("AppId").asText()).isEqualTo("sample-feed");
        assertThat(line.path("InstallationId").asText()).isEqualTo(INSTALLATION.toString());
        assertThat(line.path("RunId").asText()).isEqualTo(RUN.toString());
        assertThat(line.path("EntriesSucceeded").asDouble()).isEqualTo(5);
        assertThat(line.path("EntriesFailed").asDouble()).isEqualTo(1);
        assertThat(numbers(line.path("AppLatency"))).containsExactly(40.0, 60.0, 900.0, 50.0, 55.0);
        assertThat(numbers(line.path("EntryFailurePercent"))).containsExactly(0.0, 0.0, 0.0, 100.0, 0.0, 0.0);

        List<String> published = new ArrayList<>();
        for (JsonNode directive : aws.path("CloudWatchMetrics")) {
            assertThat(directive.path("Namespace").asText()).isEqualTo("Syncline/test");
            for (JsonNode metric : directive.path("Metrics")) {
                published.add(metric.path("Name").asText() + " " + metric.path("Unit").asText() + " " + directive.path("Dimensions"));
                assertThat(line.has(metric.path("Name").asText())).as("the line holds the value of " + metric).isTrue();
            }
        }
        assertThat(published).contains(
                "EntriesSucceeded Count [[\"AppId\"],[\"AppId\",\"InstallationId\"]]",
                "AppLatency Milliseconds [[\"AppId\"],[\"AppId\",\"InstallationId\"]]",
                "EntryFailurePercent Percent [[\"AppId\"]]",
                "WindowSize Count [[\"AppId\"]]",
                "ChunkDuration Milliseconds [[\"AppId\"]]");
        assertThat(line.has("RunId")).isTrue();
        assertThat(published).noneMatch(metric -> metric.contains("RunId"));
    }

    @Test
    void moreThanAHundredValuesOfAMetric_areSplitOverLines_noneHoldingMoreThanAHundred() {
        List<Duration> latencies = Collections.nCopies(250, Duration.ofMillis(7));
        metrics.report(chunk(0, 250, 0, latencies));
        metrics.flush();

        assertThat(lines).hasSize(3);
        int values = 0;
        for (String text : lines) {
            JsonNode line = json.readTree(text);
            JsonNode latency = line.path("AppLatency");
            int size = latency.isArray() ? latency.size() : 1;
            assertThat(size).isLessThanOrEqualTo(100);
            values += size;
        }
        assertThat(values).isEqualTo(250);
        assertThat(json.readTree(lines.getFirst()).path("EntriesSucceeded").asDouble()).as("counted once, on the first line").isEqualTo(250);
        assertThat(json.readTree(lines.get(1)).has("EntriesSucceeded")).isFalse();
    }

    @Test
    void runsEndedAreCountedByStatus_andRunsStartedOverall() {
        metrics.report(new Signal.RunStarted(RUN, INSTALLATION, "sample-feed", dev.syncline.core.sync.SyncMode.FULL));
        metrics.report(new Signal.RunEnded(RUN, INSTALLATION, "sample-feed", RunStatus.FAILED, "snapshot unreadable", Duration.ofSeconds(3)));
        metrics.flush();

        JsonNode ended = lines.stream().map(json::readTree).filter(line -> line.has("RunsEnded")).findFirst().orElseThrow();
        assertThat(ended.path("Status").asText()).isEqualTo("failed");
        assertThat(ended.path("_aws").path("CloudWatchMetrics").get(0).path("Dimensions").toString())
                .isEqualTo("[[\"Status\"],[\"AppId\",\"Status\"]]");
        JsonNode started = lines.stream().map(json::readTree).filter(line -> line.has("RunsStarted")).findFirst().orElseThrow();
        assertThat(started.path("_aws").path("CloudWatchMetrics").get(0).path("Dimensions").toString()).isEqualTo("[[],[\"AppId\"]]");
    }

    @Test
    void aBatchGrowingPastItsBound_isWrittenWithoutWaitingForTheFlush() {
        IntStream.range(0, EmfMetrics.FLUSH_AT).forEach(i -> metrics.report(chunk(i, 0, 0, List.of(Duration.ofMillis(i)))));
        assertThat(lines).as("written once the batch reached " + EmfMetrics.FLUSH_AT + " values").isNotEmpty();
        int before = lines.size();
        metrics.flush();
        assertThat(lines.size()).isGreaterThanOrEqualTo(before);
    }

    @Test
    void anEmptyFlush_writesNothing() {
        metrics.flush();
        assertThat(lines).isEmpty();
    }

    private static List<Double> numbers(JsonNode array) {
        List<Double> numbers = new ArrayList<>();
        array.forEach(value -> numbers.add(value.asDouble()));
        return numbers;
    }

    private static Signal.ChunkDelivered chunk(int number, int succeeded, int failed, List<Duration> latencies) {
        return new Signal.ChunkDelivered(new ChunkRef(RUN, Phase.PRODUCTS, number), INSTALLATION, "sample-feed", succeeded, failed, 0,
                failed, failed, latencies, Duration.ofMillis(800), 4, failed > 0 ? 503 : 0);
    }
}
