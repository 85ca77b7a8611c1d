package dev.syncline.adapters.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.adapters.aws.AwsClientFactory;
import dev.syncline.adapters.aws.EmulatorClients;
import dev.syncline.adapters.disk.LocalDiskShardSpill;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.core.delivery.ChunkRef;
import dev.syncline.core.plan.DeliveredState;
import dev.syncline.core.plan.PlanRequest;
import dev.syncline.core.plan.PlanTotals;
import dev.syncline.core.plan.PlannedEntry;
import dev.syncline.core.plan.Planner;
import dev.syncline.core.snapshot.Product;
import dev.syncline.core.sync.Phase;
import dev.syncline.core.sync.SyncMode;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The core planner over the S3 and disk adapters: what a run plans after the App received the previous one. */
@AwsIntegrationTest
class S3DeliveredStatePlanningTest {

    private static final Set<String> EVERY_EVENT = Set.of("attribute_created", "attribute_updated", "attribute_deleted",
            "category_created", "category_updated", "category_deleted", "product_created", "product_updated", "product_deleted");
    private static final String CATALOG = """
            {"type":"attribute","code":"price","attribute_type":"PRICE","scope":"global","name":{"en_GB":"Price"}}
            {"type":"attribute","code":"related","attribute_type":"PRODUCT_RELATION","scope":"global","name":{"en_GB":"Related"}}
            {"type":"category","code":"shoes","name":{"en_GB":"Shoes"}}
            {"type":"product","sku":"SKU-1","product_type":"SIMPLE","categories":["shoes"],"values":{"price":{"":19.90},"related":{"":["SKU-2"]}}}
            {"type":"product","sku":"SKU-2","product_type":"SIMPLE","categories":["shoes"],"values":{"price":{"":5}}}
            {"type":"product","sku":"SKU-3","product_type":"SIMPLE","values":{"price":{"":7}}}
            """;

    @TempDir
    Path temporary;

    private final UUID installation = UUID.randomUUID();
    private AwsClientFactory clients;
    private S3SnapshotStore snapshots;
    private S3DeliveredState state;
    private S3ChunkStore chunks;
    private S3PlanWriter writer;
    private Planner planner;
    private String bucket;
    private JsonCodec json;

    @BeforeEach
    void setUp(AwsStack stack) {
        clients = EmulatorClients.factory(stack);
        bucket = stack.names().bucket();
        json = JsonCodec.create();
        snapshots = new S3SnapshotStore(clients.s3(), bucket);
        state = new S3DeliveredState(clients.s3(), bucket, json, LocalDiskShardSpill.factory(temporary), 16);
        chunks = new S3ChunkStore(clients.s3(), bucket);
        writer = new S3PlanWriter(clients.s3(), bucket, json, temporary);
        planner = new Planner(snapshots, state, LocalDiskShardSpill.factory(temporary), writer);
    }

    @AfterEach
    void tearDown() {
        clients.close();
    }

    @Test
    void aRunAfterEverythingWasDelivered_plansOnlyWhatChangedInTheSnapshot() {
        plansOnlyWhatChangedRunAfterRun();
    }

    @Test
    void deliveryRecordsKeptPending_thenConsolidated_stillPlanOnlyWhatChanged() {
        // The first run's four records (one chunk per phase) stay pending; the third run's push them past the bound.
        state = new S3DeliveredState(clients.s3(), bucket, json, LocalDiskShardSpill.factory(temporary), 16, 4);
        planner = new Planner(snapshots, state, LocalDiskShardSpill.factory(temporary), writer);

        plansOnlyWhatChangedRunAfterRun();

        assertThat(stateKeys()).as("consolidated by the fourth run's pass").noneMatch(key -> key.contains("/delivered/"))
                .anyMatch(key -> key.contains("/base/"));
        String changedAgain = CATALOG.replace("\"price\":{\"\":5}", "\"price\":{\"\":6}");
        assertThat(planAndDeliver("v5", changedAgain)).extracting(entry -> entry.event() + " " + entry.resource().id())
                .containsExactlyInAnyOrder("product_updated SKU-1", "product_updated SKU-2", "product_created SKU-3");
        assertThat(stateKeys()).as("the fifth run's records pending over the consolidated shards").anyMatch(key -> key.contains("/delivered/"));
        assertThat(planAndDeliver("v6", changedAgain)).as("planned from the base and the pending records").isEmpty();
    }

