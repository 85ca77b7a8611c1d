package dev.syncline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.sampleapp.ReceivedRequest;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A preview plans a snapshot and sends the App nothing until it is run, and then exactly what it showed: whole runs
 * through the API, the planner and workers, the emulators and the sample App.
 */
@AwsIntegrationTest
class PlanPreviewEndToEndTest {

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
    void aPreview_sendsNothing_showsWhatItWouldSendWithReasons_andConfirmSendsExactlyThat() {
        String installation = installWithFullCatalog();
        int receivedBefore = app.receivedRequests().size();

        ApiClient.Answer planned = api.post("/v1/installations/" + installation + "/plans",
                Map.of("mode", "incremental", "snapshot_id", api.uploadedSnapshot(installation, editedCatalog())));
        assertThat(planned.status()).as(String.valueOf(planned.body())).isEqualTo(202);
        String runId = planned.json("synchronization").path("id").asText();
        assertThat(planned.raw().headers().firstValue("Location")).hasValue("/v1/synchronizations/" + runId);
        assertThat(planned.json("synchronization").path("status").asText()).isEqualTo("preparing");
        assertThat(planned.json("synchronization").path("dry_run").asBoolean()).isTrue();
        JsonNode run = awaitPlanned(runId);
        JsonNode preview = run.path("preview");

        assertThat(app.receivedRequests()).as("the App hears nothing of a preview, not even its start").hasSize(receivedBefore);
        assertThat(run.has("deletion_guard")).isFalse();
        assertThat(preview.path("confirm_url").asText()).isEqualTo("/v1/synchronizations/" + runId + "/confirm");
        assertThat(preview.path("cancel_url").asText()).isEqualTo("/v1/synchronizations/" + runId + "/cancel");
        JsonNode updated = change(preview, "product_updated");
        assertThat(updated.path("phase").asText()).isEqualTo("products");
        JsonNode sku001 = updated.path("samples").valueStream()
                .filter(sample -> sample.path("resource").path("id").asText().equals("SKU-001")).findFirst().orElseThrow();
        assertThat(sku001.path("resource").path("type").asText()).isEqualTo("product");
        assertThat(sku001.path("reason").path("kind").asText()).isEqualTo("changed");
        assertThat(sku001.path("reason").path("changed").valueStream().map(JsonNode::asText)).contains("values.description");
        JsonNode deleted = change(preview, "product_deleted");
        assertThat(deleted.path("count").asLong()).isEqualTo(2);
        assertThat(deleted.path("samples").valueStream().map(sample -> sample.path("resource").path("id").asText()))
                .containsExactlyInAnyOrder("SKU-040", "SKU-041");
        assertThat(deleted.path("samples").valueStream().map(sample -> sample.path("reason").path("kind").asText()))
                .containsOnly("deleted");
        assertThat(preview.path("rejected_lines").path("count").asLong()).isEqualTo(1);
        assertThat(preview.path("rejected_lines").path("first").get(0).path("line").asLong()).isEqualTo(10);
        assertThat(preview.path("deletions").path("planned").asLong()).isEqualTo(2);
        assertThat(preview.path("deletions").path("held").asLong()).isEqualTo(61);
        assertThat(preview.path("deletions").path("guard_would_hold").asBoolean()).isFalse();
        assertThat(preview.path("estimate").path("basis").asText()).as("the first run was measured").isEqualTo("recent_runs");
        assertThat(preview.path("estimate").path("runs").asInt()).isEqualTo(1);
        assertThat(preview.path("estimate").path("window").asInt())
                .isEqualTo(api.get("/v1/installations/" + installation).json("concurrency_window").asInt());
        assertThat(preview.path("estimate").path("duration_seconds").asLong()).isNotNegative();
        assertThat(preview.path("estimate").path("estimated_usd").asDouble()).as("priced when planned, at what the first run cost")
                .isPositive();
        assertThat(api.get("/v1/synchronizations/" + runId).json("preview").path("estimate"))
                .as("read again: the same estimate, kept with the preview").isEqualTo(preview.path("estimate"));
        assertThat(Instant.parse(preview.path("expires_at").asText()))
                .isBetween(Instant.now().plus(Duration.ofHours(23)), Instant.now().plus(Duration.ofHours(25)));

        ApiClient.Answer blocked = api.post("/v1/installations/" + installation + "/synchronizations",
                Map.of("mode", "incremental", "snapshot_id", api.uploadedSnapshot(installation, TestCatalog.standard().ndjson())));
        assertThat(blocked.status()).isEqualTo(409);
        assertThat(blocked.json("active_synchronization_id").asText()).isEqualTo(runId);
        assertThat(blocked.json("detail").asText()).contains("preview " + runId).contains("/confirm").contains("/cancel");

        ApiClient.Answer confirmed = api.post("/v1/synchronizations/" + runId + "/confirm", Map.of());
        assertThat(confirmed.status()).as(String.valueOf(confirmed.body())).isEqualTo(200);
        JsonNode ran = api.awaitRun(runId, RUN_TIMEOUT);

        assertThat(ran.path("status").asText()).isEqualTo("finished");
        List<ReceivedRequest> received = app.receivedRequestsForRun(runId);
        assertThat(received.getFirst().event()).isEqualTo("synchronization_started");
        Map<String, Long> sent = received.stream().filter(ReceivedRequest::isConsume)
                .filter(request -> !request.event().startsWith("synchronization_"))
                .collect(Collectors.groupingBy(ReceivedRequest::event, TreeMap::new, Collectors.counting()));
        Map<String, Long> previewed = preview.path("changes").valueStream()
                .collect(Collectors.groupingBy(change -> change.path("event").asText(), TreeMap::new,
                        Collectors.summingLong(change -> change.path("count").asLong())));
        assertThat(sent).as("confirm sends exactly the previewed plan").isEqualTo(previewed);
        assertThat(ran.path("totals").path("succeeded").asLong()).isEqualTo(preview.path("entries").asLong());
        assertThat(app.productFeed(installation).orElseThrow()).doesNotContain("SKU-040").contains("Warmer shoe, new");
    }

