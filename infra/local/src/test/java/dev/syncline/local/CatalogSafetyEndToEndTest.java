package dev.syncline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.sampleapp.ReceivedRequest;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A broken export must not wipe the App's catalog, and what a run read must stay what it read: whole runs through
 * the API, the planner and workers, the emulators and the sample App, with a catalog that lost nine products in
 * ten, an empty one, a JSON body where NDJSON belongs, a second upload to a used URL, and the snapshot endpoints.
 */
@AwsIntegrationTest
class CatalogSafetyEndToEndTest {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);
    private static final List<String> EVENTS = List.of("attribute_created", "attribute_updated", "attribute_deleted",
            "category_created", "category_updated", "category_deleted", "product_created", "product_updated", "product_deleted",
            "synchronization_started", "synchronization_ended");

    private SampleApp app;
    private AwsStack stack;
    private LocalSyncline.Options options;
    private LocalSyncline syncline;
    private ApiClient api;

    @BeforeEach
    void start(AwsStack stack) throws Exception {
        app = SampleApp.start(0);
        this.stack = stack;
        options = LocalSyncline.Options.forTests(stack);
        syncline = LocalSyncline.start(options);
        api = new ApiClient(syncline.apiUri(), syncline.apiKey());
    }

    @AfterEach
    void stop() {
        syncline.close();
        app.close();
    }

    @Test
    void aRunDeletingMostOfTheCatalog_waitsWithoutSendingAnything_andConfirmSendsTheDeletions() {
        String installation = installWithFullCatalog();

        JsonNode held = triggerAndAwaitHold(installation, TestCatalog.truncatedNdjson());
        String runId = held.path("id").asText();

        assertThat(held.path("deletion_guard").path("would_delete").asLong()).isEqualTo(47);
        assertThat(held.path("deletion_guard").path("held").asLong()).isEqualTo(61);
        assertThat(held.path("deletion_guard").path("confirm_url").asText()).isEqualTo("/v1/synchronizations/" + runId + "/confirm");
        assertThat(held.path("reason").asText()).contains("would delete 47 of the 61 resources");
        assertThat(app.receivedRequestsForRun(runId)).as("the App hears nothing of a held run, not even its start").isEmpty();

        ApiClient.Answer again = api.post("/v1/installations/" + installation + "/synchronizations",
                Map.of("mode", "incremental", "snapshot_id", api.uploadedSnapshot(installation, TestCatalog.standard().ndjson())));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json("active_synchronization_id").asText()).isEqualTo(runId);

        ApiClient.Answer confirmed = api.post("/v1/synchronizations/" + runId + "/confirm", Map.of());
        assertThat(confirmed.status()).as(String.valueOf(confirmed.body())).isEqualTo(200);
        assertThat(confirmed.json("status").asText()).isEqualTo("execution");
        JsonNode run = api.awaitRun(runId, RUN_TIMEOUT);

        assertThat(run.path("status").asText()).isEqualTo("finished");
        assertThat(run.path("deletion_guard").has("confirm_url")).isFalse();
        List<ReceivedRequest> received = app.receivedRequestsForRun(runId);
        assertThat(received.stream().filter(r -> r.event().equals("product_deleted"))).hasSize(47);
        assertThat(received.getFirst().event()).isEqualTo("synchronization_started");
        assertThat(app.productFeed(installation).orElseThrow()).contains("SKU-005").doesNotContain("SKU-050");
    }

    @Test
    void aHeldRunThatIsCancelled_sendsNothing_andFreesTheInstallation() {
        String installation = installWithFullCatalog();
        JsonNode held = triggerAndAwaitHold(installation, TestCatalog.truncatedNdjson());
        String runId = held.path("id").asText();

        ApiClient.Answer cancelled = api.post("/v1/synchronizations/" + runId + "/cancel", Map.of());

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json("status").asText()).isEqualTo("cancelled");
        assertThat(cancelled.json("totals").path("cancelled").asLong()).isEqualTo(cancelled.json("totals").path("planned").asLong());
        assertThat(api.post("/v1/synchronizations/" + runId + "/confirm", Map.of()).status()).isEqualTo(409);
        assertThat(app.receivedRequestsForRun(runId)).isEmpty();
        assertThat(app.productFeed(installation).orElseThrow()).contains("SKU-050");
        ApiClient.Answer next = api.post("/v1/installations/" + installation + "/synchronizations",
                Map.of("mode", "incremental", "snapshot_id", api.uploadedSnapshot(installation, TestCatalog.standard().ndjson())));
        assertThat(next.status()).as("the installation is free again").isEqualTo(202);
        assertThat(api.awaitRun(next.json("synchronization").path("id").asText(), RUN_TIMEOUT).path("status").asText())
                .isEqualTo("finished");
    }

    @Test
    void aHeldRunNobodyConfirms_isCancelledByTheReconcilerOnceItsTimeoutPassed() {
        String installation = installWithFullCatalog();
        String runId = triggerAndAwaitHold(installation, TestCatalog.truncatedNdjson()).path("id").asText();

        ReconcilerPass.at(stack, options, Duration.ofHours(23));
        assertThat(api.get("/v1/synchronizations/" + runId).json("status").asText()).as("within the default 24 h the run waits")
                .isEqualTo("awaiting_confirmation");
        assertThat(ReconcilerPass.at(stack, options, Duration.ofHours(25))).isPositive();

        JsonNode run = api.get("/v1/synchronizations/" + runId).body();
        assertThat(run.path("status").asText()).isEqualTo("cancelled");
        assertThat(run.path("reason").asText()).startsWith("Nobody confirmed the deletions within 24 h");
        assertThat(app.receivedRequestsForRun(runId)).isEmpty();
        assertThat(app.productFeed(installation).orElseThrow()).contains("SKU-050");
        assertThat(api.post("/v1/installations/" + installation + "/synchronizations",
                Map.of("mode", "incremental", "snapshot_id", api.uploadedSnapshot(installation, TestCatalog.standard().ndjson()))).status())
                .as("the installation is free again").isEqualTo(202);
    }

    @Test
    void aSmallDeletion_isNotHeld() {
        String installation = installWithFullCatalog();
        TestCatalog catalog = TestCatalog.standard();
        catalog.products.keySet().removeIf(sku -> sku.compareTo("SKU-045") > 0 && sku.startsWith("SKU-"));

        ApiClient.Answer triggered = api.post("/v1/installations/" + installation + "/synchronizations",
                Map.of("mode", "incremental", "snapshot_id", api.uploadedSnapshot(installation, catalog.ndjson())));
        JsonNode run = api.awaitRun(triggered.json("synchronization").path("id").asText(), RUN_TIMEOUT);

        assertThat(run.path("status").asText()).isEqualTo("finished");
        assertThat(run.has("deletion_guard")).isFalse();
        assertThat(app.receivedRequestsForRun(run.path("id").asText()).stream().filter(r -> r.event().equals("product_deleted"))).hasSize(5);
    }

    @Test
    void anEmptyInlineSnapshot_isRefused() {
        String installation = install();

        for (String empty : List.of("", "\n\n  \n")) {
            ApiClient.Answer answer = api.postNdjson("/v1/installations/" + installation + "/snapshots", empty);

            assertThat(answer.status()).isEqualTo(422);
            assertThat(answer.json("violations").get(0).path("field").asText()).isEqualTo("body");
            assertThat(answer.json("detail").asText()).contains("the snapshot is empty");
        }
    }

    @Test
    void anEmptyUploadedSnapshot_failsTheRunAtOnce_andTheAppKeepsItsCatalog() throws Exception {
        String installation = installWithFullCatalog();
        ApiClient.Answer upload = api.post("/v1/installations/" + installation + "/snapshots", Map.of());
        assertThat(put(upload.json("upload_url").asText(), "\n \n").statusCode()).isEqualTo(200);

        JsonNode run = run(installation, upload.json("snapshot_id").asText());

        assertThat(run.path("status").asText()).isEqualTo("failed");
        assertThat(run.path("reason").asText()).contains("the snapshot is empty");
        assertThat(app.receivedRequestsForRun(run.path("id").asText())).isEmpty();
        assertThat(app.productFeed(installation).orElseThrow()).contains("SKU-050");
    }

    @Test
    void anUploadUrlWorksOnce_soALaterRunOfTheSameSnapshotSendsWhatTheFirstRead_andBothRecordItsSha256() throws Exception {
        String installation = install();
        ApiClient.Answer upload = api.post("/v1/installations/" + installation + "/snapshots", Map.of());
        assertThat(upload.json("upload_headers").path("If-None-Match").asText()).isEqualTo("*");
        String catalog = TestCatalog.standard().ndjson();
        assertThat(put(upload.json("upload_url").asText(), catalog).statusCode()).isEqualTo(200);
        String snapshotId = upload.json("snapshot_id").asText();
        JsonNode first = run(installation, snapshotId);

        HttpResponse<String> again = put(upload.json("upload_url").asText(), TestCatalog.truncatedNdjson());
        JsonNode second = run(installation, snapshotId);

        assertThat(again.statusCode()).isEqualTo(412);
        assertThat(again.body()).contains("PreconditionFailed");
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(catalog.getBytes(StandardCharsets.UTF_8)));
        assertThat(first.path("snapshot_sha256").asText()).isEqualTo(sha256);
        assertThat(second.path("snapshot_sha256").asText()).isEqualTo(sha256);
        assertThat(second.path("status").asText()).isEqualTo("finished");
        assertThat(app.receivedRequestsForRun(second.path("id").asText()).stream().filter(r -> r.event().endsWith("_deleted")))
                .as("the second run read the catalog first uploaded, not the truncated one").isEmpty();
        assertThat(app.productFeed(installation).orElseThrow()).contains("SKU-050");
    }

    @Test
    void snapshots_areListedAndRead_withWhatARunReadOfThem_andOneARunStillUsesIsNotDeleted() throws Exception {
        String installation = installWithFullCatalog();
        String base = "/v1/installations/" + installation + "/snapshots";
        JsonNode used = api.get(base).json("snapshots").get(0);
        String pending = api.post(base, Map.of()).json("snapshot_id").asText();

        byte[] catalog = TestCatalog.standard().ndjson().getBytes(StandardCharsets.UTF_8);
        assertThat(used.path("uploaded").asBoolean()).isTrue();
        assertThat(used.path("size_bytes").asLong()).isEqualTo(catalog.length);
        assertThat(used.path("sha256").asText()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(catalog)));
        assertThat(used.path("lines").asLong()).isEqualTo(61);
        assertThat(used.path("synchronizations")).hasSize(1);
        JsonNode notUploaded = api.get(base + "/" + pending).body();
        assertThat(notUploaded.path("uploaded").asBoolean()).isFalse();
        assertThat(notUploaded.path("size_bytes").isNull()).isTrue();
        assertThat(notUploaded.path("synchronizations")).isEmpty();
        ApiClient.Answer urlStillWorks = api.delete(base + "/" + pending);
        assertThat(urlStillWorks.status()).isEqualTo(409);
        assertThat(urlStillWorks.json("detail").asText()).contains("has an upload URL that works until");
        assertThat(api.get(base).json("snapshots").findValuesAsText("snapshot_id"))
                .containsExactlyInAnyOrder(used.path("snapshot_id").asText(), pending);

        JsonNode held = triggerAndAwaitHold(installation, TestCatalog.truncatedNdjson());
        String truncated = held.path("snapshot_id").asText();
        ApiClient.Answer refused = api.delete(base + "/" + truncated);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json("detail").asText()).contains(held.path("id").asText());

        api.post("/v1/synchronizations/" + held.path("id").asText() + "/cancel", Map.of());
        assertThat(api.delete(base + "/" + truncated).status()).isEqualTo(204);
        assertThat(api.get(base + "/" + truncated).status()).isEqualTo(404);
        assertThat(api.post("/v1/installations/" + installation + "/synchronizations",
                Map.of("mode", "incremental", "snapshot_id", truncated)).status()).as("its file is gone too").isEqualTo(422);
    }

    @Test
    void aSnapshotRequestWithAJsonBody_isAMalformedRequest() {
        String installation = install();

        ApiClient.Answer answer = api.post("/v1/installations/" + installation + "/snapshots", Map.of("type", "product"));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json("detail").asText()).contains("application/x-ndjson");
        assertThat(api.post("/v1/installations/" + installation + "/snapshots", Map.of()).json("upload_url").asText()).startsWith("http");
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private JsonNode run(String installation, String snapshotId) {
        ApiClient.Answer triggered = api.post("/v1/installations/" + installation + "/synchronizations",
                Map.of("mode", "incremental", "snapshot_id", snapshotId));
        assertThat(triggered.status()).as(String.valueOf(triggered.body())).isEqualTo(202);
        return api.awaitRun(triggered.json("synchronization").path("id").asText(), RUN_TIMEOUT);
    }


    private String install() {
        String installation = api.installSampleApp(app.baseUri(), List.of("synchronization"), EVENTS, 5);
        assertThat(api.get("/v1/installations/" + installation).json("deletion_guard").path("threshold_percent").asInt()).isEqualTo(20);
        return installation;
    }

    /** An installation whose App received the standard catalog: 6 attributes, 3 categories, 52 products. */
    private String installWithFullCatalog() {
        String installation = install();
        assertThat(run(installation, api.uploadedSnapshot(installation, TestCatalog.standard().ndjson())).path("status").asText()).isEqualTo("finished");
        return installation;
    }


    private JsonNode triggerAndAwaitHold(String installation, String ndjson) {
        ApiClient.Answer triggered = api.post("/v1/installations/" + installation + "/synchronizations",
                Map.of("mode", "incremental", "snapshot_id", api.uploadedSnapshot(installation, ndjson)));
        assertThat(triggered.status()).isEqualTo(202);
        String runId = triggered.json("synchronization").path("id").asText();
        Instant deadline = Instant.now().plus(RUN_TIMEOUT);
        JsonNode run;
        do {
            run = api.get("/v1/synchronizations/" + runId).body();
            if (!run.path("status").asText().equals("preparing")) {
                break;
            }
            sleep();
        } while (Instant.now().isBefore(deadline));
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("awaiting_confirmation");
        return run;
    }


    private static HttpResponse<String> put(String url, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/x-ndjson")
                        .header("If-None-Match", "*")
                        .PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
