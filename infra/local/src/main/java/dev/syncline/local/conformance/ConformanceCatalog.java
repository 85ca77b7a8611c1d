package dev.syncline.local.conformance;

import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.json.NdjsonSnapshotReader;
import dev.syncline.core.plan.Baseline;
import dev.syncline.core.plan.ChangeDetector;
import dev.syncline.core.plan.ChangeEvent;
import dev.syncline.core.plan.Facets;
import dev.syncline.core.plan.PlannedEntry;
import dev.syncline.core.snapshot.Attribute;
import dev.syncline.core.snapshot.Product;
import dev.syncline.core.snapshot.Resource;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.ResourceType;
import dev.syncline.core.snapshot.SnapshotLine;
import dev.syncline.core.sync.Phase;
import dev.syncline.core.sync.SyncMode;
import dev.syncline.testing.catalog.CatalogGenerator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What the conformance kit sends: two runs over a small generated catalog, planned by Syncline's own
 * {@link ChangeDetector} from NDJSON snapshots read by Syncline's own reader, so every request is one Syncline
 * would send. The first run creates everything; the second updates and deletes. Next to the generated products
 * stand the kit's own resources, each the edge case of one check: an attribute of every type and a product with a
 * value of each, non-Latin text, values without a language, a very large product.
 */
final class ConformanceCatalog {

    static final String EVERY_TYPE = "edge case: every attribute type";
    static final String NON_LATIN = "edge case: non-Latin text";
    static final String LANGUAGE_NULL = "edge case: language null";
    static final String LARGE = "edge case: very large payload";
    static final String EMPTY_EVENTS = "edge case: empty events";

    /** The SKUs of the edge-case products, for an App author searching the App's log. */
    static final String EVERY_TYPE_SKU = "CONFORMANCE-EVERY-TYPE";
    static final String NON_LATIN_SKU = "CONFORMANCE-NON-LATIN";
    static final String LANGUAGE_NULL_SKU = "CONFORMANCE-NOT-LOCALIZED";
    static final String LARGE_SKU = "CONFORMANCE-LARGE";
    static final String EMPTY_EVENTS_SKU = "CONFORMANCE-EMPTY-EVENTS";
    static final String IDEMPOTENCY_SKU = "CONFORMANCE-IDEMPOTENCY";

    /** The large product's description: most of the 1 MiB a snapshot line may hold. */
    static final int LARGE_VALUE_CHARS = 900_000;

    private static final List<String> ATTRIBUTE_TYPES = List.of("DATE", "FILE", "GALLERY", "IMAGE", "MULTI_SELECT",
            "NUMERIC", "PRICE", "PRODUCT_RELATION", "SELECT", "TEXT_AREA", "TEXT", "UNIT");
    private static final int PRODUCTS = 20;
    private static final long SEED = 13;

    /** One request of a run: the check it counts for, and what Syncline would send. */
    record Entry(String check, String event, ResourceKey resource, List<ChangeEvent> events) {

        static Entry of(PlannedEntry planned, Map<ResourceKey, String> checks) {
            return new Entry(checks.getOrDefault(planned.resource(), "event " + planned.event()), planned.event(),
                    planned.resource(), planned.events());
        }

        /** What was sent, for a report line: the event, the resource and its change types. */
        String describe() {
            return "PUT /consume/" + event + " " + resource.id() + " with " + events.size() + " change event"
                    + (events.size() == 1 ? "" : "s")
                    + (events.isEmpty() ? "" : " (" + events.stream().map(ChangeEvent::type).distinct()
                            .collect(Collectors.joining(", ")) + ")");
        }
    }

    /** A run's entries by phase, in the protocol's order. */
    record Run(Map<Phase, List<Entry>> phases) {
    }

    private final JsonCodec json;
    private final Map<ResourceKey, String> checks = new LinkedHashMap<>();
    private final SortedMap<ResourceKey, Resource> first;
    private final SortedMap<ResourceKey, Resource> second;
    private final ChangeDetector detector;
    private final Facets facets;

    ConformanceCatalog(JsonCodec json) {
        this.json = json;
        CatalogGenerator generated = CatalogGenerator.create(SEED, PRODUCTS);
        CatalogGenerator edited = generated.edit().changeTranslations(4).addOptions(1).moveProducts(2).removeValues(2)
                .deleteProducts(1).apply();
        this.first = read(generated.toBytes(), edgeCases(true));
        this.second = read(edited.toBytes(), edgeCases(false));
        Set<String> relations = new TreeSet<>();
        first.values().forEach(resource -> {
            if (resource instanceof Attribute attribute && attribute.attributeType().equals("PRODUCT_RELATION")) {
                relations.add(attribute.code());
            }
        });
        this.facets = new Facets(relations);
        this.detector = new ChangeDetector(facets);
    }

