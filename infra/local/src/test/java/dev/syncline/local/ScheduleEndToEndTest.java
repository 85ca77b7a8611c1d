package dev.syncline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.syncline.sampleapp.ReceivedRequest;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.sampleapp.SampleConfiguration;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import dev.syncline.testing.openapi.OpenApiContract;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scheduled runs on the local stack: its scheduler thread evaluates the schedules, on a clock the test moves forward
 * a minute at a time instead of waiting, and sends the scheduled function the event EventBridge Scheduler sends.
 */
@AwsIntegrationTest
class ScheduleEndToEndTest {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);
    private static final List<String> EVENTS = List.of("app_installed", "app_uninstalled", "attribute_created", "attribute_updated",
            "attribute_deleted", "category_created", "category_updated", "category_deleted", "product_created", "product_updated",
            "product_deleted", "synchronization_started", "synchronization_ended");

    /** A clock the test moves; the scheduler reads it on every tick. */
    static final class MovableClock extends Clock {
        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

        void advance(Duration duration) {
            now.updateAndGet(instant -> instant.plus(duration));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final MovableClock clock = new MovableClock();
    private final List<String> sourceAuthorizations = new CopyOnWriteArrayList<>();
    private SampleApp app;
    private AppGate gate;
    private HttpServer pim;
    private final List<String> installations = new java.util.ArrayList<>();
    private LocalSyncline syncline;
    private ApiClient api;

    @BeforeEach
    void start(AwsStack stack) throws IOException {
        app = SampleApp.start(0);
        gate = AppGate.start(app.baseUri());
        pim = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pim.createContext("/export/catalog.ndjson.gz", exchange -> {
            sourceAuthorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] body = gzip(TestCatalog.standard().ndjson());
            exchange.getResponseHeaders().set("Content-Type", "application/gzip");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        pim.createContext("/export/broken", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        pim.start();
        syncline = LocalSyncline.start(LocalSyncline.Options.forTests(stack), clock);
        api = new ApiClient(syncline.apiUri(), syncline.apiKey());
    }

    @AfterEach
    void stop() {
        // The emulators outlive this test: its schedules must not fire on the stacks of the tests after it.
        installations.forEach(id -> api.delete(schedule(id)));
        syncline.close();
        pim.stop(0);
        gate.close();
        app.close();
        // The schedule routes have no replayed examples: this test's exchanges with the API stand for them.
        assertThat(api.outsideContract()).as("exchanges with the API that %s does not describe", OpenApiContract.DOCUMENT).isEmpty();
    }

    @Test
    void aRateSchedule_firesInTheLocalScheduler_andTheRunItStartsFromTheLatestUploadCompletes() throws Exception {
        String installation = install(app.baseUri());
        assertThat(api.postNdjson("/v1/installations/" + installation + "/snapshots", TestCatalog.standard().ndjson()).status()).isEqualTo(201);
        assertThat(api.put(schedule(installation), Map.of("expression", "rate(1 minute)", "mode", "full")).status()).isEqualTo(200);

        JsonNode outcome = awaitOutcome(installation, null);

        assertThat(outcome.path("outcome").asText()).isEqualTo("started");
        String runId = outcome.path("synchronization_id").asText();
        JsonNode run = api.awaitRun(runId, RUN_TIMEOUT);
        assertThat(run.path("status").asText()).isEqualTo("finished");
        assertThat(run.path("mode").asText()).isEqualTo("full");
        assertThat(run.path("phases").path("products").path("succeeded").asLong()).isEqualTo(52);
        assertThat(app.receivedRequests(request -> request.isConsume() && request.outcome() == ReceivedRequest.Outcome.ACCEPTED
                && runId.equals(request.synchronizationId().orElse(null)) && !request.event().startsWith("synchronization_")))
                .hasSize(6 + 3 + 52 + 3);
        JsonNode view = api.get(schedule(installation)).body();
        assertThat(Instant.parse(view.path("next_fire_at").asText())).isAfter(Instant.now());
    }

    @Test
    void aFiringThatFindsAnotherRunActive_isSkipped_sayingWhichRun() throws Exception {
        String installation = install(gate.baseUri());
        gate.hold("/consume");
        ApiClient.Answer snapshot = api.postNdjson("/v1/installations/" + installation + "/snapshots", TestCatalog.standard().ndjson());
        ApiClient.Answer triggered = api.post("/v1/installations/" + installation + "/synchronizations",
                Map.of("mode", "incremental", "snapshot_id", snapshot.json("snapshot_id").asText()));
        String active = triggered.json("synchronization").path("id").asText();
        gate.awaitHeld(1, RUN_TIMEOUT);
        assertThat(api.put(schedule(installation), Map.of("expression", "rate(1 minute)")).status()).isEqualTo(200);

        JsonNode outcome = awaitOutcome(installation, null);

        assertThat(outcome.path("outcome").asText()).isEqualTo("skipped");
        assertThat(outcome.path("reason").asText()).isEqualTo("synchronization " + active + " was still active");
        assertThat(outcome.has("synchronization_id")).isFalse();
        gate.release();
        assertThat(api.awaitRun(active, RUN_TIMEOUT).path("status").asText()).isEqualTo("finished");
    }

    @Test
    void aScheduleWithASnapshotSource_pullsTheGzipSnapshotWithItsSecret_andRecordsASourceThatFails() throws Exception {
        String installation = install(app.baseUri());
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("url", pimUrl("/export/catalog.ndjson.gz"));
        source.put("header_name", "Authorization");
        source.put("header_value", "Bearer pim-export-7f3a");
        assertThat(api.put(schedule(installation), Map.of("expression", "rate(1 minute)", "snapshot_source", source)).status())
                .isEqualTo(200);

        JsonNode started = awaitOutcome(installation, null);

        assertThat(started.path("outcome").asText()).as(started.toString()).isEqualTo("started");
        assertThat(sourceAuthorizations).containsExactly("Bearer pim-export-7f3a");
        JsonNode run = api.awaitRun(started.path("synchronization_id").asText(), RUN_TIMEOUT);
        assertThat(run.path("status").asText()).isEqualTo("finished");
        assertThat(run.path("phases").path("products").path("planned").asLong()).isEqualTo(52);

        assertThat(api.put(schedule(installation), Map.of("expression", "rate(1 minute)",
                "snapshot_source", Map.of("url", pimUrl("/export/broken")))).status()).isEqualTo(200);
        JsonNode failed = awaitOutcome(installation, started.path("at").asText());

        assertThat(failed.path("outcome").asText()).isEqualTo("failed");
        assertThat(failed.path("reason").asText()).isEqualTo("the snapshot source failed: 127.0.0.1:" + pim.getAddress().getPort() + " answered 503");
    }

    private String install(URI appUrl) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("name", "Sample feed");
        manifest.put("description", "Builds a CSV product feed from the catalog");
        manifest.put("version", "1.0.0");
        manifest.put("compatible", "1.0.0");
        manifest.put("url", appUrl.toString());
        manifest.put("features", List.of("synchronization", "synchronization_full", "synchronization_scheduler"));
        manifest.put("events", EVENTS);
        // The sample App refuses synchronization events until it is configured, as real Apps do.
        manifest.put("configuration_schema", ApiClient.tree(SampleConfiguration.SCHEMA));
        String appId = "scheduled-" + Integer.toHexString(appUrl.getPort());
        assertThat(api.put("/v1/apps/" + appId, manifest).status()).isIn(200, 201, 409);
        ApiClient.Answer installed = api.post("/v1/installations", Map.of("app_id", appId, "api_url", "https://pim.example.com/api"));
        assertThat(installed.status()).as(String.valueOf(installed.body())).isEqualTo(201);
        String id = installed.json("id").asText();
        installations.add(id);
        api.configureSampleApp(id);
        return id;
    }

    /**
     * Moves the scheduler's clock on, 30 seconds per tick, until the schedule shows an outcome newer than {@code after}.
     */
    private JsonNode awaitOutcome(String installation, String after) throws InterruptedException {
        Instant deadline = Instant.now().plus(RUN_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            JsonNode outcome = api.get(schedule(installation)).body().path("last_outcome");
            if (outcome.isObject() && (after == null || !outcome.path("at").asText().equals(after))) {
                return outcome;
            }
            clock.advance(Duration.ofSeconds(30));
            Thread.sleep(LocalSyncline.SCHEDULER_TICK.toMillis() + 200);
        }
        throw new AssertionError("the schedule of " + installation + " showed no new outcome within " + RUN_TIMEOUT);
    }

    private String pimUrl(String path) {
        return "http://127.0.0.1:" + pim.getAddress().getPort() + path;
    }

    private static String schedule(String installation) {
        return "/v1/installations/" + installation + "/schedule";
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