    @Test
    void aDiscardedPreview_sendsNothing_andFreesTheInstallation() {
        String installation = installWithFullCatalog();
        int receivedBefore = app.receivedRequests().size();
        ApiClient.Answer planned = api.post("/v1/installations/" + installation + "/synchronizations",
                Map.of("mode", "incremental", "snapshot_id", api.uploadedSnapshot(installation, editedCatalog()), "dry_run", true));
        assertThat(planned.status()).isEqualTo(202);
        String runId = planned.json("synchronization").path("id").asText();
        assertThat(awaitPlanned(runId).path("preview").path("entries").asLong()).isPositive();

        ApiClient.Answer discarded = api.post("/v1/synchronizations/" + runId + "/cancel", Map.of());

        assertThat(discarded.status()).isEqualTo(200);
        assertThat(discarded.json("status").asText()).isEqualTo("cancelled");
        assertThat(discarded.json("preview").has("confirm_url")).as("a discarded preview cannot be run").isFalse();
        assertThat(api.post("/v1/synchronizations/" + runId + "/confirm", Map.of()).status()).isEqualTo(409);
        assertThat(app.receivedRequests()).as("the App heard nothing of the preview").hasSize(receivedBefore);
        assertThat(app.productFeed(installation).orElseThrow()).contains("SKU-040");
        ApiClient.Answer next = api.post("/v1/installations/" + installation + "/synchronizations",
                Map.of("mode", "incremental", "snapshot_id", api.uploadedSnapshot(installation, TestCatalog.standard().ndjson())));
        assertThat(next.status()).as("the installation is free again").isEqualTo(202);
        assertThat(api.awaitRun(next.json("synchronization").path("id").asText(), RUN_TIMEOUT).path("status").asText())
                .isEqualTo("finished");
    }

