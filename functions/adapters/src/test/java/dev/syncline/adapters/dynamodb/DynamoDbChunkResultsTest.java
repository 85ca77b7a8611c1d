package dev.syncline.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.adapters.aws.AwsClientFactory;
import dev.syncline.adapters.aws.EmulatorClients;
import dev.syncline.adapters.dynamodb.DynamoDbChunkResults.EntryPage;
import dev.syncline.adapters.dynamodb.DynamoDbChunkResults.RecordedEntry;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.metrics.AwsCallCounter;
import dev.syncline.adapters.metrics.AwsCalls;
import dev.syncline.core.SynclineException;
import dev.syncline.core.delivery.ChunkRef;
import dev.syncline.core.delivery.ChunkResult;
import dev.syncline.core.delivery.ChunkResults;
import dev.syncline.core.delivery.ChunkResults.Pass;
import dev.syncline.core.delivery.ChunkResults.Recorded;
import dev.syncline.core.delivery.ChunkWork;
import dev.syncline.core.delivery.EntryResult;
import dev.syncline.core.delivery.EntryStatus;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.ResourceType;
import dev.syncline.core.sync.Phase;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@AwsIntegrationTest
class DynamoDbChunkResultsTest {

    private AwsStack stack;
    private AwsClientFactory clients;
    private DynamoDbChunkResults results;

    @BeforeEach
    void setUp(AwsStack stack) {
        this.stack = stack;
        clients = EmulatorClients.factory(stack);
        results = new DynamoDbChunkResults(clients.dynamoDb(), stack.names().table(), JsonCodec.create());
    }

    @AfterEach
    void tearDown() {
        clients.close();
    }

    @Test
    void record_first_keepsEveryFieldOfEveryEntry_butCustoms_whichTheDeliveredStateKeeps() {
        ChunkRef ref = new ChunkRef(UUID.randomUUID(), Phase.PRODUCTS, 12);
        Map<String, Object> customs = Map.of("external_id", "shop-981", "flags", List.of(1, 2, Map.of("deep", true)), "price", new BigDecimal("12.50"));
        ChunkResult result = new ChunkResult(ref, List.of(
                new EntryResult(0, product("SKU-1"), "product_created", EntryStatus.SUCCEEDED, 1, 201, null, 35, customs, false),
                new EntryResult(1, product("SKU-2"), "product_updated", EntryStatus.FAILED, 4, 503, "upstream busy", 4100, null, true),
                EntryResult.cancelled(2, new ResourceKey(ResourceType.CATEGORY, "shoes"), "category_deleted")));

        Recorded recorded = results.record(result);

        assertThat(recorded).isEqualTo(new Recorded(result, true));
        assertThat(results.find(ref)).contains(withoutCustoms(result));
        assertThat(results.find(new ChunkRef(ref.runId(), Phase.PRODUCTS, 13))).isEmpty();
        assertThat(results.find(new ChunkRef(ref.runId(), Phase.RELATIONS, 12))).isEmpty();
    }

    @Test
    void recordPass_keepsTheFirstRecordingOfEachPass_andLatestPassFindsTheHighest() {
        ChunkRef ref = new ChunkRef(UUID.randomUUID(), Phase.PRODUCTS, 4);
        ChunkResult afterFirst = new ChunkResult(ref, List.of(succeeded(0, "SKU-1"), open(1, "SKU-2", 2)));
        ChunkResult afterSecond = new ChunkResult(ref, List.of(succeeded(0, "SKU-1"), open(1, "SKU-2", 4)));

        assertThat(results.latestPass(ref)).isEmpty();
        assertThat(results.recordPass(afterFirst, 0)).isEqualTo(new Recorded(afterFirst, true));
        assertThat(results.recordPass(afterSecond, 0)).as("a repeated pass finds the first recording").isEqualTo(new Recorded(afterFirst, false));
        results.recordPass(afterSecond, 1);

        assertThat(results.latestPass(ref)).contains(new Pass(1, afterSecond));
        assertThat(results.latestPass(new ChunkRef(ref.runId(), Phase.PRODUCTS, 40))).as("chunk 40 shares chunk 4's digits").isEmpty();
        assertThat(results.find(ref)).as("progress is not the chunk's result").isEmpty();
        assertThat(results.failed(ref.runId(), 10, null).entries()).isEmpty();
    }

