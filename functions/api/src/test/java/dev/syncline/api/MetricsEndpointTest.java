package dev.syncline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.adapters.config.Config;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.metrics.EmfMetrics;
import dev.syncline.adapters.metrics.MetricsFile;
import dev.syncline.core.delivery.ChunkRef;
import dev.syncline.core.sync.Phase;
import dev.syncline.core.sync.RunStatus;
import dev.syncline.core.sync.SyncMode;
import dev.syncline.core.telemetry.Signal;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@AwsIntegrationTest
class MetricsEndpointTest {

    private static final JsonCodec JSON = JsonCodec.create();
    private static final Instant START = Instant.parse("2026-12-04T18:00:00Z");
    private static final UUID INSTALLATION = UUID.fromString("3f2b6c1e-0d4a-4e8b-9c7d-5a6b7c8d9e0f");
    private static final UUID RUN = UUID.fromString("9a7c1e2d-3b4f-4a5e-8c6d-7e8f9a0b1c2d");
    private static final UUID OTHER_RUN = UUID.fromString("1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b");

    @Test
    void onAws_theRouteSaysWhereTheFiguresAre(AwsStack stack) {
        try (TestDeployment api = TestDeployment.publicAppsOnly(stack)) {
            TestDeployment.Response answer = api.get("/v1/metrics");

            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(answer.json().path("detail").asText()).contains("local stack").contains("OperationsDashboardUrl");
        }
    }

    @Test
    void inTheLocalStack_aRunsEntriesLatencyAndThroughput_addUpFromTheLinesTheFunctionsWrote(AwsStack stack, @TempDir Path directory) {
        Path file = directory.resolve("metrics.ndjson");
        MetricsFile sink = new MetricsFile(file);
        emit(sink, START, new Signal.RunStarted(RUN, INSTALLATION, "sample-feed", SyncMode.FULL));
        // Three chunks, one a second: 10 entries with latencies 10..100 ms, then 10 at 200 ms, then 5 with one failure.
        emit(sink, START.plusSeconds(1), chunk(RUN, 0, 10, 0, IntStream.rangeClosed(1, 10).mapToObj(i -> Duration.ofMillis(i * 10L)).toList(), 2));
        emit(sink, START.plusSeconds(2), chunk(RUN, 1, 10, 0, java.util.Collections.nCopies(10, Duration.ofMillis(200)), 3));
        emit(sink, START.plusSeconds(3), chunk(RUN, 2, 4, 1, java.util.Collections.nCopies(5, Duration.ofMillis(200)), 1));
        emit(sink, START.plusSeconds(4), new Signal.RunEnded(RUN, INSTALLATION, "sample-feed", RunStatus.FINISHED_WITH_ERRORS, null,
                Duration.ofSeconds(4)));
        emit(sink, START.plusSeconds(5), chunk(OTHER_RUN, 0, 7, 0, List.of(Duration.ofMillis(5)), 1));

        try (TestDeployment api = TestDeployment.start(stack, Map.of(Config.METRICS_FILE, file.toString()))) {
            JsonNode answer = api.get("/v1/metrics?synchronization_id=" + RUN).json();

            JsonNode runs = answer.path("synchronizations");
            assertThat(runs).hasSize(1);
            JsonNode run = runs.get(0);
            assertThat(run.path("synchronization_id").asText()).isEqualTo(RUN.toString());
            assertThat(run.path("ended_as").asText()).isEqualTo("finished_with_errors");
            assertThat(run.path("entries").path("succeeded").asLong()).isEqualTo(24);
            assertThat(run.path("entries").path("failed").asLong()).isEqualTo(1);
            assertThat(run.path("app_latency_ms").path("count").asInt()).isEqualTo(25);
            assertThat(run.path("app_latency_ms").path("p50").asDouble()).isEqualTo(200);
            assertThat(run.path("app_latency_ms").path("p95").asDouble()).isEqualTo(200);
            assertThat(run.path("window_size").asInt()).as("the last window").isEqualTo(1);
            JsonNode throughput = run.path("throughput");
            assertThat(throughput).hasSize(3);
            assertThat(throughput.get(0).path("entries").asLong()).isEqualTo(10);
            assertThat(throughput.get(0).path("entries_per_second").asDouble()).isEqualTo(10);
            assertThat(throughput.get(0).path("app_latency_p50_ms").asDouble()).isEqualTo(50);
            assertThat(throughput.get(2).path("entries").asLong()).isEqualTo(5);

            JsonNode all = api.get("/v1/metrics").json();
            assertThat(all.path("totals").path("runs_started").asLong()).isEqualTo(1);
            assertThat(all.path("totals").path("runs_ended").path("finished_with_errors").asLong()).isEqualTo(1);
            assertThat(all.path("totals").path("entries").path("succeeded").asLong()).isEqualTo(31);
            assertThat(all.path("synchronizations")).extracting(node -> node.path("synchronization_id").asText())
                    .as("latest first").containsExactly(OTHER_RUN.toString(), RUN.toString());
            assertThat(all.path("installations")).hasSize(1);
            assertThat(all.path("installations").get(0).path("entries").path("succeeded").asLong()).isEqualTo(31);
        }
    }

    @Test
    void aMalformedRunId_isRefusedSayingWhatAnIdLooksLike(AwsStack stack, @TempDir Path directory) {
        try (TestDeployment api = TestDeployment.start(stack, Map.of(Config.METRICS_FILE, directory.resolve("none.ndjson").toString()))) {
            TestDeployment.Response answer = api.get("/v1/metrics?synchronization_id=42");

            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.json().path("detail").asText()).contains("synchronization ids are UUIDs");
            assertThat(api.get("/v1/metrics").json().path("lines_read").asInt()).as("no file yet: nothing read").isZero();
        }
    }

    private static void emit(MetricsFile sink, Instant at, Signal signal) {
        EmfMetrics metrics = EmfMetrics.create(JSON, Clock.fixed(at, ZoneOffset.UTC), "Syncline", List.of(sink));
        metrics.report(signal);
        metrics.flush();
    }

    private static Signal.ChunkDelivered chunk(UUID run, int number, int succeeded, int failed, List<Duration> latencies, int window) {
        return new Signal.ChunkDelivered(new ChunkRef(run, Phase.PRODUCTS, number), INSTALLATION, "sample-feed", succeeded, failed, 0, 0, 0,
                latencies, Duration.ofMillis(900), window, 0);
    }
}
