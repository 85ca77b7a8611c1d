package dev.syncline.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.core.snapshot.Attribute;
import dev.syncline.core.snapshot.Category;
import dev.syncline.core.snapshot.Product;
import dev.syncline.core.snapshot.Resource;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.ResourceType;
import dev.syncline.core.snapshot.SnapshotLine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What a PIM developer sees when Syncline reads their snapshot: resources, or rejections that say what to fix. */
class NdjsonSnapshotReaderTest {

    private static final String ATTRIBUTE_LINE = """
            {"type":"attribute","code":"color","attribute_type":"SELECT","scope":"global","name":{"en_GB":"Colour"},\
            "options":[{"code":"red","name":{"en_GB":"Red"}}]}""";
    private static final String CATEGORY_LINE = """
            {"type":"category","code":"shoes","name":{"en_GB":"Shoes","de_DE":"Schuhe"}}""";
    private static final String PRODUCT_LINE = """
            {"type":"product","sku":"SKU-1","product_type":"SIMPLE","categories":["shoes"],\
            "values":{"color":{"":"red"},"description":{"en_GB":"Warm","de_DE":"Warm"}},"variants":[],"bindings":[],\
            "children":[{"sku":"SKU-2","quantity":2}]}""";

    // ---- accepted lines ---------------------------------------------------------------------------

    @Test
    void read_whenTheIssuesThreeLines_yieldsTheirResourcesWithLineNumbers() {
        List<SnapshotLine> lines = read(ATTRIBUTE_LINE + "\n" + CATEGORY_LINE + "\n" + PRODUCT_LINE + "\n");

        assertThat(lines).containsExactly(
                new SnapshotLine.Accepted(1, new Attribute("color", "SELECT", "global", sorted(Map.of("en_GB", "Colour")),
                        List.of(new Attribute.Option("red", sorted(Map.of("en_GB", "Red")))))),
                new SnapshotLine.Accepted(2, new Category("shoes", sorted(Map.of("en_GB", "Shoes", "de_DE", "Schuhe")))),
                new SnapshotLine.Accepted(3, new Product("SKU-1", "SIMPLE", new TreeSet<>(List.of("shoes")),
                        new TreeMap<>(Map.of(
                                "color", sorted(Map.<String, Object>of("", "red")),
                                "description", sorted(Map.<String, Object>of("en_GB", "Warm", "de_DE", "Warm")))),
                        new TreeSet<>(), new TreeSet<>(), new TreeMap<>(Map.of("SKU-2", BigDecimal.valueOf(2))))));
    }

    @Test
    void read_whenOptionalFieldsAbsentOrNull_defaultsThemToEmpty() {
        List<SnapshotLine> lines = read("""
                {"type":"attribute","code":"title","attribute_type":"TEXT","scope":"local"}
                {"type":"category","code":"sale","name":null}
                {"type":"product","sku":"SKU-9","product_type":"SIMPLE","categories":null,"values":null}
                """);

        assertThat(resources(lines)).containsExactly(
                new Attribute("title", "TEXT", "local", new TreeMap<>(), List.of()),
                new Category("sale", new TreeMap<>()),
                Product.of("SKU-9", "SIMPLE"));
    }

    @Test
    void read_whenValueIsNullOrHasNoLanguages_dropsIt() {
        Product product = product("""
                {"type":"product","sku":"S","product_type":"SIMPLE",\
                "values":{"ean":null,"size":{},"description":{"en_GB":"Warm","de_DE":null},"weight":{"":null}}}""");

        assertThat(product.values()).isEqualTo(Map.of("description", Map.of("en_GB", "Warm")));
    }

