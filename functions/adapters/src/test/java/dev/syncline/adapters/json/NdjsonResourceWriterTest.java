package dev.syncline.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.core.snapshot.Attribute;
import dev.syncline.core.snapshot.Category;
import dev.syncline.core.snapshot.Product;
import dev.syncline.core.snapshot.Resource;
import dev.syncline.core.snapshot.SnapshotLine;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Delivered state and spill files are written by this writer and read back by the reader: nothing may change on the way. */
class NdjsonResourceWriterTest {

    @Test
    void writeThenRead_forEveryResourceShape_givesEqualResources() {
        List<Resource> resources = shapes();

        List<SnapshotLine> lines = NdjsonSnapshotReaderTest.read(write(false, resources));

        assertThat(lines).extracting(line -> ((SnapshotLine.Accepted) line).resource()).containsExactlyElementsOf(resources);
        assertThat(lines).extracting(SnapshotLine::lineNumber).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void writeThenRead_whenGzipped_givesEqualResourcesFromACompressedFile() {
        List<Resource> resources = shapes();

        byte[] file = write(true, resources);

        assertThat(file[0] & 0xff).isEqualTo(0x1f);
        assertThat(file[1] & 0xff).isEqualTo(0x8b);
        assertThat(NdjsonSnapshotReaderTest.read(file)).extracting(line -> ((SnapshotLine.Accepted) line).resource())
                .containsExactlyElementsOf(resources);
    }

    @Test
    void line_ofTheIssuesProduct_isTheCanonicalFormWithSortedKeysAndEveryField() {
        Product product = (Product) ((SnapshotLine.Accepted) NdjsonSnapshotReaderTest.read("""
                {"type":"product","sku":"SKU-1","product_type":"SIMPLE","categories":["shoes"],\
                "values":{"color":{"":"red"},"description":{"en_GB":"Warm","de_DE":"Warm"}},"variants":[],"bindings":[],\
                "children":[{"sku":"SKU-2","quantity":2}]}""").getFirst()).resource();

        assertThat(NdjsonResourceWriter.line(product)).isEqualTo("""
                {"bindings":[],"categories":["shoes"],"children":[{"quantity":2,"sku":"SKU-2"}],"product_type":"SIMPLE",\
                "sku":"SKU-1","type":"product","values":{"color":{"":"red"},"description":{"de_DE":"Warm","en_GB":"Warm"}},\
                "variants":[]}""");
    }

    @Test
    void line_ofAttributeAndCategory_keepsOptionsInThePimsOrder() {
        Attribute size = new Attribute("size", "SELECT", "global", names("en_GB", "Size"), List.of(
                new Attribute.Option("S", names("en_GB", "Small")),
                new Attribute.Option("M", new TreeMap<>()),
                new Attribute.Option("L", names("en_GB", "Large", "de_DE", "Groß"))));

        assertThat(NdjsonResourceWriter.line(size)).isEqualTo("""
                {"attribute_type":"SELECT","code":"size","name":{"en_GB":"Size"},"options":[{"code":"S","name":{"en_GB":"Small"}},\
                {"code":"M","name":{}},{"code":"L","name":{"de_DE":"Groß","en_GB":"Large"}}],"scope":"global","type":"attribute"}""");
        assertThat(NdjsonResourceWriter.line(new Category("sale", new TreeMap<>())))
                .isEqualTo("{\"code\":\"sale\",\"name\":{},\"type\":\"category\"}");
    }

    @Test
    void line_writesEveryNumberWithTheDigitsItHas_plainly() {
        assertThat(NdjsonResourceWriter.line(withValue("weight", new BigDecimal("1.50")))).contains("\"weight\":{\"\":1.50}");
        assertThat(NdjsonResourceWriter.line(withValue("weight", new BigDecimal("1.5")))).contains("\"weight\":{\"\":1.5}");
        assertThat(NdjsonResourceWriter.line(withValue("stock", new BigDecimal("10")))).contains("\"stock\":{\"\":10}");
        assertThat(NdjsonResourceWriter.line(withValue("stock", new BigDecimal("1E+2")))).contains("\"stock\":{\"\":100}");
        assertThat(NdjsonResourceWriter.line(withValue("stock", 100))).contains("\"stock\":{\"\":100}");
        assertThat(NdjsonResourceWriter.line(withValue("ratio", 0.25d))).contains("\"ratio\":{\"\":0.25}");
        assertThat(NdjsonResourceWriter.line(withValue("tiny", new BigDecimal("0.0000001")))).contains("\"tiny\":{\"\":0.0000001}");
    }

    @Test
    void writeThenRead_whenNumberIsAstronomical_writesAnExponentAndReadsItBackEqual() {
        Product huge = withValue("mass", new BigDecimal("6E+500"));

        String line = NdjsonResourceWriter.line(huge);

        assertThat(line).contains("\"mass\":{\"\":6E+500}").hasSizeLessThan(200);
        assertThat(((SnapshotLine.Accepted) NdjsonSnapshotReaderTest.read(line).getFirst()).resource()).isEqualTo(huge);
    }

    @Test
    void line_whenMapsWereBuiltInDifferentOrders_isIdentical() {
        Map<String, Object> inOrder = new LinkedHashMap<>();
        inOrder.put("a", 1);
        inOrder.put("b", List.of("x"));
        Map<String, Object> reversed = new LinkedHashMap<>();
        reversed.put("b", List.of("x"));
        reversed.put("a", 1);

        assertThat(NdjsonResourceWriter.line(withValue("spec", inOrder))).isEqualTo(NdjsonResourceWriter.line(withValue("spec", reversed)))
                .contains("\"spec\":{\"\":{\"a\":1,\"b\":[\"x\"]}}");
    }

    @Test
    void line_whenTextHasUnicodeQuotesAndLineBreaks_staysOneUtf8LineAndEscapesOnlyWhatJsonNeeds() {
        Category category = new Category("c", names("pl_PL", "Żółć \"cytat\"\nnowa linia\t😀", "ja_JP", "靴"));

        String line = NdjsonResourceWriter.line(category);

        assertThat(line).doesNotContain("\n").contains("Żółć \\\"cytat\\\"\\nnowa linia\\t😀").contains("靴");
    }

    @Test
    void write_whenValueIsNotPlainJson_refusesItNamingTheType() {
        Product product = withValue("when", java.time.LocalDate.of(2026, 1, 1));

        assertThatThrownBy(() -> NdjsonResourceWriter.line(product))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a product value must be a String, number, Boolean, List, Map or null, got java.time.LocalDate");
    }

    @Test
    void written_countsTheResourcesWritten() {
        try (NdjsonResourceWriter writer = NdjsonResourceWriter.plain(java.io.OutputStream.nullOutputStream())) {
            shapes().forEach(writer::write);
            assertThat(writer.written()).isEqualTo(7);
        }
    }

    // ---- support ----------------------------------------------------------------------------------

    /** One of each resource shape the format has, with the values that are easy to get wrong. */
    private static List<Resource> shapes() {
        List<Resource> resources = new ArrayList<>();
        resources.add(new Attribute("color", "SELECT", "global", names("en_GB", "Colour", "de_DE", "Farbe", "pl_PL", "Kolor"),
                List.of(new Attribute.Option("red", names("en_GB", "Red", "fr_FR", "Rouge")),
                        new Attribute.Option("zółty", names("pl_PL", "Żółty")),
                        new Attribute.Option("blue", new TreeMap<>()))));
        resources.add(new Attribute("related", "PRODUCT_RELATION", "local", new TreeMap<>(), List.of()));
        resources.add(new Category("shoes", names("en_GB", "Shoes", "de_DE", "Schuhe", "ja_JP", "靴")));
        resources.add(new Category("empty", new TreeMap<>()));
        resources.add(Product.of("SKU-0", "SIMPLE"));

        SortedMap<String, SortedMap<String, Object>> values = new TreeMap<>();
        values.put("color", language("", "red"));
        values.put("description", language("en_GB", "Warm \"winter\" boots\nwith fur ❄️", "de_DE", "Warme Stiefel"));
        values.put("weight", language("", new BigDecimal("1.5")));
        values.put("stock", language("", new BigDecimal("1000")));
        values.put("active", language("", Boolean.FALSE));
        values.put("related", language("", List.of("SKU-3", "SKU-2")));
        SortedMap<String, Object> price = new TreeMap<>();
        price.put("EUR", new BigDecimal("19.90"));
        price.put("tiers", Arrays.asList(new TreeMap<>(Map.of("min", BigDecimal.valueOf(5))), null, "x"));
        values.put("price", language("", java.util.Collections.unmodifiableSortedMap(price)));
        resources.add(new Product("SKU-1", "VARIABLE", new TreeSet<>(List.of("shoes", "sale")), values,
                new TreeSet<>(List.of("SKU-1-S", "SKU-1-M")), new TreeSet<>(List.of("size", "color")), new TreeMap<>()));
        resources.add(new Product("SKU-2", "GROUPING", new TreeSet<>(), new TreeMap<>(), new TreeSet<>(), new TreeSet<>(),
                new TreeMap<>(Map.of("SKU-3", new BigDecimal("2.50"), "SKU-4", BigDecimal.ONE))));
        return resources;
    }

    private static byte[] write(boolean gzip, List<Resource> resources) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (NdjsonResourceWriter writer = gzip ? NdjsonResourceWriter.gzip(bytes) : NdjsonResourceWriter.plain(bytes)) {
            resources.forEach(writer::write);
        }
        if (!gzip) {
            assertThat(bytes.toString(StandardCharsets.UTF_8)).endsWith("}\n").hasLineCount(resources.size());
        }
        return bytes.toByteArray();
    }

    private static Product withValue(String attribute, Object value) {
        SortedMap<String, SortedMap<String, Object>> values = new TreeMap<>();
        values.put(attribute, language("", value));
        return new Product("SKU-1", "SIMPLE", new TreeSet<>(), values, new TreeSet<>(), new TreeSet<>(), new TreeMap<>());
    }

    private static SortedMap<String, Object> language(Object... languagesAndValues) {
        SortedMap<String, Object> map = new TreeMap<>();
        for (int i = 0; i < languagesAndValues.length; i += 2) {
            map.put((String) languagesAndValues[i], languagesAndValues[i + 1]);
        }
        return map;
    }

    private static SortedMap<String, String> names(String... languagesAndNames) {
        SortedMap<String, String> map = new TreeMap<>();
        for (int i = 0; i < languagesAndNames.length; i += 2) {
            map.put(languagesAndNames[i], languagesAndNames[i + 1]);
        }
        return map;
    }
}
