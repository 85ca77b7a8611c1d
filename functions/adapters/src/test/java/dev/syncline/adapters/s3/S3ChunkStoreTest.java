package dev.syncline.adapters.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdInputStream;
import dev.syncline.adapters.aws.AwsClientFactory;
import dev.syncline.adapters.aws.EmulatorClients;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.core.delivery.Chunk;
import dev.syncline.core.delivery.ChunkRef;
import dev.syncline.core.plan.ChangeEvent;
import dev.syncline.core.plan.PlanReason;
import dev.syncline.core.plan.PlanTotals;
import dev.syncline.core.plan.PlanWriter;
import dev.syncline.core.plan.PlannedEntry;
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
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

@AwsIntegrationTest
class S3ChunkStoreTest {

    @TempDir
    Path temporary;

    private final UUID runId = UUID.randomUUID();
    private AwsClientFactory clients;
    private S3PlanWriter writer;
    private S3ChunkStore store;
    private String bucket;

    @BeforeEach
    void setUp(AwsStack stack) {
        clients = EmulatorClients.factory(stack);
        bucket = stack.names().bucket();
        writer = new S3PlanWriter(clients.s3(), bucket, JsonCodec.create(), temporary);
        store = new S3ChunkStore(clients.s3(), bucket);
    }

    @AfterEach
    void tearDown() {
        clients.close();
    }

    @Test
    void aChunkFile_isTheDocumentedJson_entryByEntry() throws IOException {
        Product shoe = new Product("SKU-ü😀", "SIMPLE", new TreeSet<>(List.of("shoes")),
                new TreeMap<>(Map.of("price", new TreeMap<>(Map.<String, Object>of("", new BigDecimal("19.90"))))),
                new TreeSet<>(), new TreeSet<>(), new TreeMap<>());
        Map<String, Object> price = new LinkedHashMap<>();
        price.put("language", null);
        price.put("value", new BigDecimal("19.90"));
        Map<String, Object> valueAdded = new LinkedHashMap<>();
        valueAdded.put("attribute_code", "price");
        valueAdded.put("translations", List.of(price));
        PlanWriter.Plan plan = writer.open(runId);
        plan.add(new PlannedEntry(Phase.PRODUCTS, "product_created", shoe.key(), List.of(
                new ChangeEvent("product_created", new LinkedHashMap<>(Map.of("sku", "SKU-ü😀"))),
                new ChangeEvent("product_value_added", valueAdded)),
                PlanReason.changed(List.of("values.price")), shoe).withCustoms(Map.of("shop_id", 42)));
        plan.add(new PlannedEntry(Phase.PRODUCTS, "product_deleted", new ResourceKey(ResourceType.PRODUCT, "SKU-\"2\""), List.of(),
                PlanReason.deleted(), null));
        plan.finish();

        byte[] file = clients.s3().getObjectAsBytes(b -> b.bucket(bucket).key(S3ChunkStore.key(new ChunkRef(runId, Phase.PRODUCTS, 0))))
                .asByteArray();
        String json = new String(new ZstdInputStream(new ByteArrayInputStream(file)).readAllBytes(), StandardCharsets.UTF_8);

        // The codec escapes a character beyond the BMP as its two UTF-16 halves; the state is its snapshot line's object.
        assertThat(json).isEqualTo(("""
                {"run_id":"%s","phase":"products","chunk":0,"entries":[\
                {"phase":"products","event":"product_created","resource":{"type":"product","id":"SKU-ü\\uD83D\\uDE00"},\
                "events":[{"type":"product_created","payload":{"sku":"SKU-ü\\uD83D\\uDE00"}},\
                {"type":"product_value_added","payload":{"attribute_code":"price","translations":[{"language":null,"value":19.90}]}}],\
                "reason":{"kind":"changed","changed":["values.price"]},\
                "state":{"bindings":[],"categories":["shoes"],"children":[],"product_type":"SIMPLE",\
                "sku":"SKU-ü\\uD83D\\uDE00","type":"product","values":{"price":{"":19.90}},"variants":[]},"customs":{"shop_id":42}},\
                {"phase":"products","event":"product_deleted","resource":{"type":"product","id":"SKU-\\"2\\""},"events":[],\
                "reason":{"kind":"deleted","changed":[]},"state":null,"customs":{}}]}""").formatted(runId));
        Chunk loaded = store.load(new ChunkRef(runId, Phase.PRODUCTS, 0));
        assertThat(loaded.entries().getFirst().state()).isEqualTo(shoe);
        assertThat(loaded.entries().get(1).state()).isNull();
    }