    @Test
    void read_whenValuesAreNumbersBooleansListsAndObjects_makesPlainJavaValuesWithTheDigitsThePimWrote() {
        Product product = product("""
                {"type":"product","sku":"S","product_type":"SIMPLE","values":{\
                "weight":{"":1.50},"stock":{"":100},"active":{"":true},"related":{"":["SKU-3","SKU-2"]},\
                "price":{"":{"EUR":19.90,"PLN":{"net":80,"gross":98.40}}},"mixed":{"":[1.0,false,null,"x"]},\
                "huge":{"":123456789012345678901234567890.10},"exponent":{"":1e3},"negative":{"":-0.50}},\
                "children":[{"sku":"C","quantity":2.000}]}""");

        assertThat(product.values().get("weight").get("")).hasToString("1.50");
        assertThat(product.values().get("stock").get("")).hasToString("100");
        assertThat(product.values().get("active").get("")).isEqualTo(Boolean.TRUE);
        assertThat(product.values().get("related").get("")).isEqualTo(List.of("SKU-3", "SKU-2"));
        assertThat(product.values().get("price").get("")).isEqualTo(Map.of(
                "EUR", new BigDecimal("19.90"),
                "PLN", Map.of("gross", new BigDecimal("98.40"), "net", new BigDecimal("80"))));
        assertThat((Map<?, ?>) product.values().get("price").get("")).isInstanceOf(java.util.SortedMap.class);
        assertThat(product.values().get("mixed").get("")).isEqualTo(Arrays.asList(new BigDecimal("1.0"), false, null, "x"));
        assertThat(product.values().get("huge").get("")).hasToString("123456789012345678901234567890.10");
        assertThat(product.values().get("exponent").get("")).hasToString("1000");
        assertThat(product.values().get("negative").get("")).hasToString("-0.50");
        assertThat(product.children().get("C")).hasToString("2.000");
    }

    @Test
    void read_whenTheSameResourceIsWrittenDifferently_yieldsEqualResources() {
        Product tidy = product("""
                {"type":"product","sku":"S","product_type":"GROUPING","categories":["a","b"],\
                "values":{"w":{"":1.5},"d":{"de_DE":"x","en_GB":"y"}},"children":[{"sku":"C","quantity":2}]}""");
        Product untidy = product("""
                { "children" : [ {"quantity": 2, "sku": "C"} ], "values": {"d": {"en_GB": "y", "de_DE": "x"}, \
                "w": {"": 1.5}}, "categories": ["b", "a", "b"], "product_type": "GROUPING", "sku": "S", "type": "product" }""");

        assertThat(untidy).isEqualTo(tidy);
    }

    @Test
    void read_whenTextIsUnicode_keepsItExactly() {
        Category category = (Category) resources(read("""
                {"type":"category","code":"łódź","name":{"pl_PL":"Buty zimowe ❄️","ja_JP":"靴","ar_SA":"أحذية","en_GB":"\\u00e9t\\u00e9 \\"quoted\\"\\n"}}
                """)).getFirst();

        assertThat(category.code()).isEqualTo("łódź");
        assertThat(category.name()).containsEntry("pl_PL", "Buty zimowe ❄️").containsEntry("ja_JP", "靴")
                .containsEntry("ar_SA", "أحذية").containsEntry("en_GB", "été \"quoted\"\n");
    }

    @Test
    void read_whenProductTypeIsTheApplicationsOwn_passesItOn() {
        assertThat(product("""
                {"type":"product","sku":"S","product_type":"VARIABLE_PRODUCT","variants":["S-1"],"bindings":["size"]}""")
                .productType()).isEqualTo("VARIABLE_PRODUCT");
    }

    // ---- the file around the lines ----------------------------------------------------------------

    @Test
    void read_whenSnapshotIsGzipped_detectsItByItsMagicBytes() throws IOException {
        byte[] gzipped = gzip(CATEGORY_LINE + "\n" + PRODUCT_LINE + "\n");

        List<SnapshotLine> lines = read(gzipped);

        assertThat(lines).extracting(SnapshotLine::lineNumber).containsExactly(1L, 2L);
        assertThat(resources(lines)).extracting(Resource::key)
                .containsExactly(new ResourceKey(ResourceType.CATEGORY, "shoes"), new ResourceKey(ResourceType.PRODUCT, "SKU-1"));
    }

