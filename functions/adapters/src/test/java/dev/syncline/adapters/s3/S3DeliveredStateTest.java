package dev.syncline.adapters.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdInputStream;
import dev.syncline.adapters.aws.AwsClientFactory;
import dev.syncline.adapters.aws.EmulatorClients;
import dev.syncline.adapters.disk.LocalDiskShardSpill;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.metrics.AwsCallCounter;
import dev.syncline.core.plan.Baseline;
import dev.syncline.core.plan.DeliveredState;
import dev.syncline.core.plan.DeliveredState.Delivered;
import dev.syncline.core.plan.Facets;
import dev.syncline.core.snapshot.Attribute;
import dev.syncline.core.snapshot.Category;
import dev.syncline.core.snapshot.Product;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.ResourceType;
import dev.syncline.core.sync.Phase;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

@AwsIntegrationTest
class S3DeliveredStateTest {

    private static final int SHARDS = 8;
    private static final Facets FACETS = new Facets(Set.of("related"));

    @TempDir
    Path temporary;

    private final UUID installation = UUID.randomUUID();
    private AwsClientFactory clients;
    private S3DeliveredState state;
    private String bucket;

    private final Attribute color = new Attribute("color", "SELECT", "global", new TreeMap<>(Map.of("en_GB", "Colour")),
            List.of(new Attribute.Option("red", new TreeMap<>(Map.of("en_GB", "Red")))));
    private final Category shoes = new Category("shoes", new TreeMap<>(Map.of("en_GB", "Shoes")));
    private final Product boot = new Product("SKU-1", "VARIABLE", new TreeSet<>(List.of("shoes")),
            new TreeMap<>(Map.of(
                    "price", new TreeMap<>(Map.<String, Object>of("", new BigDecimal("19.9"))),
                    "related", new TreeMap<>(Map.<String, Object>of("", List.of("SKU-2"))))),
            new TreeSet<>(List.of("SKU-1-RED")), new TreeSet<>(List.of("color")), new TreeMap<>());
    private final Product sock = new Product("SKU-2", "SIMPLE", new TreeSet<>(),
            new TreeMap<>(Map.of("price", new TreeMap<>(Map.<String, Object>of("", new BigDecimal("3"))))),
            new TreeSet<>(), new TreeSet<>(), new TreeMap<>());

    @BeforeEach
    void setUp(AwsStack stack) {
        clients = EmulatorClients.factory(stack);
        bucket = stack.names().bucket();
        state = new S3DeliveredState(clients.s3(), bucket, JsonCodec.create(), LocalDiskShardSpill.factory(temporary), SHARDS);
    }

    @AfterEach
    void tearDown() {
        clients.close();
    }

    @Test
    void begin_forAnInstallationThatNeverReceivedAnything_showsEveryShardEmpty() {
        try (DeliveredState.Pass pass = state.begin(installation, UUID.randomUUID())) {
            for (int shard = 0; shard < SHARDS; shard++) {
                assertThat(pass.shard(shard)).isEmpty();
            }
            pass.commit();
        }

        assertThat(keys()).isEmpty();
        assertThat(temporary).isEmptyDirectory();
    }

