package dev.syncline.testing.catalog;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.syncline.testing.catalog.CatalogVocabulary.AttributeSpec;
import dev.syncline.testing.catalog.CatalogVocabulary.CategorySpec;
import dev.syncline.testing.catalog.CatalogVocabulary.Option;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.zip.GZIPOutputStream;

/**
 * A realistic catalog for tests and benchmarks, as a snapshot in Syncline's NDJSON format
 * (docs/snapshot-format.md): the attributes (localized TEXT, SELECT, MULTI_SELECT, NUMERIC, PRICE, a
 * PRODUCT_RELATION), a dozen categories in four languages, then {@code products} products, SIMPLE, VARIABLE
 * (with variants among the generated SKUs, and bindings) and GROUPING (with children and quantities), some
 * with related products.
 *
 * <p>Deterministic: the same seed and size give the same bytes. Every product is computed from the seed and its
 * index alone and written as soon as it is made, so a catalog of any size streams out in constant memory.
 * {@link #edit()} derives the next snapshot, changed in known ways that {@link #edits()} reports.
 *
 * <p>Products come in blocks of ten: the first is VARIABLE with the next one to three as its variants, the
 * eighth is GROUPING with the fifth and sixth as children, the ninth and tenth may relate to the fifth to
 * seventh of their own or the previous block. Nothing refers to the ninth and tenth, so they are the ones
 * deleted by {@link Edits#deleteProducts}, and a snapshot never refers to a product it lacks.
 */
public final class CatalogGenerator {

    /** The languages every name is translated into. */
    public static final List<String> LANGUAGES = CatalogVocabulary.LANGUAGES;
    /** The code of the PRODUCT_RELATION attribute, whose values are lists of SKUs. */
    public static final String RELATION_ATTRIBUTE = "related_products";

    private static final int BLOCK = 10;
    private static final int VARIABLE_POSITION = 0;
    private static final int GROUPING_POSITION = 7;
    private static final List<String> REMOVABLE_VALUES = List.of("description", "materials", "weight", "price");
    private static final int MAX_ATTEMPTS = 100_000;

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    private final long seed;
    private final int products;
    private final int generation;
    private final List<CatalogEdit> history;
    private final List<CatalogEdit> edits;
    private final Map<String, List<CatalogEdit>> editsBySku = new HashMap<>();
    private final Map<String, List<CatalogEdit.OptionAdded>> addedOptions = new HashMap<>();
    private final Set<String> deleted = new HashSet<>();

    private CatalogGenerator(long seed, int products, int generation, List<CatalogEdit> history, List<CatalogEdit> edits) {
        this.seed = seed;
        this.products = products;
        this.generation = generation;
        this.history = List.copyOf(history);
        this.edits = List.copyOf(edits);
        for (CatalogEdit edit : this.history) {
            switch (edit) {
                case CatalogEdit.OptionAdded option -> addedOptions.computeIfAbsent(option.attributeCode(), code -> new ArrayList<>()).add(option);
                case CatalogEdit.ProductDeleted gone -> deleted.add(gone.sku());
                default -> editsBySku.computeIfAbsent(edit.resourceId(), sku -> new ArrayList<>()).add(edit);
            }
        }
    }

    /**
     * The first snapshot of a catalog.
     *
     * @param seed what makes one catalog differ from another of the same size
     * @param products how many products, at least 1
     */
    public static CatalogGenerator create(long seed, int products) {
        if (products < 1) {
            throw new IllegalArgumentException("a catalog has at least 1 product, got " + products);
        }
        return new CatalogGenerator(seed, products, 0, List.of(), List.of());
    }

    /** The SKU of the product generated at {@code index} (0-based). */
    public static String sku(int index) {
        String digits = Integer.toString(index);
        return "SKU-" + "0".repeat(Math.max(0, 7 - digits.length())) + digits;
    }

    /** How many snapshots came before this one: 0 for {@link #create}, one more for each {@link #edit()}. */
    public int generation() {
        return generation;
    }

    /** What changed from the previous snapshot to this one, in the order the edits were made; empty for the first. */
    public List<CatalogEdit> edits() {
        return edits;
    }

    public int attributeCount() {
        return CatalogVocabulary.ATTRIBUTES.size();
    }

    public int categoryCount() {
        return CatalogVocabulary.CATEGORIES.size();
    }

    /** Products in this snapshot: those generated less those deleted. */
    public int productCount() {
        return products - deleted.size();
    }

    /** Lines the snapshot has, one per resource. */
    public long lineCount() {
        return (long) attributeCount() + categoryCount() + productCount();
    }

    /** Starts describing the next snapshot. */
    public Edits edit() {
        return new Edits();
    }