    @Test
    void read_whenBlankLinesAndWindowsLineBreaks_skipsTheBlankLinesButCountsThem() {
        List<SnapshotLine> lines = read("\r\n" + CATEGORY_LINE + "\r\n  \t \r\n\r\n{\"type\":\"nope\"}\r\n\n");

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isInstanceOf(SnapshotLine.Accepted.class).extracting(SnapshotLine::lineNumber).isEqualTo(2L);
        assertThat(lines.get(1)).isInstanceOf(SnapshotLine.Rejected.class).extracting(SnapshotLine::lineNumber).isEqualTo(5L);
    }

    @Test
    void read_whenFileStartsWithByteOrderMark_ignoresIt() {
        byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
        byte[] text = (CATEGORY_LINE + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] file = Arrays.copyOf(bom, bom.length + text.length);
        System.arraycopy(text, 0, file, bom.length, text.length);

        assertThat(read(file)).singleElement().isInstanceOf(SnapshotLine.Accepted.class);
    }

    @Test
    void read_whenLastLineHasNoLineBreak_readsIt() {
        assertThat(read(CATEGORY_LINE + "\n" + PRODUCT_LINE)).hasSize(2).allMatch(SnapshotLine.Accepted.class::isInstance);
    }

    @Test
    void read_whenSnapshotEmpty_yieldsNothing() {
        assertThat(read("")).isEmpty();
        assertThat(read(new byte[] {0x1f})).singleElement().isInstanceOf(SnapshotLine.Rejected.class);
    }

    @Test
    void read_whenGzipIsTruncatedBeforeItsFirstLineEnds_saysNotEvenThatLineCouldBeRead() throws IOException {
        byte[] gzipped = gzip("{\"type\":\"category\",\"code\":\"shoes\",\"name\":{\"en_GB\":\"Shoes\"}}\n");
        byte[] truncated = Arrays.copyOf(gzipped, gzipped.length / 2);

        try (NdjsonSnapshotReader reader = new NdjsonSnapshotReader(new ByteArrayInputStream(truncated))) {
            assertThatThrownBy(() -> reader.forEachRemaining(line -> { }))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageStartingWith("the snapshot could not be read, not even its first line: ");
        }
    }

