package dev.syncline.adapters.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdInputStream;
import dev.syncline.adapters.aws.AwsClientFactory;
import dev.syncline.adapters.aws.EmulatorClients;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.core.delivery.ChunkRef;
import dev.syncline.core.plan.ChangeEvent;
import dev.syncline.core.plan.PlanReason;
import dev.syncline.core.plan.PlanTotals;
import dev.syncline.core.plan.PlanWriter;
import dev.syncline.core.plan.PlannedEntry;
import dev.syncline.core.snapshot.Category;
import dev.syncline.core.snapshot.Product;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.ResourceType;
import dev.syncline.core.snapshot.SnapshotLine;
import dev.syncline.core.sync.Phase;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

@AwsIntegrationTest
class S3PlanWriterTest {

    @TempDir
    Path temporary;

    private final UUID runId = UUID.randomUUID();
    private AwsClientFactory clients;
    private S3PlanWriter writer;
    private S3ChunkStore chunks;
    private String bucket;

    @BeforeEach
    void setUp(AwsStack stack) {
        clients = EmulatorClients.factory(stack);
        bucket = stack.names().bucket();
        writer = new S3PlanWriter(clients.s3(), bucket, JsonCodec.create(), temporary);
        chunks = new S3ChunkStore(clients.s3(), bucket);
    }

    @AfterEach
    void tearDown() {
        clients.close();
    }

    @Test
    void finish_cutsEachPhaseIntoChunksOf250Entries_andCountsThemExactly() {
        PlanTotals totals;
        try (PlanWriter.Plan plan = writer.open(runId)) {
            for (int i = 0; i < 625; i++) {
                plan.add(product(i, 10));
                if (i < 3) {
                    plan.add(category(i));
                }
            }
            totals = plan.finish();
        }

        assertThat(totals.chunkSizes().get(Phase.PRODUCTS)).containsExactly(250, 250, 125);
        assertThat(totals.chunkSizes().get(Phase.CATEGORIES)).containsExactly(3);
        assertThat(totals.chunkSizes().get(Phase.ATTRIBUTES)).isEmpty();
        assertThat(totals.entries()).isEqualTo(628);
        assertThat(totals.rejectedLines()).isZero();
        assertThat(keys()).containsExactlyInAnyOrder(
                "plans/" + runId + "/categories/000000.json.zst",
                "plans/" + runId + "/products/000000.json.zst",
                "plans/" + runId + "/products/000001.json.zst",
                "plans/" + runId + "/products/000002.json.zst");
        List<String> skus = new ArrayList<>();
        for (int chunk = 0; chunk < 3; chunk++) {
            chunks.load(new ChunkRef(runId, Phase.PRODUCTS, chunk)).entries().forEach(entry -> skus.add(entry.resource().id()));
        }
        assertThat(skus).hasSize(625).startsWith("SKU-0", "SKU-1").endsWith("SKU-624");
    }

    @Test
    void chunksOfAPhaseDoubleAfterTheFirst64_andAgainAfter128_inEntriesAndInBytes() throws IOException {
        int small = 64 * 250 + 64 * 500 + 1_500;
        PlanTotals totals;
        try (PlanWriter.Plan plan = writer.open(runId)) {
            for (int i = 0; i < small; i++) {
                plan.add(product(i, 10));
            }
            for (int i = small; i < small + 100; i++) {
                plan.add(product(i, 30_000));
            }
            plan.add(category(0));
            totals = plan.finish();
        }

        int[] sizes = totals.chunkSizes().get(Phase.PRODUCTS);
        assertThat(Arrays.copyOfRange(sizes, 0, 64)).containsOnly(250);
        assertThat(Arrays.copyOfRange(sizes, 64, 128)).containsOnly(500);
        assertThat(sizes[128]).isEqualTo(1_000);
        assertThat(totals.chunkSizes().get(Phase.CATEGORIES)).containsExactly(1); // each phase counts its own chunks
        assertThat(totals.entries(Phase.PRODUCTS)).isEqualTo(small + 100L);
        List<String> skus = chunks.load(new ChunkRef(runId, Phase.PRODUCTS, 128)).entries().stream().map(entry -> entry.resource().id()).toList();
        assertThat(skus).hasSize(1_000).startsWith("SKU-48000").endsWith("SKU-48999");
        // The 500 small entries left share a chunk with large ones, cut by the grown byte limit, not the first one.
        ChunkRef byBytes = new ChunkRef(runId, Phase.PRODUCTS, 129);
        assertThat(uncompressedSize(byBytes)).isGreaterThan(S3PlanWriter.MAX_BYTES).isLessThanOrEqualTo(S3PlanWriter.maxBytes(129));
        assertThat(S3PlanWriter.maxBytes(129)).isEqualTo(4 * S3PlanWriter.MAX_BYTES);
        assertThat(S3PlanWriter.maxEntries(10_000)).isEqualTo(1_000);
    }