    @Test
    void lease_isHeldByOneCaller_untilItRunsOut() {
        ChunkWork work = new ChunkWork(new ChunkRef(UUID.randomUUID(), Phase.PRODUCTS, 4), 2);
        Instant now = Instant.parse("2026-12-04T12:00:00Z");

        assertThat(results.lease(work, now.plusSeconds(150), now)).isTrue();
        assertThat(results.lease(work, now.plusSeconds(160), now.plusSeconds(10))).as("held by the first").isFalse();
        assertThat(results.lease(work.next(), now.plusSeconds(150), now)).as("another pass has its own").isTrue();
        assertThat(results.lease(work, now.plusSeconds(400), now.plusSeconds(151))).as("the first ran out").isTrue();
    }

    @Test
    void record_again_keepsTheFirstRecordingAndReturnsIt() {
        ChunkRef ref = new ChunkRef(UUID.randomUUID(), Phase.ATTRIBUTES, 0);
        ChunkResult first = new ChunkResult(ref, List.of(succeeded(0, "SKU-1")));
        ChunkResult second = new ChunkResult(ref, List.of(failed(0, "SKU-1", "timeout")));

        results.record(first);
        Recorded again = results.record(second);

        assertThat(again).isEqualTo(new Recorded(first, false));
        assertThat(results.find(ref)).contains(first);
        assertThat(results.failed(ref.runId(), 10, null).entries()).isEmpty();
    }

    @Test
    void record_boundsErrorExcerptsTo500Characters() {
        ChunkRef ref = new ChunkRef(UUID.randomUUID(), Phase.PRODUCTS, 0);

        results.record(new ChunkResult(ref, List.of(failed(0, "SKU-1", "é".repeat(5000)))));

        String stored = results.find(ref).orElseThrow().entries().getFirst().error();
        assertThat(stored).hasSize(501).startsWith("éé").endsWith("…");
    }

    @Test
    void recordPass_aPassTooLargeForOneItem_isSplitAndReadBackWhole_andItsFinalRecordKeepsNoCustoms() {
        ChunkRef ref = new ChunkRef(UUID.randomUUID(), Phase.PRODUCTS, 3);
        // 100 entries with 10 KB of customs each: about 1 MB, three times what an item may hold.
        List<EntryResult> entries = IntStream.range(0, 100)
                .mapToObj(i -> new EntryResult(i, product("SKU-" + i), "product_updated", EntryStatus.SUCCEEDED, 1, 200, null, 12,
                        Map.of("blob", "x".repeat(10_000), "n", i), false))
                .toList();
        ChunkResult large = new ChunkResult(ref, entries);

        Recorded first = results.recordPass(large, 0);
        Recorded again = results.recordPass(new ChunkResult(ref, entries.stream()
                .map(e -> new EntryResult(e.index(), e.resource(), e.event(), EntryStatus.FAILED, 2, 500, "late", 9, e.customs(), true))
                .toList()), 0);

        assertThat(first.first()).isTrue();
        assertThat(again).isEqualTo(new Recorded(large, false));
        assertThat(results.latestPass(ref)).map(ChunkResults.Pass::progress).contains(large);
        // The losing recording removed its own parts: only the winner's two remain.
        assertThat(keysOf("RUN#" + ref.runId() + "#RESULT_PARTS")).hasSize(2);

        assertThat(results.record(large).first()).isTrue();
        assertThat(results.find(ref)).contains(withoutCustoms(large));
        assertThat(results.entries(ref.runId(), Phase.PRODUCTS, 5, null).entries()).extracting(RecordedEntry::result)
                .isEqualTo(withoutCustoms(large).entries());
        assertThat(keysOf("RUN#" + ref.runId() + "#RESULT_PARTS")).as("the final record fits one item").hasSize(2);
        assertThat(results.failed(ref.runId(), 10, null).entries()).isEmpty();
    }

    private static ChunkResult withoutCustoms(ChunkResult result) {
        return new ChunkResult(result.ref(), result.entries().stream()
                .map(e -> new EntryResult(e.index(), e.resource(), e.event(), e.status(), e.attempts(), e.lastHttpStatus(), e.error(),
                        e.durationMillis(), null, e.throttled()))
                .toList());
    }