    /** The first run: every resource created. */
    Run firstRun() {
        Map<Phase, List<Entry>> phases = phases();
        first.forEach((key, resource) -> add(phases, detector.plan(key, resource, Baseline.NONE, SyncMode.INCREMENTAL)));
        return new Run(phases);
    }

    /** The second run: what the edits changed or deleted, and an update that carries no change event. */
    Run secondRun() {
        Map<Phase, List<Entry>> phases = phases();
        Set<ResourceKey> keys = new TreeSet<>(first.keySet());
        keys.addAll(second.keySet());
        for (ResourceKey key : keys) {
            add(phases, detector.plan(key, second.get(key), baseline(first.get(key)), SyncMode.INCREMENTAL));
        }
        phases.get(Phase.PRODUCTS).add(new Entry(EMPTY_EVENTS, "product_updated",
                new ResourceKey(ResourceType.PRODUCT, EMPTY_EVENTS_SKU), List.of()));
        return new Run(phases);
    }

    /**
     * Two updates of one product, the second undoing nothing of the first but changing its name again: sending
     * the first once more must leave the App as the second left it.
     */
    List<Entry> idempotencyUpdates() {
        ResourceKey key = new ResourceKey(ResourceType.PRODUCT, IDEMPOTENCY_SKU);
        Product before = (Product) first.get(key);
        Product renamedOnce = renamed(before, "Idempotency check: first update");
        Product renamedTwice = renamed(before, "Idempotency check: second update");
        List<Entry> updates = new ArrayList<>();
        detector.plan(key, renamedOnce, baseline(before), SyncMode.INCREMENTAL)
                .forEach(planned -> updates.add(Entry.of(planned, Map.of())));
        detector.plan(key, renamedTwice, baseline(renamedOnce), SyncMode.INCREMENTAL)
                .forEach(planned -> updates.add(Entry.of(planned, Map.of())));
        return updates;
    }

    private static Product renamed(Product product, String name) {
        SortedMap<String, SortedMap<String, Object>> values = new TreeMap<>(product.values());
        values.put("name", new TreeMap<>(Map.of("en_GB", name)));
        return new Product(product.sku(), product.productType(), product.categories(), values, product.variants(),
                product.bindings(), product.children());
    }

    private Baseline baseline(Resource delivered) {
        return switch (delivered) {
            case null -> Baseline.NONE;
            case Product product -> new Baseline(facets.core(product), facets.relations(product));
            default -> new Baseline(delivered, null);
        };
    }

    private void add(Map<Phase, List<Entry>> phases, List<PlannedEntry> planned) {
        planned.forEach(entry -> phases.get(entry.phase()).add(Entry.of(entry, checks)));
    }

    private static Map<Phase, List<Entry>> phases() {
        Map<Phase, List<Entry>> phases = new EnumMap<>(Phase.class);
        for (Phase phase : Phase.values()) {
            phases.put(phase, new ArrayList<>());
        }
        return phases;
    }