    @Test
    void load_ofAChunkWrittenWhileStatesWereTheirLinesAsStringsAndChunksGzipFiles_readsTheSameEntries() throws IOException {
        Product shoe = new Product("SKU-ü😀", "SIMPLE", new TreeSet<>(List.of("shoes")),
                new TreeMap<>(Map.of("price", new TreeMap<>(Map.<String, Object>of("", new BigDecimal("19.90"))))),
                new TreeSet<>(), new TreeSet<>(), new TreeMap<>());
        String written = ("""
                {"run_id":"%s","phase":"products","chunk":0,"entries":[\
                {"phase":"products","event":"product_created","resource":{"type":"product","id":"SKU-ü\\uD83D\\uDE00"},\
                "events":[{"type":"product_created","payload":{"sku":"SKU-ü\\uD83D\\uDE00"}}],\
                "reason":{"kind":"changed","changed":["values.price"]},\
                "state":"{\\"bindings\\":[],\\"categories\\":[\\"shoes\\"],\\"children\\":[],\\"product_type\\":\\"SIMPLE\\",\
                \\"sku\\":\\"SKU-ü😀\\",\\"type\\":\\"product\\",\\"values\\":{\\"price\\":{\\"\\":19.90}},\\"variants\\":[]}","customs":{"shop_id":42}},\
                {"phase":"products","event":"product_deleted","resource":{"type":"product","id":"SKU-\\"2\\""},"events":[],\
                "reason":{"kind":"deleted","changed":[]},"state":null,"customs":{}}]}""").formatted(runId);
        ChunkRef ref = new ChunkRef(runId, Phase.PRODUCTS, 0);
        // Such a chunk is a gzip file, and its key ends in .json.gz.
        clients.s3().putObject(b -> b.bucket(bucket).key("plans/" + runId + "/products/000000.json.gz"), RequestBody.fromBytes(gzip(written)));

        List<PlannedEntry> loaded = store.load(ref).entries();

        assertThat(loaded).extracting(entry -> entry.resource().id()).containsExactly("SKU-ü😀", "SKU-\"2\"");
        assertThat(loaded.getFirst().state()).isEqualTo(shoe);
        assertThat(loaded.getFirst().customs()).isEqualTo(Map.of("shop_id", new BigDecimal("42")));
        assertThat(loaded.get(1).state()).isNull();
        assertThat(loaded.get(1).event()).isEqualTo("product_deleted");
    }

    @Test
    void load_returnsEntriesEqualToThoseWritten_withEveryPayloadShapeAndState() {
        Attribute color = new Attribute("color", "SELECT", "global", new TreeMap<>(Map.of("en_GB", "Colour", "de_DE", "Farbe")),
                List.of(new Attribute.Option("red", new TreeMap<>(Map.of("en_GB", "Red"))), new Attribute.Option("blue", new TreeMap<>())));
        Product core = new Product("SKU-1", "VARIABLE", new TreeSet<>(List.of("shoes", "sale")),
                new TreeMap<>(Map.of(
                        // Resources are normalized (the snapshot reader strips trailing zeros); payloads are kept as planned.
                        "price", new TreeMap<>(Map.<String, Object>of("", new BigDecimal("19.90"))),
                        "dimensions", new TreeMap<>(Map.<String, Object>of("", Map.of("width", new BigDecimal("1000"), "unit", "mm"))),
                        "tags", new TreeMap<>(Map.<String, Object>of("en_GB", List.of("warm", "winter"))),
                        "eco", new TreeMap<>(Map.<String, Object>of("", Boolean.TRUE)),
                        "description", new TreeMap<>(Map.<String, Object>of("en_GB", "Two\nlines, \"quoted\"")))),
                new TreeSet<>(), new TreeSet<>(List.of("color")), new TreeMap<>());
        Product relations = new Product("SKU-1", "VARIABLE", new TreeSet<>(), new TreeMap<>(Map.of(
                        "related", new TreeMap<>(Map.<String, Object>of("", List.of("SKU-7", "SKU-8"))))),
                new TreeSet<>(List.of("SKU-1-RED")), new TreeSet<>(), new TreeMap<>(Map.of("SKU-2", new BigDecimal("2.50"))));

        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("language", null);
        nested.put("value", new BigDecimal("12345678901234567890.123456789012345678901234567890"));
        Map<String, Object> everyShape = new LinkedHashMap<>();
        everyShape.put("attribute_code", "price");
        everyShape.put("translations", List.of(nested, Map.of("language", "en_GB", "value", new BigDecimal("-0.000001"))));
        everyShape.put("integer", new BigDecimal("42"));
        everyShape.put("exponent", new BigDecimal("6E+500"));
        everyShape.put("scale", new BigDecimal("19.90"));
        everyShape.put("flag", Boolean.FALSE);
        everyShape.put("nothing", null);
        everyShape.put("empty_list", List.of());
        everyShape.put("empty_map", Map.of());
        everyShape.put("text", "Stiefel \"warm\" \u00e9\u00e8 \uD83D\uDC62\n2nd line");
        List<PlannedEntry> entries = List.of(
                new PlannedEntry(Phase.ATTRIBUTES, "attribute_created", color.key(),
                        List.of(new ChangeEvent("attribute_created", Map.of("code", "color", "name", List.of(Map.of("language", "en_GB", "value", "Colour"))))),
                        PlanReason.created(), color),
                new PlannedEntry(Phase.CATEGORIES, "category_updated", new ResourceKey(ResourceType.CATEGORY, "shoes"),
                        List.of(new ChangeEvent("category_name_changed", Map.of("name", List.of()))),
                        PlanReason.changed(List.of("name")), new Category("shoes", new TreeMap<>())),
                new PlannedEntry(Phase.PRODUCTS, "product_updated", core.key(),
                        List.of(new ChangeEvent("product_value_changed", everyShape), new ChangeEvent("product_binding_added", Map.of("attribute_code", "color"))),
                        PlanReason.changed(List.of("values.price", "bindings")), core),
                new PlannedEntry(Phase.PRODUCTS, "product_deleted", new ResourceKey(ResourceType.PRODUCT, "SKU-9"), List.of(),
                        PlanReason.deleted(), null),
                new PlannedEntry(Phase.RELATIONS, "product_updated", relations.key(),
                        List.of(new ChangeEvent("product_child_added", Map.of("sku", "SKU-2", "quantity", new BigDecimal("2.5")))),
                        PlanReason.fullRun(), relations));

        PlanTotals totals;
        try (PlanWriter.Plan plan = writer.open(runId)) {
            entries.forEach(plan::add);
            totals = plan.finish();
        }

        List<PlannedEntry> loaded = new ArrayList<>();
        for (Phase phase : Phase.values()) {
            for (int chunk = 0; chunk < totals.chunks(phase); chunk++) {
                Chunk read = store.load(new ChunkRef(runId, phase, chunk));
                assertThat(read.ref()).isEqualTo(new ChunkRef(runId, phase, chunk));
                loaded.addAll(read.entries());
            }
        }
        assertThat(loaded).isEqualTo(entries);
        Object scale = loaded.get(2).events().getFirst().payload().get("scale");
        assertThat(scale).isInstanceOf(BigDecimal.class).hasToString("19.90");
    }