    @Test
    void customs_travelWithTheState_theLatestDeliveryWins_aDeletionDropsThem_andAChunksRecordAnswersThem() {
        Map<String, Object> answeredOnCreate = Map.of("external_id", "shop-1");
        Map<String, Object> answeredOnRelations = Map.of("external_id", "shop-1", "price", new BigDecimal("19.90"));
        Map<String, Object> sockCustoms = Map.of("external_id", "shop-2");
        UUID first = UUID.randomUUID();
        state.recordDelivered(installation, first, Phase.PRODUCTS, 0, List.of(
                new Delivered(boot.key(), Phase.PRODUCTS, FACETS.core(boot), answeredOnCreate),
                new Delivered(sock.key(), Phase.PRODUCTS, FACETS.core(sock), sockCustoms)));
        state.recordDelivered(installation, first, Phase.RELATIONS, 0, List.of(
                new Delivered(boot.key(), Phase.RELATIONS, FACETS.relations(boot), answeredOnRelations)));

        assertThat(state.customsDelivered(installation, first, Phase.PRODUCTS, 0))
                .isEqualTo(Map.of(boot.key(), answeredOnCreate, sock.key(), sockCustoms));
        assertThat(state.customsDelivered(installation, first, Phase.PRODUCTS, 1)).as("a chunk that delivered nothing").isEmpty();

        try (DeliveredState.Pass pass = state.begin(installation, UUID.randomUUID())) {
            assertThat(all(pass)).isEqualTo(Map.of(
                    boot.key(), new Baseline(FACETS.core(boot), FACETS.relations(boot), answeredOnRelations),
                    sock.key(), new Baseline(FACETS.core(sock), null, sockCustoms)));
            pass.commit();
        }
        UUID second = UUID.randomUUID();
        state.recordDelivered(installation, second, Phase.PRODUCTS, 0, List.of(new Delivered(sock.key(), Phase.PRODUCTS, null)));

        try (DeliveredState.Pass pass = state.begin(installation, UUID.randomUUID())) {
            assertThat(all(pass)).as("read back from the base shards, the deleted sock gone")
                    .isEqualTo(Map.of(boot.key(), new Baseline(FACETS.core(boot), FACETS.relations(boot), answeredOnRelations)));
            pass.commit();
        }
        UUID third = UUID.randomUUID();
        state.recordDelivered(installation, third, Phase.PRODUCTS, 0, List.of(new Delivered(sock.key(), Phase.PRODUCTS, FACETS.core(sock))));
        try (DeliveredState.Pass pass = state.begin(installation, UUID.randomUUID())) {
            assertThat(all(pass).get(sock.key())).as("created again, without the customs of before its deletion")
                    .isEqualTo(new Baseline(FACETS.core(sock), null, Map.of()));
            pass.commit();
        }
    }

    @Test
    void deliveriesOfTwoChunksAndTwoPhases_areFoldedIntoTheNextPass_andStayAfterItsCommit() {
        UUID first = UUID.randomUUID();
        deliverFirstRun(first);

        Map<ResourceKey, Baseline> expected = Map.of(
                color.key(), new Baseline(color, null),
                shoes.key(), new Baseline(shoes, null),
                boot.key(), new Baseline(FACETS.core(boot), FACETS.relations(boot)),
                sock.key(), new Baseline(FACETS.core(sock), null));
        try (DeliveredState.Pass pass = state.begin(installation, UUID.randomUUID())) {
            assertThat(all(pass)).isEqualTo(expected);
            pass.commit();
        }

        assertThat(keys()).noneMatch(key -> key.contains("/delivered/"));
        try (DeliveredState.Pass pass = state.begin(installation, UUID.randomUUID())) {
            assertThat(all(pass)).isEqualTo(expected);
            pass.commit();
        }
        assertThat(keys()).noneMatch(key -> key.contains("/delivered/"));
        assertThat(keys()).allMatch(key -> key.equals(S3DeliveredState.manifestKey(installation)) || key.contains("/base/1/"));
    }

