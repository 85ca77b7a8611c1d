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
import dev.syncline.core.sync.Phase;
import dev.syncline.core.sync.SyncMode;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    private Planner planner;

    @BeforeEach
    void setUp(AwsStack stack) {
        clients = EmulatorClients.factory(stack);
        String bucket = stack.names().bucket();
        JsonCodec json = JsonCodec.create();
        snapshots = new S3SnapshotStore(clients.s3(), bucket);
        state = new S3DeliveredState(clients.s3(), bucket, json, LocalDiskShardSpill.factory(temporary), 16);
        chunks = new S3ChunkStore(clients.s3(), bucket);
        planner = new Planner(snapshots, state, LocalDiskShardSpill.factory(temporary), new S3PlanWriter(clients.s3(), bucket, json, temporary));
    }

    @AfterEach
    void tearDown() {
        clients.close();
    }

    @Test
    void aRunAfterEverythingWasDelivered_plansOnlyWhatChangedInTheSnapshot() {
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
