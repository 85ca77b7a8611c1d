package dev.syncline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.adapters.config.Config;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A deployment's snapshot limits, as the PIM meets them: a stack whose limits are small (256 KiB uploaded, 1 MiB
 * decompressed, 1,000 lines) is given a gzip bomb, a file too large to upload, and a catalog of too many lines. Each
 * is refused or fails its run with a reason that names the limit and its setting, the App hears nothing, and it keeps
 * the catalog it had.
 */
@AwsIntegrationTest
class SnapshotLimitsEndToEndTest {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);
    private static final long MAX_UPLOAD_BYTES = 256 * 1024;
    private static final long MAX_BYTES = 1024 * 1024;
    private static final long MAX_LINES = 1000;
    private static final List<String> EVENTS = List.of("attribute_created", "attribute_updated", "attribute_deleted",
            "category_created", "category_updated", "category_deleted", "product_created", "product_updated", "product_deleted",
            "synchronization_started", "synchronization_ended");

    private SampleApp app;
    private LocalSyncline syncline;
    private ApiClient api;

    @BeforeEach
    void start(AwsStack stack) throws IOException {
        app = SampleApp.start(0);
        syncline = LocalSyncline.start(LocalSyncline.Options.forTests(stack), Clock.systemUTC(), Map.of(
                Config.SNAPSHOT_MAX_UPLOAD_BYTES, Long.toString(MAX_UPLOAD_BYTES),
                Config.SNAPSHOT_MAX_BYTES, Long.toString(MAX_BYTES),
                Config.SNAPSHOT_MAX_LINES, Long.toString(MAX_LINES)));
        api = new ApiClient(syncline.apiUri(), syncline.apiKey());
    }

    @AfterEach
    void stop() {
        syncline.close();
        app.close();
    }

    @Test
    void aGzipBomb_failsItsRunAtTheDecompressedLimit_andTheAppHearsNothing() throws Exception {
        String installation = installWithFullCatalog();
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bomb)) {
            gzip.write(TestCatalog.standard().ndjson().getBytes(StandardCharsets.UTF_8));
            gzip.write(new byte[64 * 1024 * 1024]);
        }
        assertThat((long) bomb.size()).as("small enough to upload").isLessThan(MAX_UPLOAD_BYTES);

        JsonNode run = run(installation, presignedUpload(installation, bomb.toByteArray()));

        assertThat(run.path("status").asText()).isEqualTo("failed");
        assertThat(run.path("reason").asText())
                .contains("more than " + MAX_BYTES + " bytes once decompressed")
                .contains("SYNCLINE_SNAPSHOT_MAX_BYTES")
                .contains("nothing was sent");
        assertThat(requestsOf(run.path("id").asText())).isEmpty();
        assertThat(app.productFeed(installation).orElseThrow()).contains("SKU-050");
    }

    @Test
    void anUploadOverTheLimit_isRefusedAtTrigger_andTheInstallationStaysFree() throws Exception {
        String installation = installWithFullCatalog();
        byte[] catalog = TestCatalog.standard().ndjson().getBytes(StandardCharsets.UTF_8);
        byte[] large = Arrays.copyOf(catalog, (int) MAX_UPLOAD_BYTES + 1);
        Arrays.fill(large, catalog.length, large.length, (byte) '\n');
        String snapshotId = presignedUpload(installation, large);

        ApiClient.Answer refused = api.post("/v1/installations/" + installation + "/synchronizations",
                Map.of("mode", "incremental", "snapshot_id", snapshotId));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json("violations").get(0).path("field").asText()).isEqualTo("snapshot_id");
        assertThat(refused.json("detail").asText())
                .contains("the snapshot file is " + (MAX_UPLOAD_BYTES + 1) + " bytes, more than the " + MAX_UPLOAD_BYTES + " bytes")
                .contains("SYNCLINE_SNAPSHOT_MAX_UPLOAD_BYTES");
        assertThat(api.get("/v1/installations/" + installation + "/synchronizations").json("synchronizations"))
                .as("no run was started").hasSize(1);
        assertThat(run(installation, uploaded(installation, TestCatalog.standard().ndjson())).path("status").asText())
                .as("the installation is free for a snapshot within the limits").isEqualTo("finished");
    }

    @Test
    void aCatalogOfTooManyLines_failsItsRun_evenInline() {
        String installation = installWithFullCatalog();
        String catalog = TestCatalog.standard().ndjson() + "\n".repeat((int) MAX_LINES);

        JsonNode run = run(installation, uploaded(installation, catalog));

        assertThat(run.path("status").asText()).isEqualTo("failed");
        assertThat(run.path("reason").asText()).contains("more than " + MAX_LINES + " lines").contains("SYNCLINE_SNAPSHOT_MAX_LINES");
        assertThat(requestsOf(run.path("id").asText())).isEmpty();
        assertThat(app.productFeed(installation).orElseThrow()).contains("SKU-050");
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** An installation whose App received the standard catalog, within the limits. */
    private String installWithFullCatalog() {
        String installation = api.installSampleApp(app.baseUri(), List.of("synchronization"), EVENTS, 5);
        assertThat(run(installation, uploaded(installation, TestCatalog.standard().ndjson())).path("status").asText()).isEqualTo("finished");
        return installation;
    }

    private JsonNode run(String installation, String snapshotId) {
        ApiClient.Answer triggered = api.post("/v1/installations/" + installation + "/synchronizations",
                Map.of("mode", "incremental", "snapshot_id", snapshotId));
        assertThat(triggered.status()).as(String.valueOf(triggered.body())).isEqualTo(202);
        return api.awaitRun(triggered.json("synchronization").path("id").asText(), RUN_TIMEOUT);
    }

    private String uploaded(String installation, String ndjson) {
        ApiClient.Answer snapshot = api.postNdjson("/v1/installations/" + installation + "/snapshots", ndjson);
        assertThat(snapshot.status()).as(String.valueOf(snapshot.body())).isEqualTo(201);
        return snapshot.json("snapshot_id").asText();
    }

    /** Uploads the file through a presigned URL, as a PIM with a large or compressed catalog does; its snapshot id. */
    private String presignedUpload(String installation, byte[] file) throws IOException, InterruptedException {
        ApiClient.Answer upload = api.post("/v1/installations/" + installation + "/snapshots", Map.of());
        HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(upload.json("upload_url").asText()))
                        .header("Content-Type", "application/x-ndjson")
                        .header("If-None-Match", "*")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(file)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        return upload.json("snapshot_id").asText();
    }

    private List<dev.syncline.sampleapp.ReceivedRequest> requestsOf(String runId) {
        return app.receivedRequests(request -> runId.equals(request.synchronizationId().orElse(null)));
    }
}