    @Test
    void read_whenGzipIsTruncated_failsTheWholeSnapshotSayingWhereItStopped() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            text.append("{\"type\":\"category\",\"code\":\"c").append(i).append("\",\"name\":{\"en_GB\":\"").append(i * 7919).append("\"}}\n");
        }
        byte[] gzipped = gzip(text.toString());
        byte[] truncated = Arrays.copyOf(gzipped, gzipped.length / 2);

        try (NdjsonSnapshotReader reader = new NdjsonSnapshotReader(new ByteArrayInputStream(truncated))) {
            assertThatThrownBy(() -> reader.forEachRemaining(line -> { }))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageStartingWith("the snapshot could not be read past line ");
        }
    }

    @Test
    void stream_whenClosed_closesTheSnapshot() {
        AtomicBoolean closed = new AtomicBoolean();
        InputStream in = new ByteArrayInputStream((CATEGORY_LINE + "\n").repeat(3).getBytes(StandardCharsets.UTF_8)) {
            @Override
            public void close() {
                closed.set(true);
            }
        };

        try (Stream<SnapshotLine> lines = new NdjsonSnapshotReader(in).stream()) {
            assertThat(lines.count()).isEqualTo(3);
        }
        assertThat(closed).isTrue();
    }

    @Test
    void read_whenSnapshotHasManyLines_streamsThemAllInOrder() throws IOException {
        int products = 50_000;
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(file)) {
            for (int i = 1; i <= products; i++) {
                gzip.write(("{\"type\":\"product\",\"sku\":\"SKU-" + i + "\",\"product_type\":\"SIMPLE\"}\n").getBytes(StandardCharsets.UTF_8));
            }
        }

        long count = 0;
        try (NdjsonSnapshotReader reader = new NdjsonSnapshotReader(new ByteArrayInputStream(file.toByteArray()))) {
            while (reader.hasNext()) {
                SnapshotLine line = reader.next();
                count++;
                assertThat(((SnapshotLine.Accepted) line).resource().key().id()).isEqualTo("SKU-" + line.lineNumber());
            }
        }
        assertThat(count).isEqualTo(products);
    }

    // ---- oversized lines --------------------------------------------------------------------------

    @Test
    void read_whenLineIsOverTheLimit_rejectsItWithItsKeyAndReadsOn() {
        String huge = "{\"type\":\"product\",\"sku\":\"SKU-BIG\",\"product_type\":\"SIMPLE\",\"values\":{\"description\":{\"en_GB\":\""
                + "x".repeat(5_000) + "\"}}}";

        List<SnapshotLine> lines = new ArrayList<>();
        try (NdjsonSnapshotReader reader = new NdjsonSnapshotReader(
                new ByteArrayInputStream((CATEGORY_LINE + "\n" + huge + "\n" + PRODUCT_LINE + "\n").getBytes(StandardCharsets.UTF_8)), 1000)) {
            reader.forEachRemaining(lines::add);
        }

        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).isEqualTo(new SnapshotLine.Rejected(2,
                "line longer than the limit of 1000 bytes; it is skipped: shorten its values (long texts, large arrays) to fit the limit",
                new ResourceKey(ResourceType.PRODUCT, "SKU-BIG")));
        assertThat(lines.get(2)).isInstanceOf(SnapshotLine.Accepted.class).extracting(SnapshotLine::lineNumber).isEqualTo(3L);
    }

    @Test
    void read_whenOversizedLinesKeyComesAfterTheCut_rejectsItWithoutKey() {
        String huge = "{\"values\":{\"description\":{\"en_GB\":\"" + "x".repeat(5_000) + "\"}},\"type\":\"product\",\"sku\":\"SKU-BIG\"}";

        SnapshotLine line = read(huge, 1000).getFirst();

        assertThat(line).isInstanceOf(SnapshotLine.Rejected.class);
        assertThat(((SnapshotLine.Rejected) line).resource()).isNull();
    }

    @Test
    void read_whenLineIsExactlyAtTheLimit_acceptsIt() {
        String line = CATEGORY_LINE;
        int limit = line.getBytes(StandardCharsets.UTF_8).length;

        assertThat(read(line + "\r\n" + line + " \n", limit))
                .extracting(SnapshotLine::getClass)
                .containsExactly(SnapshotLine.Accepted.class, SnapshotLine.Rejected.class);
    }

    @Test
    void read_whenOneLineIsFarLargerThanMemoryShouldHold_skipsItWithoutBufferingIt() {
        // 256 MiB of one line, produced on the fly: only the limit's worth of it may ever be held.
        long size = 256L * 1024 * 1024;
        InputStream endless = new InputStream() {
            private long sent;

            @Override
            public int read() {
                return sent++ < size ? 'x' : -1;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (sent >= size) {
                    return -1;
                }
                int count = (int) Math.min(length, size - sent);
                Arrays.fill(buffer, offset, offset + count, (byte) 'x');
                sent += count;
                return count;
            }
        };
        InputStream file = new java.io.SequenceInputStream(endless,
                new ByteArrayInputStream(("\n" + CATEGORY_LINE).getBytes(StandardCharsets.UTF_8)));

        NdjsonLines lines = new NdjsonLines(file, 4096);
        List<Boolean> tooLong = new ArrayList<>();
        try {
            while (lines.next()) {
                tooLong.add(lines.tooLong());
                assertThat(lines.bytes().length).as("bytes held for one line").isLessThanOrEqualTo(4097);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(tooLong).containsExactly(true, false);
    }

    // ---- rejected lines ---------------------------------------------------------------------------

    static Stream<Arguments> badLines() {
        return Stream.of(
                rejected("{\"type\":\"category\",\"code\":\"shoes\"",
                        "invalid JSON at column 34: the line ends before the JSON is complete (a missing \"}\", \"]\" or closing quote?); "
                                + "each line must be one complete JSON object", key(ResourceType.CATEGORY, "shoes")),
                rejected("{\"type\":\"category\",\"code\":\"a\"} {\"type\":\"category\",\"code\":\"b\"}",
                        "invalid JSON at column 32: more content after the end of the object; put exactly one JSON object on each line",
                        key(ResourceType.CATEGORY, "a")),
                rejected("{'type':'category'}",
                        "invalid JSON at column 2: Unexpected character (''' (code 39)): was expecting double-quote to start field name; "
                                + "each line must be one complete JSON object", null),
                rejected("{\"type\":\"category\",\"code\":\"a\",\"code\":\"b\"}",
                        "invalid JSON at column 37: Duplicate field 'code'; each line must be one complete JSON object",
                        key(ResourceType.CATEGORY, "a")),
                rejected("{\"type\":\"product\",\"sku\":\"SKU-1\",\"product_type\":\"SIMPLE\",\"values\":{\"color\":{\"\":\"red\",}}}",
                        "invalid JSON at column 85: Unexpected character ('}' (code 125)): was expecting double-quote to start field name; "
                                + "each line must be one complete JSON object", key(ResourceType.PRODUCT, "SKU-1")),
                rejected("{\"sku\":\"SKU-1\",\"values\":{\"color\":{\"\":\"red\",}},\"type\":\"product\"}",
                        "invalid JSON at column 44: Unexpected character ('}' (code 125)): was expecting double-quote to start field name; "
                                + "each line must be one complete JSON object", null),
                rejected("[{\"type\":\"category\",\"code\":\"a\"}]",
                        "not a JSON object: got an array; each line must be one object such as {\"type\":\"category\",\"code\":\"shoes\"}", null),
                rejected("{\"code\":\"a\"}", "type: missing; expected \"attribute\", \"category\" or \"product\"", null),
                rejected("{\"type\":\"brand\",\"code\":\"a\"}",
                        "type: unknown value \"brand\"; expected \"attribute\", \"category\" or \"product\"", null),
                rejected("{\"type\":1}", "type: expected a string (\"attribute\", \"category\" or \"product\"), got a number 1", null),
                rejected("{\"type\":\"category\"}", "code: missing; every category needs a non-empty code", null),
                rejected("{\"type\":\"product\",\"sku\":\" \",\"product_type\":\"SIMPLE\"}",
                        "sku: empty; every product needs a non-empty sku", null),
                rejected("{\"type\":\"product\",\"sku\":42,\"product_type\":\"SIMPLE\"}",
                        "sku: expected a non-empty string, got a number 42", null),
                rejected("{\"type\":\"product\",\"sku\":\"" + "S".repeat(256) + "\",\"product_type\":\"SIMPLE\"}",
                        "sku: 256 characters, longer than the limit of 255: \"" + "S".repeat(60) + "…\"", null),
                rejected("{\"type\":\"category\",\"code\":\"shoes\",\"title\":{}}",
                        "unknown field \"title\"; a category has only the fields type, code, name", key(ResourceType.CATEGORY, "shoes")),
                rejected("{\"type\":\"product\",\"sku\":\"S\",\"product_type\":\"SIMPLE\",\"catgories\":[\"shoes\"]}",
                        "unknown field \"catgories\"; a product has only the fields type, sku, product_type, categories, values, "
                                + "variants, bindings, children", key(ResourceType.PRODUCT, "S")),
                rejected("{\"type\":\"category\",\"code\":\"shoes\",\"name\":\"Shoes\"}",
                        "name: expected an object of language code to text, such as {\"en_GB\":\"Red\"}, got a string \"Shoes\"",
                        key(ResourceType.CATEGORY, "shoes")),
                rejected("{\"type\":\"category\",\"code\":\"shoes\",\"name\":{\"en_GB\":[\"Shoes\"]}}",
                        "name.en_GB: expected a string, got an array", key(ResourceType.CATEGORY, "shoes")),
                rejected("{\"type\":\"category\",\"code\":\"shoes\",\"name\":{\"\":\"Shoes\"}}",
                        "name: a language code must not be empty; use codes such as en_GB", key(ResourceType.CATEGORY, "shoes")),
                rejected("{\"type\":\"attribute\",\"code\":\"color\",\"attribute_type\":\"COLOUR\",\"scope\":\"global\"}",
                        "attribute_type: unknown value \"COLOUR\"; expected one of DATE, FILE, GALLERY, IMAGE, MULTI_SELECT, NUMERIC, "
                                + "PRICE, PRODUCT_RELATION, SELECT, TEXT_AREA, TEXT, UNIT", key(ResourceType.ATTRIBUTE, "color")),
                rejected("{\"type\":\"attribute\",\"code\":\"color\",\"scope\":\"global\"}",
                        "attribute_type: missing; expected one of DATE, FILE, GALLERY, IMAGE, MULTI_SELECT, NUMERIC, "
                                + "PRICE, PRODUCT_RELATION, SELECT, TEXT_AREA, TEXT, UNIT", key(ResourceType.ATTRIBUTE, "color")),
                rejected("{\"type\":\"attribute\",\"code\":\"color\",\"attribute_type\":\"SELECT\",\"scope\":\"channel\"}",
                        "scope: unknown value \"channel\"; expected \"local\" or \"global\"", key(ResourceType.ATTRIBUTE, "color")),
                rejected("{\"type\":\"attribute\",\"code\":\"title\",\"attribute_type\":\"TEXT\",\"scope\":\"local\",\"options\":[{\"code\":\"a\"}]}",
                        "options: only SELECT and MULTI_SELECT attributes have options; this attribute is TEXT, so leave options out or empty",
                        key(ResourceType.ATTRIBUTE, "title")),
                rejected("{\"type\":\"attribute\",\"code\":\"color\",\"attribute_type\":\"SELECT\",\"scope\":\"global\","
                                + "\"options\":[{\"code\":\"red\"},{\"code\":\"red\",\"name\":{\"en_GB\":\"Red\"}}]}",
                        "options[1].code: \"red\" appears twice; option codes must be unique within an attribute",
                        key(ResourceType.ATTRIBUTE, "color")),
                rejected("{\"type\":\"attribute\",\"code\":\"color\",\"attribute_type\":\"SELECT\",\"scope\":\"global\",\"options\":[{\"name\":{}}]}",
                        "options[0].code: missing; every option needs a non-empty code", key(ResourceType.ATTRIBUTE, "color")),
                rejected("{\"type\":\"attribute\",\"code\":\"color\",\"attribute_type\":\"SELECT\",\"scope\":\"global\",\"options\":[\"red\"]}",
                        "options[0]: expected an object such as {\"code\":\"red\",\"name\":{\"en_GB\":\"Red\"}}, got a string \"red\"",
                        key(ResourceType.ATTRIBUTE, "color")),
                rejected("{\"type\":\"attribute\",\"code\":\"color\",\"attribute_type\":\"SELECT\",\"scope\":\"global\","
                                + "\"options\":[{\"code\":\"red\",\"label\":\"Red\"}]}",
                        "options[0]: unknown field \"label\"; an option has only the fields code, name", key(ResourceType.ATTRIBUTE, "color")),
                rejected("{\"type\":\"product\",\"sku\":\"S\"}",
                        "product_type: missing; give the product's type, such as SIMPLE, VARIABLE or GROUPING", key(ResourceType.PRODUCT, "S")),
                rejected("{\"type\":\"product\",\"sku\":\"S\",\"product_type\":\"SIMPLE\",\"values\":{\"color\":\"red\"}}",
                        "values.color: expected an object of language code to value, such as {\"\":\"red\"} when not localized "
                                + "or {\"en_GB\":\"Red\"}, got a string \"red\"", key(ResourceType.PRODUCT, "S")),
                rejected("{\"type\":\"product\",\"sku\":\"S\",\"product_type\":\"SIMPLE\",\"values\":[\"red\"]}",
                        "values: expected an object of attribute code to {language: value}, such as {\"color\":{\"\":\"red\"}}, got an array",
                        key(ResourceType.PRODUCT, "S")),
                rejected("{\"type\":\"product\",\"sku\":\"S\",\"product_type\":\"SIMPLE\",\"categories\":\"shoes\"}",
                        "categories: expected an array of strings, each a category code, got a string \"shoes\"", key(ResourceType.PRODUCT, "S")),
                rejected("{\"type\":\"product\",\"sku\":\"S\",\"product_type\":\"VARIABLE\",\"variants\":[\"S-1\",\"\"]}",
                        "variants[1]: expected a non-empty string, the SKU of a variant, got a string \"\"", key(ResourceType.PRODUCT, "S")),
                rejected("{\"type\":\"product\",\"sku\":\"S\",\"product_type\":\"VARIABLE\",\"bindings\":[{\"code\":\"size\"}]}",
                        "bindings[0]: expected a non-empty string, the code of a binding attribute, got an object", key(ResourceType.PRODUCT, "S")),
                rejected("{\"type\":\"product\",\"sku\":\"S\",\"product_type\":\"GROUPING\",\"children\":[{\"sku\":\"C\",\"quantity\":0}]}",
                        "children[0].quantity: expected a number greater than 0, got a number 0", key(ResourceType.PRODUCT, "S")),
                rejected("{\"type\":\"product\",\"sku\":\"S\",\"product_type\":\"GROUPING\",\"children\":[{\"sku\":\"C\",\"quantity\":\"2\"}]}",
                        "children[0].quantity: expected a number greater than 0, got a string \"2\"", key(ResourceType.PRODUCT, "S")),
                rejected("{\"type\":\"product\",\"sku\":\"S\",\"product_type\":\"GROUPING\",\"children\":[{\"sku\":\"C\"}]}",
                        "children[0].quantity: missing; expected a number greater than 0", key(ResourceType.PRODUCT, "S")),
                rejected("{\"type\":\"product\",\"sku\":\"S\",\"product_type\":\"GROUPING\",\"children\":[\"C\"]}",
                        "children[0]: expected an object such as {\"sku\":\"SKU-2\",\"quantity\":2}, got a string \"C\"", key(ResourceType.PRODUCT, "S")),
                rejected("{\"type\":\"product\",\"sku\":\"S\",\"product_type\":\"GROUPING\","
                                + "\"children\":[{\"sku\":\"C\",\"quantity\":1},{\"sku\":\"C\",\"quantity\":2}]}",
                        "children[1].sku: \"C\" appears twice; list each child once with its total quantity", key(ResourceType.PRODUCT, "S")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badLines")
    void read_whenLineIsBad_rejectsItWithLineNumberReasonAndReadableKey(String line, String reason, ResourceKey key) {
        List<SnapshotLine> lines = read(CATEGORY_LINE + "\n" + line + "\n" + PRODUCT_LINE + "\n");

        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).isEqualTo(new SnapshotLine.Rejected(2, reason, key));
        assertThat(lines.get(2)).isInstanceOf(SnapshotLine.Accepted.class);
    }

    @Test
    void read_whenBadValueIsHuge_quotesOnlyItsBeginning() {
        String line = "{\"type\":\"" + "ä".repeat(100_000) + "\"}";

        SnapshotLine.Rejected rejected = (SnapshotLine.Rejected) read(line).getFirst();

        assertThat(rejected.reason()).startsWith("type: unknown value \"" + "ä".repeat(60) + "…\"").hasSizeLessThan(200);
    }

    @Test
    void read_whenQuotedValueEndsOnAnEmoji_neverCutsItInHalf() {
        String line = "{\"type\":\"" + "a".repeat(59) + "😀".repeat(10) + "\"}";

        String reason = ((SnapshotLine.Rejected) read(line).getFirst()).reason();

        assertThat(reason).startsWith("type: unknown value \"" + "a".repeat(59) + "…\"");
    }

    @Test
    void read_whenLineIsNotUtf8_rejectsItAsInvalidJson() {
        byte[] latin1 = "{\"type\":\"category\",\"code\":\"caf\u00e9\"}\n".getBytes(StandardCharsets.ISO_8859_1);

        SnapshotLine line = read(latin1).getFirst();

        assertThat(line).isInstanceOf(SnapshotLine.Rejected.class);
        assertThat(((SnapshotLine.Rejected) line).reason()).startsWith("invalid JSON at column ").contains("UTF-8");
    }

    @Test
    void constructor_whenLimitIsNotPositive_refusesIt() {
        assertThatThrownBy(() -> new NdjsonSnapshotReader(InputStream.nullInputStream(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxLineBytes must be at least 1, got 0");
    }

    // ---- support ----------------------------------------------------------------------------------

    private static Arguments rejected(String line, String reason, ResourceKey key) {
        return Arguments.of(line, reason, key);
    }

    private static ResourceKey key(ResourceType type, String id) {
        return new ResourceKey(type, id);
    }

    static List<SnapshotLine> read(String text) {
        return read(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<SnapshotLine> read(String text, int maxLineBytes) {
        List<SnapshotLine> lines = new ArrayList<>();
        try (NdjsonSnapshotReader reader = new NdjsonSnapshotReader(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), maxLineBytes)) {
            reader.forEachRemaining(lines::add);
        }
        return lines;
    }

    static List<SnapshotLine> read(byte[] bytes) {
        List<SnapshotLine> lines = new ArrayList<>();
        try (NdjsonSnapshotReader reader = new NdjsonSnapshotReader(new ByteArrayInputStream(bytes))) {
            reader.forEachRemaining(lines::add);
        }
        return lines;
    }

    private static List<Resource> resources(List<SnapshotLine> lines) {
        assertThat(lines).allSatisfy(line -> assertThat(line).isInstanceOf(SnapshotLine.Accepted.class));
        return lines.stream().map(line -> ((SnapshotLine.Accepted) line).resource()).toList();
    }

    @Test
    void limits_countBlankLinesToo_andStopAtTheFirstLinePastTheLimit() {
        byte[] snapshot = (CATEGORY_LINE + "\n\n" + CATEGORY_LINE.replace("shoes", "boots") + "\n").getBytes(StandardCharsets.UTF_8);
        NdjsonSnapshotReader.Limits twoLines = new NdjsonSnapshotReader.Limits(Long.MAX_VALUE, 2);

        try (NdjsonSnapshotReader reader = new NdjsonSnapshotReader(new ByteArrayInputStream(snapshot),
                NdjsonSnapshotReader.DEFAULT_MAX_LINE_BYTES, twoLines)) {
            assertThat(reader.next().lineNumber()).isEqualTo(1);
            assertThatThrownBy(reader::hasNext)
                    .isInstanceOfSatisfying(NdjsonSnapshotReader.LimitExceededException.class, e -> {
                        assertThat(e.limit()).isEqualTo(NdjsonSnapshotReader.LimitExceededException.Limit.LINES);
                        assertThat(e.max()).isEqualTo(2);
                    })
                    .hasMessage("the snapshot holds more than 2 lines");
        }
    }

    @Test
    void limits_countDecompressedBytes_soASmallGzipFileCannotUnpackPastThem() throws IOException {
        String text = (CATEGORY_LINE + "\n").repeat(1000);
        byte[] compressed = gzip(text);
        int decompressed = text.getBytes(StandardCharsets.UTF_8).length;
        assertThat(compressed.length).isLessThan(decompressed / 10);

        assertThat(readAll(compressed, new NdjsonSnapshotReader.Limits(decompressed, 1000))).as("exactly at both limits").hasSize(1000);
        assertThatThrownBy(() -> readAll(compressed, new NdjsonSnapshotReader.Limits(decompressed - 1, 1000)))
                .isInstanceOfSatisfying(NdjsonSnapshotReader.LimitExceededException.class,
                        e -> assertThat(e.limit()).isEqualTo(NdjsonSnapshotReader.LimitExceededException.Limit.BYTES))
                .hasMessage("the snapshot holds more than " + (decompressed - 1) + " bytes once decompressed");
    }

    private static List<SnapshotLine> readAll(byte[] snapshot, NdjsonSnapshotReader.Limits limits) {
        List<SnapshotLine> lines = new ArrayList<>();
        try (NdjsonSnapshotReader reader = new NdjsonSnapshotReader(new ByteArrayInputStream(snapshot),
                NdjsonSnapshotReader.DEFAULT_MAX_LINE_BYTES, limits)) {
            reader.forEachRemaining(lines::add);
        }
        return lines;
    }

    private static Product product(String line) {
        return (Product) resources(read(line)).getFirst();
    }

    private static <V> TreeMap<String, V> sorted(Map<String, V> map) {
        return new TreeMap<>(map);
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