    @Test
    void failed_listsOnlyTheFailedEntriesOfTheRun_inOrder_aPageAtATime() {
        UUID run = UUID.randomUUID();
        List<String> failedSkus = new ArrayList<>();
        for (int chunk = 0; chunk < 3; chunk++) {
            List<EntryResult> entries = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String sku = "SKU-" + chunk + "-" + i;
                if (i % 4 == 1) {
                    entries.add(failed(i, sku, "HTTP 422: bad " + sku));
                    failedSkus.add(sku);
                } else {
                    entries.add(succeeded(i, sku));
                }
            }
            results.record(new ChunkResult(new ChunkRef(run, Phase.PRODUCTS, chunk), entries));
        }
        results.record(new ChunkResult(new ChunkRef(run, Phase.ATTRIBUTES, 0), List.of(failed(0, "color", "HTTP 500"))));
        results.record(new ChunkResult(new ChunkRef(UUID.randomUUID(), Phase.PRODUCTS, 0), List.of(failed(0, "other-run", "HTTP 500"))));

        List<RecordedEntry> listed = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        do {
            EntryPage page = results.failed(run, 4, cursor);
            listed.addAll(page.entries());
            pageSizes.add(page.entries().size());
            cursor = page.nextCursor();
        } while (cursor != null);