    @Test
    void finish_cutsAChunkBeforeItsJsonPassesTheByteLimit_andCountsEveryEntry() throws IOException {
        PlanTotals totals;
        try (PlanWriter.Plan plan = writer.open(runId)) {
            for (int i = 0; i < 40; i++) {
                plan.add(product(i, 30_000));
            }
            totals = plan.finish();
        }

        int[] sizes = totals.chunkSizes().get(Phase.PRODUCTS);
        assertThat(sizes).hasSizeGreaterThan(1);
        assertThat(Arrays.stream(sizes).max().orElseThrow()).isLessThan(S3PlanWriter.MAX_ENTRIES);
        assertThat(totals.entries(Phase.PRODUCTS)).isEqualTo(40);
        for (int chunk = 0; chunk < sizes.length; chunk++) {
            ChunkRef ref = new ChunkRef(runId, Phase.PRODUCTS, chunk);
            assertThat(uncompressedSize(ref)).isLessThanOrEqualTo(S3PlanWriter.MAX_BYTES);
            assertThat(chunks.load(ref).entries()).hasSize(sizes[chunk]);
        }
        // Full chunks are full: the next entry would not have fitted.
        assertThat(uncompressedSize(new ChunkRef(runId, Phase.PRODUCTS, 0))).isGreaterThan(S3PlanWriter.MAX_BYTES - 40_000);
    }

    @Test
    void finish_givesAnEntryBiggerThanAChunkAChunkOfItsOwn() {
        PlanTotals totals;
        try (PlanWriter.Plan plan = writer.open(runId)) {
            plan.add(product(0, 10));
            plan.add(product(1, 600_000));
            plan.add(product(2, 10));
            totals = plan.finish();
        }

        assertThat(totals.chunkSizes().get(Phase.PRODUCTS)).containsExactly(1, 1, 1);
        assertThat(chunks.load(new ChunkRef(runId, Phase.PRODUCTS, 1)).entries().getFirst().resource().id()).isEqualTo("SKU-1");
    }

    @Test
    void aRelationsEntryRightAfterItsProductsEntry_sendsTheCustomsTheAppAnswersInThatEntrysChunk() {
        PlanTotals totals;
        List<PlannedEntry> added = new ArrayList<>();
        try (PlanWriter.Plan plan = writer.open(runId)) {
            for (int i = 0; i < 300; i++) {
                added.add(product(i, 10).withCustoms(Map.of("id", "app-" + i)));
                // Every other product has a relations entry right after its products-phase one; SKU-7's comes late.
                if (i % 2 == 1 && i != 7) {
                    added.add(relations(i));
                }
            }
            added.add(relations(7));
            added.forEach(plan::add);
            totals = plan.finish();
        }

        assertThat(totals.chunkSizes().get(Phase.PRODUCTS)).containsExactly(250, 50);
        List<PlannedEntry> loaded = new ArrayList<>();
        for (Phase phase : List.of(Phase.PRODUCTS, Phase.RELATIONS)) {
            for (int chunk = 0; chunk < totals.chunkSizes().get(phase).length; chunk++) {
                loaded.addAll(chunks.load(new ChunkRef(runId, phase, chunk)).entries());
            }
        }
        assertThat(loaded).extracting(entry -> entry.resource().id() + " " + entry.phase() + " " + entry.customs() + " " + entry.customsChunk())
                .startsWith("SKU-0 PRODUCTS {id=app-0} -1", "SKU-1 PRODUCTS {id=app-1} -1")
                .contains("SKU-1 RELATIONS {} 0", "SKU-249 RELATIONS {} 0", "SKU-251 RELATIONS {} 1")
                // Not right after its products-phase entry: it sends the customs the App had before the run.
                .endsWith("SKU-7 RELATIONS {} -1")
                .hasSize(added.size());
        assertThat(loaded).extracting(PlannedEntry::state)
                .containsExactlyInAnyOrderElementsOf(added.stream().map(PlannedEntry::state).toList());
    }