    @Test
    void load_ofAChunkThatWasNeverWritten_failsSayingWhichOne() {
        ChunkRef missing = new ChunkRef(runId, Phase.PRODUCTS, 3);

        assertThatThrownBy(() -> store.load(missing))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(S3ChunkStore.key(missing));
    }

    @Test
    void key_namesTheRunThePhaseAndTheChunkInSixDigits() {
        assertThat(S3ChunkStore.key(new ChunkRef(runId, Phase.RELATIONS, 42)))
                .isEqualTo("plans/" + runId + "/relations/000042.json.zst");
        assertThat(S3ChunkStore.key(new ChunkRef(runId, Phase.PRODUCTS, 1_234_567)))
                .isEqualTo("plans/" + runId + "/products/1234567.json.zst");
    }

    @Test
    void load_ofAFileThatIsNotAChunk_failsSayingItCannotBeRead() {
        ChunkRef ref = new ChunkRef(runId, Phase.ATTRIBUTES, 0);
        clients.s3().putObject(b -> b.bucket(bucket).key(S3ChunkStore.key(ref)),
                RequestBody.fromBytes(gzip("{\"entries\":\"none\"}")));

        assertThatThrownBy(() -> store.load(ref))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot be read");
    }

    @Test
    void load_ofAChunkWithAMalformedEntry_failsSayingWhatIsWrongWithIt() {
        String entry = """
                {"phase":"products","event":"product_updated","resource":{"type":"product","id":"SKU-1"},\
                "events":[{"type":"product_value_changed","payload":%s}],"reason":{"kind":"changed","changed":["values.price"]},\
                "state":null,"customs":{}}""";
        Map<String, String> malformed = new LinkedHashMap<>();
        malformed.put(entry.formatted("[1]"), "payload is not an object");
        malformed.put(entry.formatted("{\"a\":1,\"a\":2}"), "Duplicate"); // the codec's parser refuses duplicate keys
        malformed.put(entry.formatted("{}").replace("\"event\":\"product_updated\",", ""), "an entry has no event");
        malformed.put(entry.formatted("{}").replace("\"type\":\"product\"", "\"type\":\"shoe\""), "\"shoe\" is not a ResourceType");
        malformed.put(entry.formatted("{}").replace("\"changed\":[\"values.price\"]", "\"changed\":\"values.price\""),
                "reason.changed is not an array");
        int chunk = 0;
        for (Map.Entry<String, String> file : malformed.entrySet()) {
            ChunkRef ref = new ChunkRef(runId, Phase.PRODUCTS, chunk++);
            clients.s3().putObject(b -> b.bucket(bucket).key(S3ChunkStore.key(ref)),
                    RequestBody.fromBytes(gzip("{\"entries\":[" + file.getKey() + "]}")));

            assertThatThrownBy(() -> store.load(ref)).as(file.getValue())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot be read: " + file.getValue());
        }
        ChunkRef wellFormed = new ChunkRef(runId, Phase.PRODUCTS, chunk);
        clients.s3().putObject(b -> b.bucket(bucket).key(S3ChunkStore.key(wellFormed)),
                RequestBody.fromBytes(gzip("{\"entries\":[" + entry.formatted("{\"a\":{\"b\":[1,2.50]}}") + "]}")));
        assertThat(store.load(wellFormed).entries().getFirst().events().getFirst().payload())
                .isEqualTo(Map.of("a", Map.of("b", List.of(new BigDecimal("1"), new BigDecimal("2.50")))));
    }

    private static byte[] gzip(String json) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