    @Test
    void aPreviewNobodyRuns_isDiscardedByTheReconcilerOnceItsTimeoutPassed() {
        String installation = installWithFullCatalog();
        String runId = api.post("/v1/installations/" + installation + "/plans",
                Map.of("mode", "incremental", "snapshot_id", api.uploadedSnapshot(installation, editedCatalog()))).json("synchronization").path("id").asText();
        awaitPlanned(runId);

        ReconcilerPass.at(stack, options, Duration.ofHours(23));
        assertThat(api.get("/v1/synchronizations/" + runId).json("status").asText()).isEqualTo("awaiting_confirmation");
        ReconcilerPass.at(stack, options, Duration.ofHours(25));

        JsonNode run = api.get("/v1/synchronizations/" + runId).body();
        assertThat(run.path("status").asText()).isEqualTo("cancelled");
        assertThat(run.path("reason").asText()).startsWith("Nobody ran the preview within 24 h");
        assertThat(app.receivedRequestsForRun(runId)).isEmpty();
    }

    @Test
    void badInput_isAnsweredAsTheTriggerAnswersIt() {
        String installation = api.installSampleApp(app.baseUri(), List.of("synchronization"), EVENTS, 5);
        String snapshot = api.uploadedSnapshot(installation, TestCatalog.standard().ndjson());
        List<Map<String, Object>> bodies = List.of(
                Map.of("mode", "incremental", "snapshot_id", "no-such-snapshot"),
                Map.of("mode", "full", "snapshot_id", snapshot),
                Map.of("mode", "sometimes", "snapshot_id", snapshot),
                Map.of("mode", "incremental"));

        for (Map<String, Object> body : bodies) {
            ApiClient.Answer trigger = api.post("/v1/installations/" + installation + "/synchronizations", body);
            ApiClient.Answer preview = api.post("/v1/installations/" + installation + "/plans", body);

            assertThat(trigger.status()).as(body.toString()).isBetween(400, 499);
            assertThat(preview.status()).as(body.toString()).isEqualTo(trigger.status());
            assertThat(preview.json("type")).isEqualTo(trigger.json("type"));
            assertThat(preview.json("violations")).isEqualTo(trigger.json("violations"));
        }
        ApiClient.Answer unknownInstallation = api.post("/v1/installations/00000000-0000-4000-8000-000000000000/plans",
                Map.of("mode", "incremental", "snapshot_id", snapshot));
        assertThat(unknownInstallation.status()).isEqualTo(404);
        assertThat(app.receivedRequests(ReceivedRequest::isConsume)).isEmpty();
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /**
     * The standard catalog as the PIM edited it: SKU-001's description changed, SKU-040 and SKU-041 gone, and a broken
     * line 10.
     */
    private static String editedCatalog() {
        TestCatalog catalog = TestCatalog.standard();
        catalog.values("SKU-001").put("description", Map.of("en_GB", "Warmer shoe, new", "de_DE", "Wärmerer Schuh"));
        catalog.products.remove("SKU-040");
        catalog.products.remove("SKU-041");
        List<String> lines = new ArrayList<>(List.of(catalog.ndjson().split("\n")));
        lines.add(9, "{this is not JSON");
        return String.join("\n", lines) + "\n";
    }

    private static JsonNode change(JsonNode preview, String event) {
        return preview.path("changes").valueStream().filter(change -> change.path("event").asText().equals(event)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + event + " in " + preview));
    }

    private JsonNode awaitPlanned(String runId) {
        JsonNode run = api.awaitRunView(runId, RUN_TIMEOUT, view -> {
            assertThat(view.has("preview") && view.path("status").asText().equals("preparing")).as("no preview before it is planned").isFalse();
            return !view.path("status").asText().equals("preparing");
        }, "was not planned");
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("awaiting_confirmation");
        assertThat(run.path("reason").asText()).startsWith("Preview: the plan is ready and nothing was sent.");
        return run;
    }

    /** An installation whose App received the standard catalog: 6 attributes, 3 categories, 52 products. */
    private String installWithFullCatalog() {
        String installation = api.installSampleApp(app.baseUri(), List.of("synchronization"), EVENTS, 5);
        ApiClient.Answer triggered = api.post("/v1/installations/" + installation + "/synchronizations",
                Map.of("mode", "incremental", "snapshot_id", api.uploadedSnapshot(installation, TestCatalog.standard().ndjson())));
        assertThat(api.awaitRun(triggered.json("synchronization").path("id").asText(), RUN_TIMEOUT).path("status").asText())
                .isEqualTo("finished");
        return installation;
    }
}