    @Test
    void rejectedLines_arePagedInTheOrderTheyWereRejected_withTheirKeys() {
        PlanTotals totals;
        try (PlanWriter.Plan plan = writer.open(runId)) {
            for (int line = 1; line <= 5; line++) {
                plan.reject(new SnapshotLine.Rejected(line * 10, "reason " + line,
                        line % 2 == 0 ? null : new ResourceKey(ResourceType.PRODUCT, "SKU-" + line)));
            }
            plan.add(category(0));
            totals = plan.finish();
        }

        assertThat(totals.rejectedLines()).isEqualTo(5);
        assertThat(writer.rejectedLines(runId, 1, 2)).containsExactly(
                new SnapshotLine.Rejected(20, "reason 2", null),
                new SnapshotLine.Rejected(30, "reason 3", new ResourceKey(ResourceType.PRODUCT, "SKU-3")));
        assertThat(writer.rejectedLines(runId, 0, 100)).hasSize(5);
        assertThat(writer.rejectedLines(runId, 5, 100)).isEmpty();
        assertThat(temporary).isEmptyDirectory();
    }

    @Test
    void rejectedLines_ofAPlanThatRejectedNothing_areEmpty() {
        try (PlanWriter.Plan plan = writer.open(runId)) {
            plan.add(category(0));
            plan.finish();
        }

        assertThat(writer.rejectedLines(runId, 0, 10)).isEmpty();
        assertThat(keys()).doesNotContain(S3PlanWriter.rejectedKey(runId));
    }

    @Test
    void close_withoutFinish_abandonsThePlan_andItsLocalFiles() {
        PlanWriter.Plan plan = writer.open(runId);
        plan.reject(new SnapshotLine.Rejected(1, "bad", null));
        plan.add(category(0));

        plan.close();

        assertThat(temporary).isEmptyDirectory();
        assertThat(writer.rejectedLines(runId, 0, 10)).isEmpty();
        assertThatThrownBy(() -> plan.add(category(1))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void add_afterFinish_isRefused() {
        PlanWriter.Plan plan = writer.open(runId);
        plan.finish();

        assertThatThrownBy(() -> plan.add(category(0))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(plan::finish).isInstanceOf(IllegalStateException.class);
    }

    private static PlannedEntry product(int i, int descriptionLength) {
        String description = "x".repeat(descriptionLength);
        Product product = new Product("SKU-" + i, "SIMPLE", new TreeSet<>(),
                new TreeMap<>(Map.of("description", new TreeMap<>(Map.<String, Object>of("en_GB", description)))),
                new TreeSet<>(), new TreeSet<>(), new TreeMap<>());
        return new PlannedEntry(Phase.PRODUCTS, "product_created", product.key(),
                List.of(new ChangeEvent("product_created", Map.of("sku", product.sku(), "type", "SIMPLE"))),
                PlanReason.created(), product);
    }

    private static PlannedEntry relations(int i) {
        Product product = new Product("SKU-" + i, "VARIABLE", new TreeSet<>(), new TreeMap<>(), new TreeSet<>(List.of("SKU-" + (i + 1))),
                new TreeSet<>(), new TreeMap<>());
        return new PlannedEntry(Phase.RELATIONS, "product_updated", product.key(),
                List.of(new ChangeEvent("product_variant_added", Map.of("sku", "SKU-" + (i + 1)))), PlanReason.created(), product);
    }

    private static PlannedEntry category(int i) {
        Category category = new Category("category-" + i, new TreeMap<>(Map.of("en_GB", "Category " + i)));
        return new PlannedEntry(Phase.CATEGORIES, "category_created", category.key(),
                List.of(new ChangeEvent("category_created", Map.of("code", category.code()))), PlanReason.created(), category);
    }

    private List<String> keys() {
        return clients.s3().listObjectsV2Paginator(b -> b.bucket(bucket).prefix("plans/" + runId + "/")).contents().stream()
                .map(S3Object::key)
                .toList();
    }

    private long uncompressedSize(ChunkRef ref) throws IOException {
        try (InputStream in = new ZstdInputStream(clients.s3().getObject(b -> b.bucket(bucket).key(S3ChunkStore.key(ref))))) {
            return in.transferTo(OutputStream.nullOutputStream());
        }
    }
}