    private void plansOnlyWhatChangedRunAfterRun() {
        List<PlannedEntry> first = planAndDeliver("v1", CATALOG);
        assertThat(first).extracting(PlannedEntry::event).containsExactly(
                "attribute_created", "attribute_created", "category_created",
                "product_created", "product_created", "product_created", "product_updated");

        assertThat(planAndDeliver("v2", CATALOG)).isEmpty();

        String changed = CATALOG
                .replace("\"price\":{\"\":19.90}", "\"price\":{\"\":24.90}")
                .lines().filter(line -> !line.contains("SKU-3")).reduce("", (all, line) -> all + line + "\n");
        List<PlannedEntry> third = planAndDeliver("v3", changed);
        assertThat(third).extracting(entry -> entry.event() + " " + entry.resource().id())
                .containsExactlyInAnyOrder("product_updated SKU-1", "product_deleted SKU-3");
        assertThat(third).filteredOn(entry -> entry.resource().id().equals("SKU-1")).singleElement()
                .satisfies(entry -> assertThat(entry.reason().changed()).containsExactly("values.price"));

        assertThat(planAndDeliver("v4", changed)).isEmpty();
        assertThat(temporary).isEmptyDirectory();
    }

    @Test
    void theSameCatalogWrittenWithOtherKeyOrderAndSpacing_plansNothing() {
        planAndDeliver("v1", CATALOG);

        String rewritten = """
                { "name" : {"en_GB":"Price"}, "scope":"global", "attribute_type":"PRICE", "code":"price", "type":"attribute" }
                {"name":{"en_GB":"Related"},"attribute_type":"PRODUCT_RELATION","type":"attribute","scope":"global","code":"related"}
                {"name":{"en_GB":"Shoes"},"code":"shoes","type":"category"}
                {"values":{"related":{"":["SKU-2"]},"price":{"":19.90}},"categories":["shoes"],"product_type":"SIMPLE","sku":"SKU-1","type":"product"}
                \t{"sku":"SKU-2","type":"product","values":{"price":{"":5}},"product_type":"SIMPLE","categories":["shoes"]}\t
                {"type":"product","values":{"price":{"":7}},"sku":"SKU-3","product_type":"SIMPLE"}
                """;
        assertThat(planAndDeliver("v2", rewritten)).isEmpty();
    }

    @Test
    void textWithUnicodeAndEscapes_reachesTheAppAsTheSnapshotWroteIt() {
        String json = "Grüße 😀 \\\"quoted\\\" back\\\\slash\\nnext line\\ttab \\u0001 \\u2028 \\ud83d\\ude00 end";
        String text = "Grüße 😀 \"quoted\" back\\slash\nnext line\ttab \001 \u2028 😀 end";
        String catalog = """
                {"type":"attribute","code":"description","attribute_type":"TEXT","scope":"global","name":{"en_GB":"😀 Description"}}
                {"type":"category","code":"shoes","name":{"de_DE":"Schühe \\\\ \\"rot\\""}}
                {"type":"product","sku":"SKU-ü😀","product_type":"SIMPLE","values":{"description":{"":"%s"}}}
                """.formatted(json);

        List<PlannedEntry> planned = planAndDeliver("v1", catalog);

        PlannedEntry product = planned.stream().filter(entry -> entry.phase() == Phase.PRODUCTS).findFirst().orElseThrow();
        assertThat(product.resource().id()).isEqualTo("SKU-ü😀");
        assertThat(product.events()).filteredOn(event -> event.type().equals("product_value_added")).singleElement()
                .satisfies(event -> assertThat(event.payload().get("translations")).isEqualTo(List.of(translation(null, text))));
        assertThat(((Product) product.state()).values().get("description").get("")).isEqualTo(text);
        PlannedEntry category = planned.stream().filter(entry -> entry.phase() == Phase.CATEGORIES).findFirst().orElseThrow();
        assertThat(category.events().getFirst().payload().get("name")).isEqualTo(List.of(translation("de_DE", "Schühe \\ \"rot\"")));
        // What the App now holds reads back exactly: the same snapshot changes nothing.
        assertThat(planAndDeliver("v2", catalog)).isEmpty();
    }

