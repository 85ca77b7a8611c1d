package dev.syncline.testing.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What tests and benchmarks rely on when they generate a catalog and its next snapshot. */
class CatalogGeneratorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void generate_withTheSameSeed_givesTheSameBytes_andAnotherSeedAnotherCatalog() {
        byte[] once = CatalogGenerator.create(7, 300).toBytes();

        assertThat(CatalogGenerator.create(7, 300).toBytes()).isEqualTo(once);
        assertThat(CatalogGenerator.create(8, 300).toBytes()).isNotEqualTo(once);
    }

    @Test
    void generate_writesAttributesOfEveryKindACatalogNeeds() {
        Map<String, JsonNode> lines = lines(CatalogGenerator.create(1, 100));

        Map<String, String> types = lines.values().stream().filter(line -> line.path("type").asText().equals("attribute"))
                .collect(Collectors.toMap(line -> line.path("code").asText(), line -> line.path("attribute_type").asText()));
        assertThat(types).hasSizeGreaterThanOrEqualTo(5)
                .containsEntry("name", "TEXT").containsEntry("color", "SELECT").containsEntry("materials", "MULTI_SELECT")
                .containsEntry("weight", "NUMERIC").containsEntry("price", "PRICE")
                .containsEntry(CatalogGenerator.RELATION_ATTRIBUTE, "PRODUCT_RELATION");
        assertThat(lines.get("attribute:color").path("options")).hasSizeGreaterThanOrEqualTo(10);
        assertThat(lines.get("attribute:color").path("options").get(0).path("name").properties())
                .extracting(Map.Entry::getKey).containsExactlyElementsOf(CatalogGenerator.LANGUAGES);
    }

    @Test
    void generate_writesAtLeastTenCategoriesNamedInEveryLanguage() {
        List<JsonNode> categories = lines(CatalogGenerator.create(1, 10)).values().stream()
                .filter(line -> line.path("type").asText().equals("category")).toList();

        assertThat(categories).hasSizeGreaterThanOrEqualTo(10).allSatisfy(category ->
                assertThat(category.path("name").properties()).extracting(Map.Entry::getKey)
                        .containsExactlyInAnyOrderElementsOf(CatalogGenerator.LANGUAGES));
    }

    @Test
    void generate_writesAMixOfSimpleVariableAndGroupingProductsWithLocalizedAndPlainValues() {
        CatalogGenerator catalog = CatalogGenerator.create(3, 1000);
        List<JsonNode> products = products(lines(catalog));

        assertThat(products).hasSize(1000).hasSize(catalog.productCount());
        Map<String, Long> byType = products.stream().collect(Collectors.groupingBy(p -> p.path("product_type").asText(), Collectors.counting()));
        assertThat(byType).containsOnlyKeys("SIMPLE", "VARIABLE", "GROUPING");
        assertThat(byType.get("VARIABLE")).isEqualTo(100);
        assertThat(byType.get("GROUPING")).isEqualTo(100);
        assertThat(products).allSatisfy(product -> {
            assertThat(product.path("values").path("name").properties()).hasSize(4);
            assertThat(product.path("values").path("weight").path("").isNumber()).isTrue();
            assertThat(product.path("categories")).isNotEmpty();
        });
        assertThat(products).filteredOn(p -> p.path("product_type").asText().equals("VARIABLE"))
                .allSatisfy(product -> {
                    assertThat(product.path("variants")).isNotEmpty();
                    assertThat(product.path("bindings")).extracting(JsonNode::asText).containsExactly("color", "size");
                });
        assertThat(products).filteredOn(p -> p.path("product_type").asText().equals("GROUPING"))
                .allSatisfy(product -> assertThat(product.path("children")).hasSize(2)
                        .allSatisfy(child -> assertThat(child.path("quantity").asInt()).isBetween(1, 5)));
        assertThat(products).filteredOn(p -> p.path("values").has(CatalogGenerator.RELATION_ATTRIBUTE)).hasSizeGreaterThan(50);
        assertThat(products).filteredOn(p -> p.path("values").path("description").size() < 4).isNotEmpty();
    }

    @Test
    void generate_refersOnlyToProductsCategoriesAttributesAndOptionsTheSnapshotHas() {
        Map<String, JsonNode> lines = lines(CatalogGenerator.create(5, 997));
        Set<String> options = new HashSet<>();
        lines.get("attribute:color").path("options").forEach(option -> options.add(option.path("code").asText()));
        lines.get("attribute:materials").path("options").forEach(option -> options.add(option.path("code").asText()));

        for (JsonNode product : products(lines)) {
            product.path("variants").forEach(sku -> assertThat(lines).containsKey("product:" + sku.asText()));
            product.path("children").forEach(child -> assertThat(lines).containsKey("product:" + child.path("sku").asText()));
            product.path("values").path(CatalogGenerator.RELATION_ATTRIBUTE).path("")
                    .forEach(sku -> assertThat(lines).containsKey("product:" + sku.asText()));
            product.path("categories").forEach(code -> assertThat(lines).containsKey("category:" + code.asText()));
            product.path("bindings").forEach(code -> assertThat(lines).containsKey("attribute:" + code.asText()));
            product.path("values").properties().forEach(value -> assertThat(lines).containsKey("attribute:" + value.getKey()));
            assertThat(options).contains(product.path("values").path("color").path("").asText());
            product.path("values").path("materials").path("").forEach(code -> assertThat(options).contains(code.asText()));
        }
    }

    @Test
    void edit_changesExactlyWhatItReports() {
        CatalogGenerator base = CatalogGenerator.create(11, 2000);
        CatalogGenerator next = base.edit().changeTranslations(3).addOptions(2).moveProducts(3).removeValues(3).deleteProducts(2).apply();

        Map<String, JsonNode> before = lines(base);
        Map<String, JsonNode> after = lines(next);

        Set<String> changed = new TreeSet<>();
        for (String key : union(before.keySet(), after.keySet())) {
            if (!Objects.equals(before.get(key), after.get(key))) {
                changed.add(key);
            }
        }
        assertThat(next.edits()).hasSize(13);
        assertThat(changed).isEqualTo(next.edits().stream().map(edit -> edit.resourceType() + ":" + edit.resourceId())
                .collect(Collectors.toCollection(TreeSet::new)));
        assertThat(next.productCount()).isEqualTo(1998);
        assertThat(after).hasSize((int) next.lineCount());

        for (CatalogEdit edit : next.edits()) {
            String key = edit.resourceType() + ":" + edit.resourceId();
            switch (edit) {
                case CatalogEdit.TranslationChanged translation -> {
                    assertThat(text(before.get(key), translation)).isEqualTo(translation.before());
                    assertThat(text(after.get(key), translation)).isEqualTo(translation.after());
                    assertThat(withoutValue(after.get(key), "name")).isEqualTo(withoutValue(before.get(key), "name"));
                }
                case CatalogEdit.OptionAdded option -> {
                    JsonNode options = after.get(key).path("options");
                    assertThat(options.get(options.size() - 1).path("code").asText()).isEqualTo(option.optionCode());
                    assertThat(options).hasSize(before.get(key).path("options").size() + 1);
                }
                case CatalogEdit.ProductMoved moved -> {
                    assertThat(strings(before.get(key).path("categories"))).contains(moved.fromCategory()).doesNotContain(moved.toCategory());
                    assertThat(strings(after.get(key).path("categories"))).contains(moved.toCategory()).doesNotContain(moved.fromCategory());
                }
                case CatalogEdit.ValueRemoved removed -> {
                    assertThat(before.get(key).path("values").has(removed.attributeCode())).isTrue();
                    assertThat(after.get(key).path("values").has(removed.attributeCode())).isFalse();
                    assertThat(removed.before().keySet()).containsExactlyElementsOf(
                            new TreeSet<>(strings(fieldNames(before.get(key).path("values").path(removed.attributeCode())))));
                }
                case CatalogEdit.ProductDeleted deleted -> {
                    assertThat(before).containsKey(key);
                    assertThat(after).doesNotContainKey(key);
                }
            }
        }
    }

    @Test
    void edit_reportsRemovedNumbersAndTranslationsAsTheyWere() {
        CatalogGenerator next = CatalogGenerator.create(2, 500).edit().removeValues(20).apply();

        Map<String, JsonNode> before = lines(CatalogGenerator.create(2, 500));
        for (CatalogEdit edit : next.edits()) {
            CatalogEdit.ValueRemoved removed = (CatalogEdit.ValueRemoved) edit;
            JsonNode old = before.get("product:" + removed.sku()).path("values").path(removed.attributeCode());
            removed.before().forEach((language, value) -> {
                if (value instanceof BigDecimal number) {
                    assertThat(old.path(language).decimalValue()).isEqualByComparingTo(number);
                } else if (value instanceof String text) {
                    assertThat(old.path(language).asText()).isEqualTo(text);
                } else {
                    assertThat(old.path(language).isContainerNode()).isTrue();
                }
            });
        }
    }

    @Test
    void edit_appliedTwice_buildsOnThePreviousSnapshotAndReportsOnlyTheLatestChanges() {
        CatalogGenerator first = CatalogGenerator.create(4, 300).edit().deleteProducts(5).changeTranslations(50).apply();
        CatalogGenerator second = first.edit().changeTranslations(100).apply();

        assertThat(second.generation()).isEqualTo(2);
        assertThat(second.edits()).hasSize(100).allMatch(CatalogEdit.TranslationChanged.class::isInstance);
        assertThat(second.productCount()).isEqualTo(295);
        Map<String, JsonNode> previous = lines(first);
        Map<String, JsonNode> current = lines(second);
        assertThat(current.keySet()).isEqualTo(previous.keySet());
        for (CatalogEdit edit : second.edits()) {
            CatalogEdit.TranslationChanged changed = (CatalogEdit.TranslationChanged) edit;
            assertThat(text(previous.get("product:" + changed.sku()), changed)).isEqualTo(changed.before());
            assertThat(text(current.get("product:" + changed.sku()), changed)).isEqualTo(changed.after());
        }
    }

    @Test
    void edit_whenTheCatalogIsTooSmall_saysWhatToDo() {
        assertThatThrownBy(() -> CatalogGenerator.create(1, 5).edit().deleteProducts(1).apply())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("found no product to delete among the 5 products of this catalog: generate more products or ask for fewer edits");
    }

    @Test
    void writeTo_aGzFile_writesTheSameSnapshotCompressed(@TempDir Path directory) throws IOException {
        CatalogGenerator catalog = CatalogGenerator.create(9, 200);
        Path file = directory.resolve("snapshot.ndjson.gz");

        catalog.writeTo(file);

        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            assertThat(in.readAllBytes()).isEqualTo(catalog.toBytes());
        }
        Path plain = directory.resolve("snapshot.ndjson");
        catalog.writeTo(plain);
        assertThat(Files.readAllBytes(plain)).isEqualTo(catalog.toBytes());
    }

    @Test
    void writeTo_aMillionProducts_streamsThemOut() {
        CatalogGenerator catalog = CatalogGenerator.create(42, 1_000_000);
        LineCounter counter = new LineCounter();

        catalog.writeTo(counter);

        assertThat(counter.lines).isEqualTo(catalog.lineCount()).isEqualTo(1_000_020);
        assertThat(counter.bytes).isGreaterThan(500L * 1_000_000);
    }

    // ---- support ----------------------------------------------------------------------------------

    /** The snapshot's lines by {@code type:code-or-sku}, in file order. */
    private static Map<String, JsonNode> lines(CatalogGenerator catalog) {
        Map<String, JsonNode> lines = new LinkedHashMap<>();
        String text = new String(catalog.toBytes(), StandardCharsets.UTF_8);
        assertThat(text).endsWith("\n");
        for (String line : text.split("\n")) {
            try {
                JsonNode json = JSON.readTree(line);
                String type = json.path("type").asText();
                String id = json.path(type.equals("product") ? "sku" : "code").asText();
                assertThat(lines.put(type + ":" + id, json)).as("duplicate " + type + " " + id).isNull();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lines;
    }

    private static List<JsonNode> products(Map<String, JsonNode> lines) {
        return lines.values().stream().filter(line -> line.path("type").asText().equals("product")).toList();
    }

    private static String text(JsonNode product, CatalogEdit.TranslationChanged changed) {
        return product.path("values").path(changed.attributeCode()).path(changed.language()).asText();
    }

    private static JsonNode withoutValue(JsonNode product, String attribute) {
        JsonNode copy = product.deepCopy();
        ((ObjectNode) copy.path("values")).remove(attribute);
        return copy;
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static JsonNode fieldNames(JsonNode object) {
        ArrayNode names = JSON.createArrayNode();
        object.properties().forEach(field -> names.add(field.getKey()));
        return names;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    /** Counts what is written without keeping it. */
    private static final class LineCounter extends OutputStream {

        long lines;
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
            if (b == '\n') {
                lines++;
            }
        }

        @Override
        public void write(byte[] buffer, int offset, int length) {
            bytes += length;
            for (int i = offset; i < offset + length; i++) {
                if (buffer[i] == '\n') {
                    lines++;
                }
            }
        }
    }
}