    @Test
    void recordsKeptPending_passesWriteNoShard_anUnchangedPassWritesNothing_andTheConsolidationFoldsTheMix() {
        S3DeliveredState kept = new S3DeliveredState(clients.s3(), bucket, JsonCodec.create(), LocalDiskShardSpill.factory(temporary), SHARDS, 5);
        Map<String, Object> shop = Map.of("external_id", "shop-1");
        deliverFirstRun(UUID.randomUUID());
        Map<ResourceKey, Baseline> afterFirst = Map.of(
                color.key(), new Baseline(color, null),
                shoes.key(), new Baseline(shoes, null),
                boot.key(), new Baseline(FACETS.core(boot), FACETS.relations(boot)),
                sock.key(), new Baseline(FACETS.core(sock), null));

        assertThat(puts(() -> assertThat(fold(kept)).isEqualTo(afterFirst))).as("only the manifest, naming the 5 records").isEqualTo(1);
        assertThat(keys()).noneMatch(key -> key.contains("/base/")).filteredOn(key -> key.contains("/delivered/")).hasSize(5);
        byte[] manifest = manifest();
        assertThat(puts(() -> assertThat(fold(kept)).isEqualTo(afterFirst))).as("nothing new: nothing written").isZero();
        assertThat(manifest()).isEqualTo(manifest);

        // The second run: the sock deleted, the boot's primary facet delivered again with customs. Six records now.
        UUID second = UUID.randomUUID();
        kept.recordDelivered(installation, second, Phase.PRODUCTS, 0, List.of(
                new Delivered(sock.key(), Phase.PRODUCTS, null),
                new Delivered(boot.key(), Phase.PRODUCTS, FACETS.core(boot), shop)));
        Map<ResourceKey, Baseline> afterSecond = Map.of(
                color.key(), new Baseline(color, null),
                shoes.key(), new Baseline(shoes, null),
                boot.key(), new Baseline(FACETS.core(boot), FACETS.relations(boot), shop));
        try (DeliveredState.Pass pass = kept.begin(installation, UUID.randomUUID())) {
            assertThat(all(pass)).as("pending records applied in order over the base").isEqualTo(afterSecond);
            // Past the bound the pass consolidates: every touched shard written once, the records deleted on commit.
            assertThat(baseShards()).isEqualTo(shardsOf(afterSecond));
            pass.commit();
        }
        assertThat(keys()).noneMatch(key -> key.contains("/delivered/"));

        // The third run re-creates the sock: one record pending over the consolidated shards.
        kept.recordDelivered(installation, UUID.randomUUID(), Phase.PRODUCTS, 1, List.of(new Delivered(sock.key(), Phase.PRODUCTS, FACETS.core(sock))));
        Map<ResourceKey, Baseline> afterThird = new HashMap<>(afterSecond);
        afterThird.put(sock.key(), new Baseline(FACETS.core(sock), null, Map.of()));
        assertThat(puts(() -> assertThat(fold(kept)).isEqualTo(afterThird))).as("only the manifest").isEqualTo(1);
        assertThat(fold(state)).as("the same state read by a planner that keeps nothing pending, which folds the record")
                .isEqualTo(afterThird);
        assertThat(keys()).noneMatch(key -> key.contains("/delivered/"));
        assertThat(fold(kept)).isEqualTo(afterThird);
    }