    /** The kit's own snapshot lines: in the first snapshot with the resources the second one deletes or renames. */
    private List<Map<String, Object>> edgeCases(boolean firstSnapshot) {
        List<Map<String, Object>> lines = new ArrayList<>();
        Map<String, Object> everyValue = new LinkedHashMap<>();
        for (String type : ATTRIBUTE_TYPES) {
            String code = "conformance_" + type.toLowerCase(java.util.Locale.ROOT);
            Map<String, Object> attribute = line("attribute", "code", code);
            attribute.put("attribute_type", type);
            attribute.put("scope", "global");
            attribute.put("name", Map.of("en_GB", "Conformance " + type));
            if (type.endsWith("SELECT")) {
                attribute.put("options", List.of(Map.of("code", "first", "name", Map.of("en_GB", "First")),
                        Map.of("code", "second", "name", Map.of("en_GB", "Second"))));
            }
            lines.add(attribute);
            checks.put(new ResourceKey(ResourceType.ATTRIBUTE, code), EVERY_TYPE);
            everyValue.put(code, Map.of("", valueOf(type)));
        }
        lines.add(product(EVERY_TYPE_SKU, EVERY_TYPE, everyValue));
        lines.add(product(NON_LATIN_SKU, NON_LATIN, Map.of(
                "name", Map.of("en_GB", "Blue dress", "zh_CN", "蓝色连衣裙", "ru_RU", "Синее платье",
                        "ar_SA", "فستان أزرق", "ja_JP", "青いドレス ❄️"),
                "description", Map.of("el_GR", "Φόρεμα «μπλε» — 100% βαμβάκι", "he_IL", "שמלה כחולה"))));
        lines.add(product(LANGUAGE_NULL_SKU, LANGUAGE_NULL, Map.of(
                "color", Map.of("", "red"),
                "weight", Map.of("", 10),
                "price", Map.of("", Map.of("EUR", 49.9, "PLN", 215)))));
        lines.add(product(LARGE_SKU, LARGE, Map.of(
                "name", Map.of("en_GB", "A product with a very long description"),
                "description", Map.of("en_GB", longText()))));
        lines.add(product(EMPTY_EVENTS_SKU, EMPTY_EVENTS, Map.of("name", Map.of("en_GB", "Updated with no change"))));
        lines.add(product(IDEMPOTENCY_SKU, null, Map.of("name", Map.of("en_GB", "Idempotency check"))));
        Map<String, Object> renamed = line("category", "code", "conformance_renamed");
        renamed.put("name", Map.of("en_GB", firstSnapshot ? "Before" : "After", "de_DE", firstSnapshot ? "Vorher" : "Nachher"));
        lines.add(renamed);
        if (firstSnapshot) {
            Map<String, Object> obsoleteCategory = line("category", "code", "conformance_obsolete");
            obsoleteCategory.put("name", Map.of("en_GB", "Deleted by the second run"));
            lines.add(obsoleteCategory);
            Map<String, Object> obsoleteAttribute = line("attribute", "code", "conformance_obsolete");
            obsoleteAttribute.put("attribute_type", "TEXT");
            obsoleteAttribute.put("scope", "local");
            obsoleteAttribute.put("name", Map.of("en_GB", "Deleted by the second run"));
            lines.add(obsoleteAttribute);
        }
        return lines;
    }

    private Map<String, Object> product(String sku, String check, Map<String, Object> values) {
        Map<String, Object> product = line("product", "sku", sku);
        product.put("product_type", "SIMPLE");
        product.put("categories", List.of("conformance_renamed"));
        product.put("values", values);
        if (check != null) {
            checks.put(new ResourceKey(ResourceType.PRODUCT, sku), check);
        }
        return product;
    }

    private static Map<String, Object> line(String type, String idField, String id) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", type);
        line.put(idField, id);
        return line;
    }

    /** A value of each attribute type, as a PIM would write it. */
    private static Object valueOf(String type) {
        return switch (type) {
            case "DATE" -> "2026-03-01";
            case "FILE" -> "https://files.example.com/manual.pdf";
            case "GALLERY" -> List.of("https://files.example.com/front.jpg", "https://files.example.com/back.jpg");
            case "IMAGE" -> "https://files.example.com/front.jpg";
            case "MULTI_SELECT" -> List.of("first", "second");
            case "NUMERIC" -> 12.5;
            case "PRICE" -> Map.of("EUR", 19.99, "PLN", 86);
            case "PRODUCT_RELATION" -> List.of(CatalogGenerator.sku(1), CatalogGenerator.sku(2));
            case "SELECT" -> "first";
            case "TEXT_AREA" -> "First line\nsecond line\twith a tab";
            case "TEXT" -> "Plain text";
            case "UNIT" -> 2.5;
            default -> throw new IllegalArgumentException("no sample value for " + type);
        };
    }

    private static String longText() {
        String sentence = "A sentence repeated to make one product's request as large as a snapshot line allows. ";
        return sentence.repeat(LARGE_VALUE_CHARS / sentence.length() + 1).substring(0, LARGE_VALUE_CHARS);
    }

    private SortedMap<ResourceKey, Resource> read(byte[] generated, List<Map<String, Object>> extra) {
        ByteArrayOutputStream snapshot = new ByteArrayOutputStream();
        snapshot.writeBytes(generated);
        extra.forEach(line -> snapshot.writeBytes((json.write(line) + "\n").getBytes(StandardCharsets.UTF_8)));
        SortedMap<ResourceKey, Resource> resources = new TreeMap<>();
        try (NdjsonSnapshotReader reader = new NdjsonSnapshotReader(new ByteArrayInputStream(snapshot.toByteArray()))) {
            reader.forEachRemaining(line -> {
                switch (line) {
                    case SnapshotLine.Accepted accepted -> resources.put(accepted.resource().key(), accepted.resource());
                    case SnapshotLine.Rejected rejected -> throw new IllegalStateException(
                            "the conformance catalog has an invalid line " + rejected.lineNumber() + ": " + rejected.reason());
                }
            });
        }
        return resources;
    }
}