    @Test
    void badLinesAndDuplicates_areReportedWithTheirLineNumbers_andKeepWhatTheAppHolds() {
        planAndDeliver("v1", CATALOG);
        String broken = CATALOG.replace("{\"type\":\"product\",\"sku\":\"SKU-2\",", "{\"type\":\"product\",\"sku\":\"SKU-2\",\"colour\":1,")
                + "{\"type\":\"category\",\"code\":\"shoes\",\"name\":{\"en_GB\":\"Boots\"}}\n"
                + "{\"type\":\"product\",\"sku\":\"SKU-4\",\"product_type\":\"SIMPLE\",\"values\":{\"price\":{\"\":1}\n";
        byte[] body = broken.getBytes(StandardCharsets.UTF_8);
        snapshots.putInline(installation, "v2", new ByteArrayInputStream(body), body.length);
        UUID run = UUID.randomUUID();

        PlanTotals totals = planner.plan(new PlanRequest(run, installation, "v2", SyncMode.INCREMENTAL, EVERY_EVENT));

        assertThat(totals.rejectedLines()).isEqualTo(3);
        assertThat(writer.rejectedLines(run, 0, 10)).extracting(line -> line.lineNumber() + " " + line.reason())
                .containsExactly(
                        "5 unknown field \"colour\"; a product has only the fields type, sku, product_type, categories, values, variants, bindings, children",
                        "8 invalid JSON at column 81: the line ends before the JSON is complete (a missing \"}\", \"]\" or closing quote?); each line must be one complete JSON object",
                        "7 duplicate category shoes: it is already on line 3; a snapshot holds each resource once");
        assertThat(totals.entries()).isZero(); // SKU-2 stays as the App has it: a bad line is not a deletion
    }

    private List<String> stateKeys() {
        return clients.s3().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(S3DeliveredState.prefix(installation))).contents().stream()
                .map(S3Object::key)
                .toList();
    }

    private static Map<String, Object> translation(String language, String value) {
        Map<String, Object> translation = new LinkedHashMap<>();
        translation.put("language", language);
        translation.put("value", value);
        return translation;
    }

    /** Plans a run from {@code snapshot}, then records every entry as delivered, as the worker would. */
    private List<PlannedEntry> planAndDeliver(String snapshotId, String snapshot) {
        byte[] body = snapshot.getBytes(StandardCharsets.UTF_8);
        snapshots.putInline(installation, snapshotId, new ByteArrayInputStream(body), body.length);
        UUID run = UUID.randomUUID();
        PlanTotals totals = planner.plan(new PlanRequest(run, installation, snapshotId, SyncMode.INCREMENTAL, EVERY_EVENT));
        assertThat(totals.rejectedLines()).isZero();

        List<PlannedEntry> planned = new ArrayList<>();
        for (Phase phase : Phase.values()) {
            for (int chunk = 0; chunk < totals.chunks(phase); chunk++) {
                List<PlannedEntry> entries = chunks.load(new ChunkRef(run, phase, chunk)).entries();
                planned.addAll(entries);
                state.recordDelivered(installation, run, phase, chunk, entries.stream()
                        .map(entry -> new DeliveredState.Delivered(entry.resource(), entry.phase(), entry.state()))
                        .toList());
            }
        }
        return planned;
    }
}