    /** Writes the snapshot to {@code out}, plain; {@code out} is flushed, not closed. */
    public void writeTo(OutputStream out) {
        try {
            JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8);
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.setRootValueSeparator(null);
            for (AttributeSpec attribute : CatalogVocabulary.ATTRIBUTES) {
                writeAttribute(json, attribute);
            }
            for (CategorySpec category : CatalogVocabulary.CATEGORIES) {
                writeCategory(json, category);
            }
            for (int index = 0; index < products; index++) {
                if (!deleted.contains(sku(index))) {
                    writeProduct(json, product(index));
                }
            }
            json.close();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the snapshot to a file, gzip-compressed when its name ends with {@code .gz}. */
    public void writeTo(Path file) {
        boolean gzip = file.getFileName().toString().endsWith(".gz");
        try (OutputStream out = gzip
                ? new GZIPOutputStream(Files.newOutputStream(file), 64 * 1024)
                : new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024)) {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The snapshot as bytes, for catalogs small enough to hold. */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        writeTo(bytes);
        return bytes.toByteArray();
    }

    // ---- generation -------------------------------------------------------------------------------

    /** The product at {@code index} as this snapshot has it: generated, then edited. */
    private GeneratedProduct product(int index) {
        GeneratedProduct product = generate(index);
        for (CatalogEdit edit : editsBySku.getOrDefault(product.sku, List.of())) {
            switch (edit) {
                case CatalogEdit.TranslationChanged changed -> product.values.get(changed.attributeCode()).put(changed.language(), changed.after());
                case CatalogEdit.ProductMoved moved -> {
                    product.categories.remove(moved.fromCategory());
                    product.categories.add(moved.toCategory());
                }
                case CatalogEdit.ValueRemoved removed -> product.values.remove(removed.attributeCode());
                default -> throw new IllegalStateException("not a product edit: " + edit);
            }
        }
        return product;
    }

    private GeneratedProduct generate(int index) {
        SplittableRandom random = new SplittableRandom(mix(seed, index));
        int position = index % BLOCK;
        String type = position == VARIABLE_POSITION ? "VARIABLE" : position == GROUPING_POSITION ? "GROUPING" : "SIMPLE";
        GeneratedProduct product = new GeneratedProduct(sku(index), type);

        int categories = 1 + random.nextInt(2);
        while (product.categories.size() < categories) {
            product.categories.add(pick(random, CatalogVocabulary.CATEGORIES).code());
        }

        int adjective = random.nextInt(CatalogVocabulary.ADJECTIVES.get("en_GB").size());
        int noun = random.nextInt(CatalogVocabulary.NOUNS.get("en_GB").size());
        SortedMap<String, Object> name = new TreeMap<>();
        for (String language : LANGUAGES) {
            name.put(language, CatalogVocabulary.ADJECTIVES.get(language).get(adjective) + " "
                    + CatalogVocabulary.NOUNS.get(language).get(noun) + " " + index);
        }
        product.values.put("name", name);

        if (random.nextInt(10) < 7) {
            // Partly translated, as real catalogs are: English always, the others now and then.
            SortedMap<String, Object> description = new TreeMap<>();
            for (String language : LANGUAGES) {
                if (language.equals("en_GB") || random.nextInt(10) < 6) {
                    description.put(language, CatalogVocabulary.DESCRIPTION.get(language) + " " + index + ".");
                }
            }
            product.values.put("description", description);
        }
        product.values.put("color", notLocalized(pick(random, CatalogVocabulary.COLORS).code()));
        if (random.nextBoolean()) {
            SortedSet<Integer> chosen = new TreeSet<>();
            int materials = 1 + random.nextInt(3);
            while (chosen.size() < materials) {
                chosen.add(random.nextInt(CatalogVocabulary.MATERIALS.size()));
            }
            product.values.put("materials", notLocalized(chosen.stream().map(i -> CatalogVocabulary.MATERIALS.get(i).code()).toList()));
        }
        // Two decimals, written as they come (1.50 too): the engine must read 1.50 and 1.5 as the same number.
        product.values.put("weight", notLocalized(BigDecimal.valueOf(5 + random.nextInt(5000), 2)));
        BigDecimal euros = BigDecimal.valueOf(499 + random.nextInt(50_000), 2);
        SortedMap<String, Object> price = new TreeMap<>();
        price.put("EUR", euros);
        price.put("PLN", euros.multiply(new BigDecimal("4.3")).setScale(2, RoundingMode.HALF_UP));
        product.values.put("price", notLocalized(price));

        if (position == VARIABLE_POSITION) {
            int variants = 1 + random.nextInt(3);
            for (int i = index + 1; i <= index + variants && i < products; i++) {
                product.variants.add(sku(i));
            }
            product.bindings.add("color");
            product.bindings.add("size");
        } else if (position <= 3) {
            product.values.put("size", notLocalized(pick(random, CatalogVocabulary.SIZES).code()));
        } else if (position == GROUPING_POSITION) {
            product.children.put(sku(index - 3), 1 + random.nextInt(5));
            product.children.put(sku(index - 2), 1 + random.nextInt(5));
        } else if (position >= 8 && random.nextBoolean()) {
            int block = index - position;
            List<String> related = new ArrayList<>();
            int wanted = 1 + random.nextInt(3);
            for (int attempt = 0; attempt < 6 && related.size() < wanted; attempt++) {
                int from = (random.nextBoolean() && block >= BLOCK ? block - BLOCK : block) + 4 + random.nextInt(3);
                if (from < products && !related.contains(sku(from))) {
                    related.add(sku(from));
                }
            }
            if (!related.isEmpty()) {
                product.values.put(RELATION_ATTRIBUTE, notLocalized(related));
            }
        }
        return product;
    }

    private static SortedMap<String, Object> notLocalized(Object value) {
        SortedMap<String, Object> map = new TreeMap<>();
        map.put("", value);
        return map;
    }

    private static <T> T pick(SplittableRandom random, List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    /** A well-spread seed per product (SplittableRandom's own mixing): neighbouring indexes share no sequence. */
    private static long mix(long seed, long index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ---- writing ----------------------------------------------------------------------------------

    private void writeAttribute(JsonGenerator json, AttributeSpec attribute) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", "attribute");
        json.writeStringField("code", attribute.code());
        json.writeStringField("attribute_type", attribute.type());
        json.writeStringField("scope", attribute.scope());
        json.writeFieldName("name");
        writeValue(json, attribute.name());
        List<Option> options = new ArrayList<>(attribute.options());
        addedOptions.getOrDefault(attribute.code(), List.of()).forEach(added -> options.add(new Option(added.optionCode(), added.name())));
        if (!options.isEmpty()) {
            json.writeArrayFieldStart("options");
            for (Option option : options) {
                json.writeStartObject();
                json.writeStringField("code", option.code());
                json.writeFieldName("name");
                writeValue(json, option.name());
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        json.writeEndObject();
        json.writeRaw('\n');
    }

    private static void writeCategory(JsonGenerator json, CategorySpec category) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", "category");
        json.writeStringField("code", category.code());
        json.writeFieldName("name");
        writeValue(json, category.name());
        json.writeEndObject();
        json.writeRaw('\n');
    }

    private static void writeProduct(JsonGenerator json, GeneratedProduct product) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", "product");
        json.writeStringField("sku", product.sku);
        json.writeStringField("product_type", product.type);
        json.writeFieldName("categories");
        writeValue(json, product.categories);
        json.writeFieldName("values");
        writeValue(json, product.values);
        json.writeFieldName("variants");
        writeValue(json, product.variants);
        json.writeFieldName("bindings");
        writeValue(json, product.bindings);
        json.writeArrayFieldStart("children");
        for (Map.Entry<String, Integer> child : product.children.entrySet()) {
            json.writeStartObject();
            json.writeStringField("sku", child.getKey());
            json.writeNumberField("quantity", child.getValue());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
        json.writeRaw('\n');
    }

    private static void writeValue(JsonGenerator json, Object value) throws IOException {
        switch (value) {
            case String text -> json.writeString(text);
            case BigDecimal number -> json.writeNumber(number);
            case Integer number -> json.writeNumber(number);
            case Map<?, ?> map -> {
                json.writeStartObject();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    json.writeFieldName((String) entry.getKey());
                    writeValue(json, entry.getValue());
                }
                json.writeEndObject();
            }
            case Collection<?> list -> {
                json.writeStartArray();
                for (Object item : list) {
                    writeValue(json, item);
                }
                json.writeEndArray();
            }
            default -> throw new IllegalStateException("the generator made a value it cannot write: " + value.getClass());
        }
    }

    /** One product while it is made and written; nothing keeps it afterwards. */
    private static final class GeneratedProduct {

        final String sku;
        final String type;
        final SortedSet<String> categories = new TreeSet<>();
        final SortedMap<String, SortedMap<String, Object>> values = new TreeMap<>();
        final SortedSet<String> variants = new TreeSet<>();
        final SortedSet<String> bindings = new TreeSet<>();
        final SortedMap<String, Integer> children = new TreeMap<>();

        GeneratedProduct(String sku, String type) {
            this.sku = sku;
            this.type = type;
        }
    }

    // ---- edits ------------------------------------------------------------------------------------

    /**
     * How the next snapshot differs from this one: counts of each kind of edit, whose targets are then chosen
     * from the seed, one distinct product per product edit. {@link #apply()} makes the next snapshot.
     */
    public final class Edits {

        private int translations;
        private int options;
        private int moves;
        private int removals;
        private int deletions;

        private Edits() {
        }

        /** Changes one translation of the {@code name} of {@code count} products. */
        public Edits changeTranslations(int count) {
            translations = checked(count);
            return this;
        }

        /** Adds {@code count} options to the select attributes, in turn to {@code color} and {@code materials}. */
        public Edits addOptions(int count) {
            options = checked(count);
            return this;
        }

        /** Moves {@code count} products from one of their categories to one they were not in. */
        public Edits moveProducts(int count) {
            moves = checked(count);
            return this;
        }

        /** Removes one value (description, materials, weight or price) from {@code count} products. */
        public Edits removeValues(int count) {
            removals = checked(count);
            return this;
        }

        /** Deletes {@code count} products that no other product refers to. */
        public Edits deleteProducts(int count) {
            deletions = checked(count);
            return this;
        }

        /**
         * The next snapshot.
         *
         * @throws IllegalStateException when the catalog is too small for the edits asked for
         */
        public CatalogGenerator apply() {
            int next = generation + 1;
            SplittableRandom random = new SplittableRandom(mix(~seed, next));
            Set<String> touched = new HashSet<>();
            List<CatalogEdit> made = new ArrayList<>();
            for (int i = 0; i < options; i++) {
                String attribute = i % 2 == 0 ? "color" : "materials";
                String code = attribute + "_" + next + "_" + (i + 1);
                made.add(new CatalogEdit.OptionAdded(attribute, code, CatalogVocabulary.names(
                        "Neu " + next + "." + (i + 1), "New " + next + "." + (i + 1),
                        "Nouveau " + next + "." + (i + 1), "Nowy " + next + "." + (i + 1))));
            }
            for (int i = 0; i < translations; i++) {
                GeneratedProduct product = target(random, touched, "change a translation", candidate -> true);
                String language = pick(random, LANGUAGES);
                String before = (String) product.values.get("name").get(language);
                made.add(new CatalogEdit.TranslationChanged(product.sku, "name", language, before, before + " (rev. " + next + ")"));
            }
            for (int i = 0; i < moves; i++) {
                GeneratedProduct product = target(random, touched, "move", candidate -> true);
                String from = pick(random, List.copyOf(product.categories));
                List<String> others = CatalogVocabulary.CATEGORIES.stream().map(CategorySpec::code)
                        .filter(code -> !product.categories.contains(code)).toList();
                made.add(new CatalogEdit.ProductMoved(product.sku, from, pick(random, others)));
            }
            for (int i = 0; i < removals; i++) {
                GeneratedProduct product = target(random, touched, "remove a value from",
                        candidate -> REMOVABLE_VALUES.stream().anyMatch(candidate.values::containsKey));
                List<String> present = REMOVABLE_VALUES.stream().filter(product.values::containsKey).toList();
                String attribute = pick(random, present);
                made.add(new CatalogEdit.ValueRemoved(product.sku, attribute, product.values.get(attribute)));
            }
            for (int i = 0; i < deletions; i++) {
                GeneratedProduct product = target(random, touched, "delete",
                        candidate -> index(candidate.sku) % BLOCK >= 8);
                made.add(new CatalogEdit.ProductDeleted(product.sku));
            }
            List<CatalogEdit> all = new ArrayList<>(history);
            all.addAll(made);
            return new CatalogGenerator(seed, products, next, all, made);
        }

        /** A product still in the catalog, not yet edited in this step, that {@code eligible} accepts. */
        private GeneratedProduct target(SplittableRandom random, Set<String> touched, String what,
                Predicate<GeneratedProduct> eligible) {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                int index = random.nextInt(products);
                String sku = sku(index);
                if (deleted.contains(sku) || touched.contains(sku)) {
                    continue;
                }
                GeneratedProduct candidate = product(index);
                if (eligible.test(candidate)) {
                    touched.add(sku);
                    return candidate;
                }
            }
            throw new IllegalStateException("found no product to " + what + " among the " + productCount()
                    + " products of this catalog: generate more products or ask for fewer edits");
        }

        private static int checked(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("an edit count cannot be negative, got " + count);
            }
            return count;
        }
    }

    private static int index(String sku) {
        return Integer.parseInt(sku.substring("SKU-".length()));
    }

    @Override
    public String toString() {
        return "catalog(seed " + seed + ", " + products + " products generated, generation " + generation + ")";
    }
}