        List<String> expected = new ArrayList<>(List.of("color"));
        expected.addAll(failedSkus);
        assertThat(listed).extracting(e -> e.result().resource().id()).containsExactlyElementsOf(expected);
        assertThat(listed).allSatisfy(e -> assertThat(e.result().status()).isEqualTo(EntryStatus.FAILED));
        assertThat(listed.get(1).chunk()).isEqualTo(new ChunkRef(run, Phase.PRODUCTS, 0));
        assertThat(listed.get(1).result().error()).isEqualTo("HTTP 422: bad SKU-0-1");
        assertThat(pageSizes.subList(0, 2)).containsOnly(4);
        EntryPage products = results.failed(run, Phase.PRODUCTS, 100, null);
        assertThat(products.entries()).extracting(e -> e.result().resource().id()).containsExactlyElementsOf(failedSkus);
        assertThat(results.failed(run, Phase.CATEGORIES, 100, null).entries()).isEmpty();
    }

    @Test
    void failed_indexLostWhenAWorkerDied_isRestoredByTheRedelivery() {
        ChunkRef ref = new ChunkRef(UUID.randomUUID(), Phase.PRODUCTS, 0);
        ChunkResult result = new ChunkResult(ref, List.of(succeeded(0, "SKU-1"), failed(1, "SKU-2", "HTTP 400")));
        results.record(result);
        // As if the worker had died after the chunk item and before the index.
        for (Map<String, AttributeValue> key : keysOf(DynamoDbChunkResults.failedPk(ref.runId()))) {
            stack.dynamoDb().deleteItem(b -> b.tableName(stack.names().table()).key(key));
        }
        assertThat(results.failed(ref.runId(), 10, null).entries()).isEmpty();

        results.record(result);

        assertThat(results.failed(ref.runId(), 10, null).entries()).extracting(e -> e.result().resource().id()).containsExactly("SKU-2");
    }

    @Test
    void entries_listsAPhaseInChunkOrder_aFewChunksAPage() {
        UUID run = UUID.randomUUID();
        for (int chunk = 4; chunk >= 0; chunk--) {
            results.record(new ChunkResult(new ChunkRef(run, Phase.CATEGORIES, chunk),
                    List.of(succeeded(0, "c" + chunk + "a"), succeeded(1, "c" + chunk + "b"))));
        }
        results.record(new ChunkResult(new ChunkRef(run, Phase.PRODUCTS, 0), List.of(succeeded(0, "p"))));

        EntryPage first = results.entries(run, Phase.CATEGORIES, 2, null);
        EntryPage second = results.entries(run, Phase.CATEGORIES, 2, first.nextCursor());
        EntryPage third = results.entries(run, Phase.CATEGORIES, 2, second.nextCursor());

        assertThat(first.entries()).extracting(e -> e.result().resource().id()).containsExactly("c0a", "c0b", "c1a", "c1b");
        assertThat(second.entries()).extracting(e -> e.result().resource().id()).containsExactly("c2a", "c2b", "c3a", "c3b");
        assertThat(third.entries()).extracting(e -> e.result().resource().id()).containsExactly("c4a", "c4b");
        assertThat(third.nextCursor()).satisfiesAnyOf(c -> assertThat(c).isNull(),
                c -> assertThat(results.entries(run, Phase.CATEGORIES, 2, c).entries()).isEmpty());
    }

    @Test
    void entries_withACursorOfAnotherPhaseOrAForgedOne_saysWhatToPass() {
        UUID run = UUID.randomUUID();
        for (int chunk = 0; chunk < 3; chunk++) {
            results.record(new ChunkResult(new ChunkRef(run, Phase.PRODUCTS, chunk), List.of(succeeded(0, "p" + chunk))));
        }
        String productsCursor = results.entries(run, Phase.PRODUCTS, 1, null).nextCursor();

        assertThatThrownBy(() -> results.entries(run, Phase.CATEGORIES, 1, productsCursor))
                .isInstanceOf(SynclineException.Invalid.class)
                .hasMessageContaining("cursor");
        assertThatThrownBy(() -> results.failed(run, 1, "bm90LWEtY3Vyc29y"))
                .isInstanceOf(SynclineException.Invalid.class);
    }

    @Test
    @SuppressWarnings("try") // the scope counts the calls made inside, unreferenced
    void record_aChunkOf250Entries_isOneWriteOfAFewUnits_andEveryReaderGetsItsEntriesBackExactly() {
        ChunkRef ref = new ChunkRef(UUID.randomUUID(), Phase.PRODUCTS, 7);
        ChunkResult result = new ChunkResult(ref, chunkOf250());

        AwsCallCounter counted = AwsCallCounter.create();
        try (AwsCallCounter.Scope scope = AwsCallCounter.alsoCountingInto(counted)) {
            assertThat(results.record(result)).isEqualTo(new Recorded(result, true));
        }

        AwsCalls.Count put = counted.snapshot().of("DynamoDb", "PutItem");
        assertThat(put.calls()).as("the chunk item in one put").isEqualTo(1);
        // The same entries as a list of maps, as the chunk item held them before: 20 KB, 20 units.
        assertThat(put.allWriteUnits()).as("write units of the chunk item").isLessThanOrEqualTo(4);
        assertThat(results.find(ref)).contains(result);
        assertThat(results.entries(ref.runId(), Phase.PRODUCTS, 5, null).entries()).extracting(RecordedEntry::result)
                .isEqualTo(result.entries());
        assertThat(results.failed(ref.runId(), 100, null).entries()).extracting(RecordedEntry::result)
                .isEqualTo(result.entries().stream().filter(entry -> entry.status() == EntryStatus.FAILED).toList());
        assertThat(results.record(new ChunkResult(ref, List.of(failed(0, "SKU-X", "late"))))).as("a second recording finds the first")
                .isEqualTo(new Recorded(result, false));
    }

    @Test
    void find_andEntries_readAChunkItemWrittenBeforeEntriesWerePacked_asTheyReadAPackedOne() {
        UUID run = UUID.randomUUID();
        List<EntryResult> entries = chunkOf250();
        ChunkRef before = new ChunkRef(run, Phase.PRODUCTS, 0);
        ChunkRef after = new ChunkRef(run, Phase.PRODUCTS, 1);
        stack.dynamoDb().putItem(b -> b.tableName(stack.names().table()).item(asWrittenBeforePacking(before, entries)));
        results.record(new ChunkResult(after, entries));

        assertThat(results.find(before)).map(ChunkResult::entries).contains(entries);
        assertThat(results.find(after)).map(ChunkResult::entries).contains(entries);
        assertThat(results.entries(run, Phase.PRODUCTS, 5, null).entries())
                .extracting(RecordedEntry::chunk, RecordedEntry::result)
                .containsExactlyElementsOf(java.util.stream.Stream.of(before, after)
                        .flatMap(ref -> entries.stream().map(entry -> org.assertj.core.groups.Tuple.tuple(ref, entry)))
                        .toList());
    }

    /**
     * A chunk's entries as a run delivers them: mostly created or updated at once, some after a retry the App
     * pushed back on, a few refused with its answer, a few cancelled.
     */
    private static List<EntryResult> chunkOf250() {
        return IntStream.range(0, 250).mapToObj(i -> {
            ResourceKey resource = product("SKU-" + (100_000 + 37 * i));
            String event = i % 3 == 0 ? "product_updated" : "product_created";
            if (i % 50 == 7) {
                return new EntryResult(i, resource, event, EntryStatus.FAILED, 1, 422, "HTTP 422: price below cost for " + resource.id(),
                        40 + i, null, false);
            }
            if (i % 50 == 13) {
                return EntryResult.cancelled(i, resource, event);
            }
            if (i % 25 == 3) {
                return new EntryResult(i, resource, event, EntryStatus.SUCCEEDED, 2, 200, null, 1_200 + i, null, true);
            }
            return new EntryResult(i, resource, event, EntryStatus.SUCCEEDED, 1, i % 3 == 0 ? 200 : 201, null, 7 * i % 900, null, false);
        }).toList();
    }

    /** The chunk item as versions before packed entries wrote it: one map per entry under short names. */
    private static Map<String, AttributeValue> asWrittenBeforePacking(ChunkRef ref, List<EntryResult> entries) {
        List<AttributeValue> maps = new ArrayList<>();
        for (EntryResult entry : entries) {
            Map<String, AttributeValue> m = new java.util.HashMap<>();
            m.put("i", AttributeValue.fromN(Integer.toString(entry.index())));
            m.put("rt", AttributeValue.fromS(entry.resource().type().wireName()));
            m.put("ri", AttributeValue.fromS(entry.resource().id()));
            m.put("ev", AttributeValue.fromS(entry.event()));
            m.put("st", AttributeValue.fromS(entry.status().wireName()));
            m.put("at", AttributeValue.fromN(Integer.toString(entry.attempts())));
            m.put("hs", AttributeValue.fromN(Integer.toString(entry.lastHttpStatus())));
            m.put("ms", AttributeValue.fromN(Long.toString(entry.durationMillis())));
            if (entry.error() != null) {
                m.put("er", AttributeValue.fromS(entry.error()));
            }
            if (entry.throttled()) {
                m.put("th", AttributeValue.fromBool(true));
            }
            maps.add(AttributeValue.fromM(m));
        }
        return Map.of(
                "pk", AttributeValue.fromS("RUN#" + ref.runId() + "#RESULTS"),
                "sk", AttributeValue.fromS(String.format(java.util.Locale.ROOT, "%d_%s#%010d", ref.phase().ordinal(), ref.phase().wireName(), ref.chunk())),
                "phase", AttributeValue.fromS(ref.phase().wireName()),
                "chunk", AttributeValue.fromN(Integer.toString(ref.chunk())),
                "succeeded", AttributeValue.fromN(Long.toString(entries.stream().filter(e -> e.status() == EntryStatus.SUCCEEDED).count())),
                "failed", AttributeValue.fromN(Long.toString(entries.stream().filter(e -> e.status() == EntryStatus.FAILED).count())),
                "cancelled", AttributeValue.fromN(Long.toString(entries.stream().filter(e -> e.status() == EntryStatus.CANCELLED).count())),
                "entries", AttributeValue.fromL(maps));
    }

    private List<Map<String, AttributeValue>> keysOf(String pk) {
        return stack.dynamoDb().query(b -> b.tableName(stack.names().table())
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))
                        .projectionExpression("pk, sk"))
                .items();
    }

    private static ResourceKey product(String sku) {
        return new ResourceKey(ResourceType.PRODUCT, sku);
    }

    private static EntryResult succeeded(int index, String sku) {
        return new EntryResult(index, product(sku), "product_created", EntryStatus.SUCCEEDED, 1, 200, null, 20, null, false);
    }

    private static EntryResult failed(int index, String sku, String error) {
        return new EntryResult(index, product(sku), "product_created", EntryStatus.FAILED, 3, 422, error, 90, null, false);
    }

    /** An entry a pass had no time left for, after {@code attempts} attempts answered 503. */
    private static EntryResult open(int index, String sku, int attempts) {
        return new EntryResult(index, product(sku), "product_created", EntryStatus.PLANNED, attempts, 503, "HTTP 503", 2400, null, true);
    }
}
