package dev.syncline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.sampleapp.Faults;
import dev.syncline.sampleapp.ReceivedRequest;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whole synchronizations through every real part: the API over HTTP, the planner and workers fed by the
 * SQS emulator's event source, DynamoDB and S3 emulators, and the sample App over HTTP.
 */
@AwsIntegrationTest
class SynchronizationEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);
    private static final List<String> ALL_EVENTS = List.of("app_installed", "app_uninstalled", "attribute_created", "attribute_updated",
            "attribute_deleted", "category_created", "category_updated", "category_deleted", "product_created", "product_updated",
            "product_deleted", "synchronization_started", "synchronization_ended");
    private static final List<String> PHASE_ORDER = List.of("attribute", "category", "product", "relations");

    private SampleApp app;
    private LocalSyncline syncline;
    private ApiClient api;

    @BeforeEach
    void start(AwsStack stack) throws Exception {
        app = SampleApp.start(0);
        syncline = LocalSyncline.start(LocalSyncline.Options.forTests(stack));
        api = new ApiClient(syncline.apiUri(), syncline.apiKey());
    }

    @AfterEach
    void stop() {
        syncline.close();
        app.close();
    }

    private String install(List<String> features, int retryBudget) {
        return api.installSampleApp(app.baseUri(), features, ALL_EVENTS, retryBudget);
    }

    private String install() {
        return install(List.of("synchronization", "synchronization_full"), 10);
    }

    private JsonNode synchronize(String installation, String mode, String ndjson) {
        ApiClient.Answer snapshot = api.postNdjson("/v1/installations/" + installation + "/snapshots", ndjson);
        assertThat(snapshot.status()).as(String.valueOf(snapshot.body())).isEqualTo(201);
        ApiClient.Answer triggered = api.post("/v1/installations/" + installation + "/synchronizations",
                Map.of("mode", mode, "snapshot_id", snapshot.json("snapshot_id").asText()));
        assertThat(triggered.status()).as(String.valueOf(triggered.body())).isEqualTo(202);
        return api.awaitRun(triggered.json("synchronization").path("id").asText(), RUN_TIMEOUT);
    }

    /** The consume requests the App accepted during one run, synchronization events excluded. */
    private List<ReceivedRequest> resourceRequests(String runId) {
        return app.receivedRequests(request -> request.isConsume()
                && request.outcome() == ReceivedRequest.Outcome.ACCEPTED
                && runId.equals(request.synchronizationId().orElse(null))
                && !request.event().startsWith("synchronization_"));
    }

    private static Map<String, List<String>> eventsByResource(List<ReceivedRequest> requests) {
        Map<String, List<String>> byResource = new java.util.TreeMap<>();
        for (ReceivedRequest request : requests) {
            byResource.computeIfAbsent(request.event() + " " + request.resourceId().orElse("?"), k -> new ArrayList<>())
                    .addAll(request.changeTypes());
        }
        return byResource;
    }

    private static String phaseOf(ReceivedRequest request) {
        if (request.event().equals("product_updated") && request.changeTypes().stream()
                .anyMatch(type -> type.startsWith("product_variant") || type.startsWith("product_child") || isRelationValue(request))) {
            return "relations";
        }
        return request.event().substring(0, request.event().indexOf('_'));
    }

    private static boolean isRelationValue(ReceivedRequest request) {
        for (JsonNode event : request.body().path("synchronization").path("events")) {
            if ("related".equals(event.path("payload").path("attribute_code").asText())) {
                return true;
            }
        }
        return false;
    }

    @Test
    void firstIncrementalRun_deliversEveryResourceOnceInPhaseOrder_withTheProtocolsPayloads() throws Exception {
        String installation = install();
        TestCatalog catalog = TestCatalog.standard();

        JsonNode run = synchronize(installation, "incremental", catalog.ndjson());

        assertThat(run.path("status").asText()).isEqualTo("finished");
        assertThat(run.path("phases").path("attributes").path("planned").asLong()).isEqualTo(6);
        assertThat(run.path("phases").path("categories").path("planned").asLong()).isEqualTo(3);
        assertThat(run.path("phases").path("products").path("planned").asLong()).isEqualTo(52);
        assertThat(run.path("phases").path("relations").path("planned").asLong()).isEqualTo(3);
        assertThat(run.path("progress_percent").asInt()).isEqualTo(100);

        String runId = run.path("id").asText();
        List<ReceivedRequest> received = resourceRequests(runId);
        assertThat(received).hasSize(6 + 3 + 52 + 3);
        assertThat(received.stream().map(r -> phaseOf(r) + " " + r.resourceId().orElseThrow()).distinct()).hasSize(received.size());

        // Strict phases: every request of a phase arrived before the first of the next.
        Map<String, List<Instant>> times = received.stream()
                .collect(Collectors.groupingBy(SynchronizationEndToEndTest::phaseOf, Collectors.mapping(ReceivedRequest::receivedAt, Collectors.toList())));
        for (int i = 0; i + 1 < PHASE_ORDER.size(); i++) {
            Instant lastOfPhase = times.get(PHASE_ORDER.get(i)).stream().max(Instant::compareTo).orElseThrow();
            Instant firstOfNext = times.get(PHASE_ORDER.get(i + 1)).stream().min(Instant::compareTo).orElseThrow();
            assertThat(lastOfPhase).as(PHASE_ORDER.get(i) + " before " + PHASE_ORDER.get(i + 1)).isBeforeOrEqualTo(firstOfNext);
        }

        ReceivedRequest color = only(received, r -> r.event().equals("attribute_created") && r.resourceId().orElseThrow().equals("color"));
        assertThat(color.body()).isEqualTo(JSON.readTree("""
                {"name":"attribute_created","resource_id":{"id":"color","type":"attribute_code"},
                 "synchronization":{"resource_customs":null,"events":[
                   {"type":"attribute_created","payload":{"code":"color","type":"SELECT","scope":"global",
                     "name":[{"language":"de_DE","value":"Farbe"},{"language":"en_GB","value":"Colour"}]}},
                   {"type":"attribute_option_created","payload":{"option_code":"red","option_name":[{"language":"de_DE","value":"Rot"},{"language":"en_GB","value":"Red"}]}},
                   {"type":"attribute_option_created","payload":{"option_code":"blue","option_name":[{"language":"de_DE","value":"Blau"},{"language":"en_GB","value":"Blue"}]}},
                   {"type":"attribute_option_created","payload":{"option_code":"green","option_name":[{"language":"de_DE","value":"Grün"},{"language":"en_GB","value":"Green"}]}}]}}
                """));
        ReceivedRequest shoes = only(received, r -> r.event().equals("category_created") && r.resourceId().orElseThrow().equals("shoes"));
        assertThat(shoes.body().path("synchronization").path("events")).isEqualTo(JSON.readTree("""
                [{"type":"category_created","payload":{"code":"shoes","name":[{"language":"de_DE","value":"Schuhe"},{"language":"en_GB","value":"Shoes"}]}}]
                """));
        ReceivedRequest sku5 = only(received, r -> r.event().equals("product_created") && r.resourceId().orElseThrow().equals("SKU-005"));
        assertThat(sku5.body()).isEqualTo(JSON.readTree("""
                {"name":"product_created","resource_id":{"id":"SKU-005","type":"sku"},
                 "synchronization":{"resource_customs":null,"events":[
                   {"type":"product_created","payload":{"sku":"SKU-005","type":"SIMPLE"}},
                   {"type":"product_value_added","payload":{"attribute_code":"color","translations":[{"language":null,"value":"green"}]}},
                   {"type":"product_value_added","payload":{"attribute_code":"description","translations":[{"language":"de_DE","value":"Warmer Schuh 5"},{"language":"en_GB","value":"Warm shoe 5"}]}},
                   {"type":"product_value_added","payload":{"attribute_code":"material","translations":[{"language":null,"value":["cotton","wool"]}]}},
                   {"type":"product_value_added","payload":{"attribute_code":"price","translations":[{"language":null,"value":15.99}]}},
                   {"type":"product_added_to_category","payload":{"category_code":"boots"}}]}}
                """));
        ReceivedRequest variable = only(received, r -> phaseOf(r).equals("relations") && r.resourceId().orElseThrow().equals("V-1"));
        assertThat(variable.event()).isEqualTo("product_updated");
        assertThat(variable.body().path("synchronization").path("events")).isEqualTo(JSON.readTree("""
                [{"type":"product_variant_added","payload":{"sku":"SKU-001"}},
                 {"type":"product_variant_added","payload":{"sku":"SKU-002"}},
                 {"type":"product_variant_added","payload":{"sku":"SKU-003"}}]
                """));
        ReceivedRequest grouping = only(received, r -> phaseOf(r).equals("relations") && r.resourceId().orElseThrow().equals("G-1"));
        assertThat(grouping.body().path("synchronization").path("events")).isEqualTo(JSON.readTree("""
                [{"type":"product_child_added","payload":{"sku":"SKU-004","quantity":2}},
                 {"type":"product_child_added","payload":{"sku":"SKU-005","quantity":1}}]
                """));
        ReceivedRequest binding = only(received, r -> r.event().equals("product_created") && r.resourceId().orElseThrow().equals("V-1"));
        assertThat(binding.changeTypes()).contains("product_binding_added");
        // The App answered resource_customs for products; they come back on the product's later events.
        assertThat(grouping.body().path("synchronization").path("resource_customs").isObject()).isTrue();

        assertThat(app.receivedRequestsForEvent("synchronization_started")).hasSize(1);
        List<ReceivedRequest> ended = app.receivedRequestsForEvent("synchronization_ended");
        assertThat(ended).hasSize(1);
        assertThat(ended.getFirst().body().path("synchronization").path("status").asText()).isEqualTo("finished");
        assertThat(app.productFeed(installation).orElseThrow()).contains("SKU-050").contains("Warmer Schuh 50");
    }

    @Test
    void secondIncrementalRun_afterEdits_deliversExactlyTheChanges() {
        String installation = install();
        TestCatalog catalog = TestCatalog.standard();
        synchronize(installation, "incremental", catalog.ndjson());

        catalog.values("SKU-001").put("description", Map.of("en_GB", "Warm shoe 1", "de_DE", "Sehr warmer Schuh 1"));
        catalog.options("size").add(TestCatalog.option("XL", "Extra large", "Extra groß").line());
        catalog.products.get("SKU-002").put("categories", List.of("boots"));
        catalog.values("SKU-003").remove("price");
        catalog.products.remove("SKU-050");
        JsonNode run = synchronize(installation, "incremental", catalog.ndjson());

        assertThat(run.path("status").asText()).isEqualTo("finished");
        List<ReceivedRequest> received = resourceRequests(run.path("id").asText());
        assertThat(eventsByResource(received)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "attribute_updated size", List.of("attribute_option_created"),
                "product_updated SKU-001", List.of("product_value_changed"),
                "product_updated SKU-002", List.of("product_added_to_category", "product_removed_from_category"),
                "product_updated SKU-003", List.of("product_value_removed"),
                "product_deleted SKU-050", List.of()));
        ReceivedRequest translation = only(received, r -> r.resourceId().orElseThrow().equals("SKU-001"));
        assertThat(translation.body().path("synchronization").path("events").get(0).path("payload").toString())
                .isEqualTo("{\"attribute_code\":\"description\",\"translations\":[{\"language\":\"de_DE\",\"value\":\"Sehr warmer Schuh 1\"}]}");
        ReceivedRequest removed = only(received, r -> r.resourceId().orElseThrow().equals("SKU-003"));
        assertThat(removed.body().path("synchronization").path("events").get(0).path("payload").toString())
                .isEqualTo("{\"attribute_code\":\"price\",\"translations\":[{\"language\":null,\"value\":13.99}]}");
        ReceivedRequest moved = only(received, r -> r.resourceId().orElseThrow().equals("SKU-002"));
        assertThat(moved.body().path("synchronization").path("resource_customs").isObject())
                .as("customs the App answered in the first run are echoed").isTrue();
    }

    @Test
    void aRunTheApiShowsEnded_freesItsInstallation_whileTheAppIsStillBeingToldItEnded() throws Exception {
        try (AppGate gate = AppGate.start(app.baseUri())) {
            String installation = api.installSampleApp(gate.baseUri(), List.of("synchronization"), ALL_EVENTS, 10);
            gate.hold("/consume/synchronization_ended");
            String ndjson = TestCatalog.standard().ndjson();
            JsonNode first = synchronize(installation, "incremental", ndjson);
            gate.awaitHeld(1, RUN_TIMEOUT);

            JsonNode second = synchronize(installation, "incremental", ndjson);

            assertThat(first.path("status").asText()).isEqualTo("finished");
            assertThat(second.path("status").asText()).isEqualTo("finished");
            gate.release();
            Instant deadline = Instant.now().plus(RUN_TIMEOUT);
            List<String> told;
            do {
                told = app.receivedRequestsForEvent("synchronization_ended").stream()
                        .map(request -> request.body().path("synchronization").path("id").asText()).distinct().toList();
                Thread.sleep(100);
            } while (told.size() < 2 && Instant.now().isBefore(deadline));
            assertThat(told).as("the App heard of both runs' ends")
                    .containsExactlyInAnyOrder(first.path("id").asText(), second.path("id").asText());
        }
    }

    @Test
    void unchangedSnapshot_deliversNoResourceAndFinishes() {
        String installation = install();
        String ndjson = TestCatalog.standard().ndjson();
        synchronize(installation, "incremental", ndjson);

        JsonNode run = synchronize(installation, "incremental", ndjson);

        assertThat(run.path("status").asText()).isEqualTo("finished");
        assertThat(resourceRequests(run.path("id").asText())).isEmpty();
        assertThat(run.path("totals").path("planned").asLong()).isZero();
    }

    @Test
    void fullRun_sendsEverythingAgain() {
        String installation = install();
        TestCatalog catalog = TestCatalog.standard();
        synchronize(installation, "incremental", catalog.ndjson());

        JsonNode run = synchronize(installation, "full", catalog.ndjson());

        assertThat(run.path("status").asText()).isEqualTo("finished");
        List<ReceivedRequest> received = resourceRequests(run.path("id").asText());
        assertThat(received).hasSize(6 + 3 + 52 + 3);
        assertThat(received).filteredOn(r -> !phaseOf(r).equals("relations")).allSatisfy(r -> assertThat(r.event()).endsWith("_updated"));
    }

    @Test
    void entries_comeInPagesOfAtMostLimit_midChunkToo_andTheLastPageHasNoCursor() {
        String installation = install();
        String run = synchronize(installation, "incremental", TestCatalog.standard().ndjson()).path("id").asText();
        String entries = "/v1/synchronizations/" + run + "/entries";
        JsonNode whole = api.get(entries + "?limit=500").body();

        List<String> walked = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 20; page++) {
            JsonNode answer = api.get(entries + "?limit=7" + (cursor == null ? "" : "&cursor=" + cursor)).body();
            pageSizes.add(answer.path("entries").size());
            answer.path("entries").forEach(entry -> walked.add(position(entry)));
            cursor = answer.path("next_cursor").isNull() ? null : answer.path("next_cursor").asText();
            if (cursor == null) {
                break;
            }
        }

        List<String> all = new ArrayList<>();
        whole.path("entries").forEach(entry -> all.add(position(entry)));
        assertThat(all).hasSize(6 + 3 + 52 + 3);
        assertThat(whole.path("next_cursor").isNull()).isTrue();
        assertThat(cursor).as("the walk reached the last page").isNull();
        assertThat(walked).isEqualTo(all);
        assertThat(pageSizes.subList(0, pageSizes.size() - 1)).allSatisfy(size -> assertThat(size).isEqualTo(7));
        assertThat(pageSizes.getLast()).isBetween(1, 7);
    }

    @Test
    void entries_withACursorOfOtherFilters_answers422() {
        String installation = install();
        String run = synchronize(installation, "incremental", TestCatalog.standard().ndjson()).path("id").asText();
        String cursor = api.get("/v1/synchronizations/" + run + "/entries?limit=2").json("next_cursor").asText();

        ApiClient.Answer refused = api.get("/v1/synchronizations/" + run + "/entries?limit=2&status=succeeded&cursor=" + cursor);

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json("violations").get(0).path("field").asText()).isEqualTo("cursor");
    }

    private static String position(JsonNode entry) {
        return entry.path("phase").asText() + "/" + entry.path("chunk").asInt() + "/" + entry.path("index").asInt();
    }

    @Test
    void transientFailuresAndAPermanentOne_endTerminal_andTheNextRunResendsOnlyTheFailedEntry() {
        String installation = install();
        app.setFaults(Faults.none().withSeed(42).withFailureRate(0.3).withResourceStatus("SKU-007", 422, "price below cost"));
        TestCatalog catalog = TestCatalog.standard();

        JsonNode run = synchronize(installation, "incremental", catalog.ndjson());

        assertThat(run.path("status").asText()).isEqualTo("finished_with_errors");
        long planned = 0;
        long terminal = 0;
        for (JsonNode phase : run.path("phases")) {
            planned += phase.path("planned").asLong();
            terminal += phase.path("succeeded").asLong() + phase.path("failed").asLong() + phase.path("cancelled").asLong();
        }
        assertThat(terminal).isEqualTo(planned).isEqualTo(64);
        assertThat(run.path("phases").path("products").path("failed").asLong()).isEqualTo(1);
        JsonNode failed = api.get("/v1/synchronizations/" + run.path("id").asText() + "/entries?status=failed").body().path("entries");
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).path("resource").path("id").asText()).isEqualTo("SKU-007");
        assertThat(failed.get(0).path("last_http_status").asInt()).isEqualTo(422);
        assertThat(failed.get(0).path("error").asText()).contains("price below cost");
        assertThat(failed.get(0).path("reason").path("kind").asText()).isEqualTo("created");

        app.setFaults(Faults.none());
        JsonNode next = synchronize(installation, "incremental", catalog.ndjson());

        assertThat(next.path("status").asText()).isEqualTo("finished");
        assertThat(eventsByResource(resourceRequests(next.path("id").asText())).keySet()).containsExactly("product_created SKU-007");
    }

    @Test
    void aChunkDeliveredTwice_isCountedOnce_andNotSentToTheAppAgain(AwsStack stack) throws Exception {
        String installation = install();
        JsonNode run = synchronize(installation, "incremental", TestCatalog.standard().ndjson());
        String runId = run.path("id").asText();
        // The API shows the run finished a moment before the App hears synchronization_ended: count after it did.
        Instant told = Instant.now().plusSeconds(20);
        while (app.receivedRequestsForEvent("synchronization_ended").isEmpty() && Instant.now().isBefore(told)) {
            Thread.sleep(20);
        }
        assertThat(app.receivedRequestsForEvent("synchronization_ended")).hasSize(1);
        int requestsBefore = app.receivedRequests().size();

        long invocations = syncline.workerInvocations();
        // As if a worker had died after recording chunk 0 but before SQS saw its acknowledgement.
        stack.sqs().sendMessage(b -> b.queueUrl(stack.names().workQueueUrl())
                .messageBody("{\"run_id\":\"" + runId + "\",\"phase\":\"products\",\"chunk\":0}"));
        Instant deadline = Instant.now().plusSeconds(20);
        while (syncline.workerInvocations() == invocations && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        Thread.sleep(500);

        JsonNode after = api.get("/v1/synchronizations/" + runId).body();
        assertThat(syncline.workerInvocations()).isGreaterThan(invocations);
        assertThat(after.path("phases")).isEqualTo(run.path("phases"));
        assertThat(after.path("status").asText()).isEqualTo("finished");
        assertThat(app.receivedRequests()).hasSize(requestsBefore);
        assertThat(stack.approximateMessages(stack.names().workDeadLetterQueueUrl())).isZero();
    }

    @Test
    void badSnapshotLines_becomeRejectedEntriesWithLineNumbers_andTheRunGoesOn() {
        String installation = install();
        String ndjson = String.join("\n",
                "{\"type\":\"category\",\"code\":\"shoes\",\"name\":{\"en_GB\":\"Shoes\"}}",
                "{\"type\":\"product\",\"sku\":\"SKU-1\",\"product_type\":\"SIMPLE\"",
                "{\"type\":\"widget\",\"code\":\"w\"}",
                "{\"type\":\"product\",\"product_type\":\"SIMPLE\"}",
                "{\"type\":\"product\",\"sku\":\"SKU-2\",\"product_type\":\"SIMPLE\",\"categories\":[\"shoes\"]}",
                "{\"type\":\"product\",\"sku\":\"SKU-2\",\"product_type\":\"SIMPLE\"}",
                "{\"type\":\"product\",\"sku\":\"SKU-3\",\"product_type\":\"SIMPLE\",\"values\":{\"description\":{\"en_GB\":\"" + "x".repeat(1_100_000) + "\"}}}",
                "");

        JsonNode run = synchronize(installation, "incremental", ndjson);

        assertThat(run.path("status").asText()).isEqualTo("finished");
        assertThat(run.path("rejected_lines").asLong()).isEqualTo(5);
        JsonNode rejected = api.get("/v1/synchronizations/" + run.path("id").asText() + "/entries?status=rejected").body().path("entries");
        assertThat(rejected).extracting(entry -> entry.path("line").asInt()).containsExactlyInAnyOrder(2, 3, 4, 6, 7);
        assertThat(rejected).filteredOn(entry -> entry.path("line").asInt() == 6).singleElement()
                .satisfies(entry -> assertThat(entry.path("error").asText()).contains("duplicate product SKU-2").contains("line 5"));
        assertThat(rejected).filteredOn(entry -> entry.path("line").asInt() == 7).singleElement()
                .satisfies(entry -> assertThat(entry.path("error").asText()).contains("longer than the limit"));
        assertThat(eventsByResource(resourceRequests(run.path("id").asText())).keySet())
                .containsExactlyInAnyOrder("category_created shoes", "product_created SKU-2");
    }

    @Test
    void badRequests_getProblemAnswersThatSayWhatToFix() {
        String installation = install(List.of("synchronization"), 5);
        ApiClient.Answer snapshot = api.postNdjson("/v1/installations/" + installation + "/snapshots", TestCatalog.standard().ndjson());
        String snapshotId = snapshot.json("snapshot_id").asText();

        ApiClient.Answer fullNotEnabled = api.post("/v1/installations/" + installation + "/synchronizations",
                Map.of("mode", "full", "snapshot_id", snapshotId));
        ApiClient.Answer unknownSnapshot = api.post("/v1/installations/" + installation + "/synchronizations",
                Map.of("mode", "incremental", "snapshot_id", "never-uploaded"));
        ApiClient.Answer badMode = api.post("/v1/installations/" + installation + "/synchronizations",
                Map.of("mode", "sometimes", "snapshot_id", snapshotId));
        ApiClient.Answer unknownRun = api.get("/v1/synchronizations/00000000-0000-0000-0000-000000000000");

        assertThat(fullNotEnabled.status()).isEqualTo(422);
        assertThat(fullNotEnabled.json("detail").asText()).contains("mode full is not enabled");
        assertThat(fullNotEnabled.raw().headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(unknownSnapshot.status()).isEqualTo(422);
        assertThat(unknownSnapshot.json("detail").asText()).contains("never-uploaded");
        assertThat(badMode.status()).isEqualTo(422);
        assertThat(badMode.json("detail").asText()).contains("incremental").contains("full");
        assertThat(unknownRun.status()).isEqualTo(404);
    }

    @Test
    void oneActiveRunPerInstallation_andAnIdempotencyKeyReturnsTheSameRun() {
        String installation = install();
        app.setFaults(Faults.none().withLatency(Duration.ofMillis(50)));
        ApiClient.Answer snapshot = api.postNdjson("/v1/installations/" + installation + "/snapshots", TestCatalog.standard().ndjson());
        Map<String, String> trigger = Map.of("mode", "incremental", "snapshot_id", snapshot.json("snapshot_id").asText());

        ApiClient.Answer first = api.post("/v1/installations/" + installation + "/synchronizations", trigger, Map.of("Idempotency-Key", "pim-42"));
        ApiClient.Answer repeated = api.post("/v1/installations/" + installation + "/synchronizations", trigger, Map.of("Idempotency-Key", "pim-42"));
        ApiClient.Answer second = api.post("/v1/installations/" + installation + "/synchronizations", trigger);

        String runId = first.json("synchronization").path("id").asText();
        assertThat(first.status()).isEqualTo(202);
        assertThat(repeated.status()).isEqualTo(202);
        assertThat(repeated.json("synchronization").path("id").asText()).isEqualTo(runId);
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.json("detail").asText()).contains(runId);

        ApiClient.Answer cancelled = api.post("/v1/synchronizations/" + runId + "/cancel", Map.of());
        assertThat(cancelled.status()).isEqualTo(200);
        JsonNode ended = api.awaitRun(runId, RUN_TIMEOUT);
        assertThat(ended.path("status").asText()).isEqualTo("cancelled");
        assertThat(api.post("/v1/installations/" + installation + "/synchronizations", trigger).status())
                .as("the installation is free again once its run ended").isEqualTo(202);
    }

    @Test
    void aTruncatedGzipUpload_failsTheRunWithWhatToDo_andTheAppKeepsWhatItHas() throws Exception {
        String installation = install();
        synchronize(installation, "incremental", TestCatalog.standard().ndjson());
        java.io.ByteArrayOutputStream gzip = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gzip)) {
            out.write(TestCatalog.standard().ndjson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        byte[] truncated = java.util.Arrays.copyOf(gzip.toByteArray(), gzip.size() / 2);
        ApiClient.Answer upload = api.post("/v1/installations/" + installation + "/snapshots", Map.of());
        assertThat(upload.status()).isEqualTo(201);
        java.net.http.HttpResponse<String> put = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(upload.json("upload_url").asText()))
                        .header("Content-Type", "application/x-ndjson")
                        .header("If-None-Match", "*")
                        .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(truncated)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(200);

        ApiClient.Answer triggered = api.post("/v1/installations/" + installation + "/synchronizations",
                Map.of("mode", "incremental", "snapshot_id", upload.json("snapshot_id").asText()));
        JsonNode run = api.awaitRun(triggered.json("synchronization").path("id").asText(), RUN_TIMEOUT);

        assertThat(run.path("status").asText()).isEqualTo("failed");
        assertThat(run.path("reason").asText()).contains("upload the file again");
        assertThat(resourceRequests(run.path("id").asText())).isEmpty();
        assertThat(app.productFeed(installation).orElseThrow()).contains("SKU-050");
    }

    @Test
    void aGzipSnapshotSentInline_isRefusedWithTheWayToUploadIt() {
        String installation = install();
        String gzipLooking = "\u001f\u008b\u0008 not text";

        ApiClient.Answer answer = api.postNdjson("/v1/installations/" + installation + "/snapshots", gzipLooking);

        assertThat(answer.status()).isEqualTo(415);
        assertThat(answer.json("detail").asText()).contains("upload_url");
    }

    private static ReceivedRequest only(List<ReceivedRequest> requests, Predicate<ReceivedRequest> filter) {
        List<ReceivedRequest> matching = requests.stream().filter(filter).toList();
        assertThat(matching).hasSize(1);
        return matching.getFirst();
    }
}