    @Test
    void aPendingRecordMissing_isReportedAsStateChangedOutsideSyncline() {
        S3DeliveredState kept = new S3DeliveredState(clients.s3(), bucket, JsonCodec.create(), LocalDiskShardSpill.factory(temporary), SHARDS, 5);
        deliverFirstRun(UUID.randomUUID());
        fold(kept);
        String record = keys().stream().filter(key -> key.contains("/delivered/")).findFirst().orElseThrow();
        clients.s3().deleteObject(b -> b.bucket(bucket).key(record));

        assertThatThrownBy(() -> kept.begin(installation, UUID.randomUUID()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(record)
                .hasMessageContaining("changed outside Syncline");
    }

    @Test
    void aDeletion_removesBothFacetsOfAProduct() {
        deliverFirstRun(UUID.randomUUID());
        fold();

        state.recordDelivered(installation, UUID.randomUUID(), Phase.PRODUCTS, 0,
                List.of(new Delivered(boot.key(), Phase.PRODUCTS, null)));

        Map<ResourceKey, Baseline> after = fold();
        assertThat(after).doesNotContainKey(boot.key()).containsKeys(color.key(), shoes.key(), sock.key());
        assertThat(baseShards()).isEqualTo(shardsOf(after));
    }

    @Test
    void aPassThatNeverCommits_leavesThePreviousStateAndItsDeliveriesForTheNextPass() {
        deliverFirstRun(UUID.randomUUID());
        fold();
        Category renamed = new Category("shoes", new TreeMap<>(Map.of("en_GB", "Footwear")));
        state.recordDelivered(installation, UUID.randomUUID(), Phase.CATEGORIES, 0,
                List.of(new Delivered(shoes.key(), Phase.CATEGORIES, renamed)));
        byte[] manifest = manifest();

        try (DeliveredState.Pass crashed = state.begin(installation, UUID.randomUUID())) {
            assertThat(all(crashed).get(shoes.key()).primary()).isEqualTo(renamed);
        }

        assertThat(manifest()).isEqualTo(manifest);
        assertThat(keys()).anyMatch(key -> key.contains("/delivered/"));
        Map<ResourceKey, Baseline> next = fold();
        assertThat(next.get(shoes.key()).primary()).isEqualTo(renamed);
        assertThat(next.get(boot.key())).isEqualTo(new Baseline(FACETS.core(boot), FACETS.relations(boot)));
        assertThat(keys()).noneMatch(key -> key.contains("/delivered/"));
        assertThat(baseShards()).isEqualTo(shardsOf(next));
        assertThat(temporary).isEmptyDirectory();
    }

    @Test
    void anEntryThatFailed_isNotRecorded_soItsResourceKeepsItsOldBaseline() {
        deliverFirstRun(UUID.randomUUID());
        fold();
        Product bootChanged = new Product("SKU-1", "VARIABLE", boot.categories(),
                new TreeMap<>(Map.of("price", new TreeMap<>(Map.<String, Object>of("", new BigDecimal("24.9"))))),
                boot.variants(), boot.bindings(), boot.children());
        Product sockChanged = new Product("SKU-2", "SIMPLE", new TreeSet<>(List.of("shoes")), sock.values(), sock.variants(),
                sock.bindings(), sock.children());

        // The chunk held both products' updates; the App refused the boot's, so only the sock's is recorded.
        state.recordDelivered(installation, UUID.randomUUID(), Phase.PRODUCTS, 0,
                List.of(new Delivered(sock.key(), Phase.PRODUCTS, FACETS.core(sockChanged))));

        Map<ResourceKey, Baseline> after = fold();
        assertThat(after.get(sock.key()).primary()).isEqualTo(FACETS.core(sockChanged));
        assertThat(after.get(boot.key())).isEqualTo(new Baseline(FACETS.core(boot), FACETS.relations(boot)));
        assertThat(after.get(boot.key()).primary()).isNotEqualTo(FACETS.core(bootChanged));
    }

    @Test
    void aRelationsDelivery_replacesOnlyTheRelationsFacet_andAProductsDeliveryOnlyThePrimaryOne() {
        deliverFirstRun(UUID.randomUUID());
        fold();
        Product relationsNow = new Product("SKU-1", "VARIABLE", new TreeSet<>(), new TreeMap<>(), new TreeSet<>(List.of("SKU-1-BLUE")),
                new TreeSet<>(), new TreeMap<>(Map.of("SKU-2", new BigDecimal("2"))));
        UUID run = UUID.randomUUID();
        state.recordDelivered(installation, run, Phase.RELATIONS, 0, List.of(new Delivered(boot.key(), Phase.RELATIONS, relationsNow)));

        Map<ResourceKey, Baseline> after = fold();

        assertThat(after.get(boot.key())).isEqualTo(new Baseline(FACETS.core(boot), relationsNow));
    }

    @Test
    void recordDelivered_repeatedForTheSameChunk_writesOneRecord_andIsFoldedOnce() {
        UUID run = UUID.randomUUID();
        List<Delivered> delivered = List.of(new Delivered(shoes.key(), Phase.CATEGORIES, shoes));

        state.recordDelivered(installation, run, Phase.CATEGORIES, 7, delivered);
        state.recordDelivered(installation, run, Phase.CATEGORIES, 7, delivered);

        assertThat(keys()).containsExactly(S3DeliveredState.deliveredKey(installation, run, Phase.CATEGORIES, 7));
        assertThat(S3DeliveredState.deliveredKey(installation, run, Phase.CATEGORIES, 7))
                .isEqualTo("state/" + installation + "/delivered/" + run + "/categories-000007.ndjson.zst");
        assertThat(fold()).isEqualTo(Map.of(shoes.key(), new Baseline(shoes, null)));
    }

    @Test
    void aRecordOfAnAlreadyFoldedRunTurningUpAgain_isDroppedRatherThanAppliedOverNewerState() {
        UUID first = UUID.randomUUID();
        state.recordDelivered(installation, first, Phase.CATEGORIES, 0, List.of(new Delivered(shoes.key(), Phase.CATEGORIES, shoes)));
        fold();
        Category renamed = new Category("shoes", new TreeMap<>(Map.of("en_GB", "Footwear")));
        state.recordDelivered(installation, UUID.randomUUID(), Phase.CATEGORIES, 0,
                List.of(new Delivered(shoes.key(), Phase.CATEGORIES, renamed)));
        fold();

        state.recordDelivered(installation, first, Phase.CATEGORIES, 0, List.of(new Delivered(shoes.key(), Phase.CATEGORIES, shoes)));

        assertThat(fold().get(shoes.key()).primary()).isEqualTo(renamed);
        assertThat(keys()).noneMatch(key -> key.contains("/delivered/"));
    }

    @Test
    void stateIn256Shards_readsBackEachResourceFromItsOwnShard() {
        S3DeliveredState wide = new S3DeliveredState(clients.s3(), bucket, JsonCodec.create(), LocalDiskShardSpill.factory(temporary));
        List<Delivered> delivered = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            delivered.add(new Delivered(new ResourceKey(ResourceType.CATEGORY, "c" + i), Phase.CATEGORIES,
                    new Category("c" + i, new TreeMap<>(Map.of("en_GB", "C" + i)))));
        }
        wide.recordDelivered(installation, UUID.randomUUID(), Phase.CATEGORIES, 0, delivered.subList(0, 100));
        wide.recordDelivered(installation, UUID.randomUUID(), Phase.CATEGORIES, 1, delivered.subList(100, 300));

        assertThat(wide.shards()).isEqualTo(256);
        try (DeliveredState.Pass pass = wide.begin(installation, UUID.randomUUID())) {
            int total = 0;
            for (int shard = 0; shard < 256; shard++) {
                for (ResourceKey key : pass.shard(shard).keySet()) {
                    assertThat(key.shard(256)).isEqualTo(shard);
                    total++;
                }
            }
            assertThat(total).isEqualTo(300);
            pass.commit();
        }
    }

    @Test
    void begin_withAnotherShardCountThanTheStateWasWrittenWith_isRefused() {
        deliverFirstRun(UUID.randomUUID());
        fold();
        S3DeliveredState other = new S3DeliveredState(clients.s3(), bucket, JsonCodec.create(), LocalDiskShardSpill.factory(temporary), 16);

        assertThatThrownBy(() -> other.begin(installation, UUID.randomUUID()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("8 shards");
    }

    @Test
    void recordDelivered_ofAnEntryOfAnotherPhaseThanItsChunk_isRefused() {
        assertThatThrownBy(() -> state.recordDelivered(installation, UUID.randomUUID(), Phase.PRODUCTS, 0,
                List.of(new Delivered(shoes.key(), Phase.CATEGORIES, shoes))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Two chunks of products and relations, and one each of attributes and categories. */
    @Test
    void stateWrittenAsGzipBeforeZstd_isReadWhereItIs_andTheShardsNoPassRewritesStay() throws IOException {
        S3DeliveredState keepingRecords = new S3DeliveredState(clients.s3(), bucket, JsonCodec.create(), LocalDiskShardSpill.factory(temporary),
                SHARDS, SHARDS);
        deliverFirstRun(UUID.randomUUID());
        fold();
        Category boots = new Category("shoes", new TreeMap<>(Map.of("en_GB", "Boots")));
        Map<String, Object> customs = Map.of("external_id", "category-7");
        UUID second = UUID.randomUUID();
        state.recordDelivered(installation, second, Phase.CATEGORIES, 0, List.of(new Delivered(shoes.key(), Phase.CATEGORIES, boots, customs)));
        fold(keepingRecords); // the manifest names the second run's record as pending
        rewriteAsWrittenBeforeZstd();
        assertThat(keys()).filteredOn(key -> !key.endsWith("manifest.json")).hasSizeGreaterThan(2).allMatch(key -> key.endsWith(".ndjson.gz"));

        assertThat(state.customsDelivered(installation, second, Phase.CATEGORIES, 0)).isEqualTo(Map.of(shoes.key(), customs));
        Map<ResourceKey, Baseline> expected = Map.of(
                color.key(), new Baseline(color, null),
                shoes.key(), new Baseline(boots, null, customs),
                boot.key(), new Baseline(FACETS.core(boot), FACETS.relations(boot)),
                sock.key(), new Baseline(FACETS.core(sock), null));
        assertThat(fold()).as("the gzip shards and the pending gzip record, folded").isEqualTo(expected);
        int rewritten = shoes.key().shard(SHARDS);
        assertThat(keys()).filteredOn(key -> key.contains("/base/"))
                .as("the shard of the renamed category rewritten with zstd, the others still the gzip files of before")
                .allMatch(key -> key.endsWith(key.contains("shard-%03d".formatted(rewritten)) ? ".ndjson.zst" : ".ndjson.gz"))
                .hasSize(shardsOf(expected).size());
        assertThat(fold()).isEqualTo(expected);
    }

    /** Turns every object of the installation's state into what it was before zstd: a gzip file whose key ends in .gz. */
    private void rewriteAsWrittenBeforeZstd() throws IOException {
        for (String key : keys()) {
            byte[] bytes = clients.s3().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
            if (key.endsWith("manifest.json")) {
                String older = new String(bytes, StandardCharsets.UTF_8).replace(".ndjson.zst", ".ndjson.gz");
                clients.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(older));
                continue;
            }
            assertThat(key).endsWith(".ndjson.zst");
            ByteArrayOutputStream gzip = new ByteArrayOutputStream();
            try (InputStream in = new ZstdInputStream(new ByteArrayInputStream(bytes)); OutputStream out = new GZIPOutputStream(gzip)) {
                in.transferTo(out);
            }
            clients.s3().putObject(b -> b.bucket(bucket).key(S3DeliveredState.gzipKey(key)), RequestBody.fromBytes(gzip.toByteArray()));
            clients.s3().deleteObject(b -> b.bucket(bucket).key(key));
        }
    }

    private void deliverFirstRun(UUID run) {
        state.recordDelivered(installation, run, Phase.ATTRIBUTES, 0, List.of(new Delivered(color.key(), Phase.ATTRIBUTES, color)));
        state.recordDelivered(installation, run, Phase.CATEGORIES, 0, List.of(new Delivered(shoes.key(), Phase.CATEGORIES, shoes)));
        state.recordDelivered(installation, run, Phase.PRODUCTS, 0, List.of(new Delivered(boot.key(), Phase.PRODUCTS, FACETS.core(boot))));
        state.recordDelivered(installation, run, Phase.PRODUCTS, 1, List.of(new Delivered(sock.key(), Phase.PRODUCTS, FACETS.core(sock))));
        state.recordDelivered(installation, run, Phase.RELATIONS, 0,
                List.of(new Delivered(boot.key(), Phase.RELATIONS, FACETS.relations(boot))));
    }

    /** A whole planning pass: every shard read, then committed. */
    private Map<ResourceKey, Baseline> fold() {
        return fold(state);
    }

    private Map<ResourceKey, Baseline> fold(S3DeliveredState of) {
        try (DeliveredState.Pass pass = of.begin(installation, UUID.randomUUID())) {
            Map<ResourceKey, Baseline> all = all(pass);
            pass.commit();
            return all;
        }
    }

    private static Map<ResourceKey, Baseline> all(DeliveredState.Pass pass) {
        Map<ResourceKey, Baseline> all = new HashMap<>();
        for (int shard = 0; shard < SHARDS; shard++) {
            all.putAll(pass.shard(shard));
        }
        return all;
    }

    /** The shard number of every base object in the bucket, once per object. */
    private List<Integer> baseShards() {
        return keys().stream()
                .filter(key -> key.contains("/base/"))
                .map(key -> Integer.parseInt(key.substring(key.lastIndexOf("shard-") + 6, key.lastIndexOf("shard-") + 9)))
                .sorted()
                .toList();
    }

    private static List<Integer> shardsOf(Map<ResourceKey, Baseline> state) {
        return state.keySet().stream().map(key -> key.shard(SHARDS)).distinct().sorted().toList();
    }

    /** How many objects {@code action} put into S3. */
    @SuppressWarnings("try") // the scope counts the calls made inside, unreferenced
    private static long puts(Runnable action) {
        AwsCallCounter counted = AwsCallCounter.create();
        try (AwsCallCounter.Scope scope = AwsCallCounter.alsoCountingInto(counted)) {
            action.run();
        }
        return counted.snapshot().of("S3", "PutObject").calls();
    }

    private byte[] manifest() {
        return clients.s3().getObjectAsBytes(b -> b.bucket(bucket).key(S3DeliveredState.manifestKey(installation))).asByteArray();
    }

    private List<String> keys() {
        return clients.s3().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(S3DeliveredState.prefix(installation))).contents().stream()
                .map(S3Object::key)
                .toList();
    }
}
