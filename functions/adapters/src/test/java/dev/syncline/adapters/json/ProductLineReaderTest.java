package dev.syncline.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.core.snapshot.Product;
import dev.syncline.core.snapshot.SnapshotLine;
import dev.syncline.testing.catalog.CatalogGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Product lines read straight from their tokens read as the tree reader reads them: the same product for a valid line,
 * and for anything else the tree reader's own rejection, reason and all.
 */
class ProductLineReaderTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"product\",\"sku\":\"SKU-1\",\"product_type\":\"SIMPLE\"}",
        // Keys in any order, numbers with the digits written (1.50, 10, 1e3 read as 1000, -0), nested values sorted,
        // null values and null languages dropped, nulls inside arrays kept, unicode as written.
        "{\"values\":{\"price\":{\"\":{\"PLN\":10,\"EUR\":1.50}},\"weight\":{\"\":1e3},\"zero\":{\"\":-0},\"gone\":null,"
                + "\"name\":{\"pl_PL\":\"Żółty \\\"but\\\" 👟\",\"en_GB\":null},\"tags\":{\"\":[\"b\",null,\"a\",true,false,{\"y\":1,\"x\":[]}]},"
                + "\"empty\":{\"en_GB\":null}},\"product_type\":\"VARIABLE\",\"sku\":\"SKU-2\",\"type\":\"product\","
                + "\"categories\":[\"shoes\",\"boots\",\"shoes\"],\"variants\":[\"SKU-3\"],\"bindings\":[\"size\",\"color\"],\"children\":null}",
        "{\"type\":\"product\",\"sku\":\"SKU-4\",\"product_type\":\"GROUPING\",\"children\":[{\"quantity\":2.50,\"sku\":\"SKU-5\"},"
                + "{\"sku\":\"SKU-6\",\"quantity\":1}],\"categories\":null,\"values\":null,\"variants\":[],\"bindings\":null}",
        "  {\"type\":\"product\", \"sku\" : \"SKU-7\",\n\"product_type\":\"SIMPLE\", \"values\":{}}  ",
    })
    void validProduct_readsAsTheTreeReaderReadsIt(String line) {
        SnapshotLine streamed = NdjsonResourceParser.parse(7, bytes(line), bytes(line).length);

        assertThat(ProductLineReader.read(factory(), bytes(line), bytes(line).length)).as("read without a tree").isNotNull();
        assertThat(streamed).isEqualTo(NdjsonResourceParser.parseTree(7, bytes(line), bytes(line).length))
                .isInstanceOf(SnapshotLine.Accepted.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"category\",\"code\":\"shoes\"}",
        "{\"sku\":\"SKU-1\",\"product_type\":\"SIMPLE\"}",
        "{\"type\":\"product\",\"sku\":\"SKU-1\",\"product_type\":\"SIMPLE\",\"colour\":\"red\"}",
        "{\"type\":\"product\",\"sku\":\" \",\"product_type\":\"SIMPLE\"}",
        "{\"type\":\"product\",\"sku\":\"SKU-1\",\"product_type\":\"\"}",
        "{\"type\":\"product\",\"sku\":\"SKU-1\",\"product_type\":\"SIMPLE\",\"categories\":[\"\"]}",
        "{\"type\":\"product\",\"sku\":\"SKU-1\",\"product_type\":\"SIMPLE\",\"categories\":\"shoes\"}",
        "{\"type\":\"product\",\"sku\":\"SKU-1\",\"product_type\":\"SIMPLE\",\"values\":{\"\":{\"\":1}}}",
        "{\"type\":\"product\",\"sku\":\"SKU-1\",\"product_type\":\"SIMPLE\",\"values\":{\"colour\":\"red\"}}",
        "{\"type\":\"product\",\"sku\":\"SKU-1\",\"product_type\":\"SIMPLE\",\"children\":[{\"sku\":\"SKU-2\",\"quantity\":0}]}",
        "{\"type\":\"product\",\"sku\":\"SKU-1\",\"product_type\":\"SIMPLE\",\"children\":[{\"sku\":\"SKU-2\",\"quantity\":1},"
                + "{\"sku\":\"SKU-2\",\"quantity\":2}]}",
        "{\"type\":\"product\",\"sku\":\"SKU-1\",\"product_type\":\"SIMPLE\",\"children\":[{\"sku\":\"SKU-2\"}]}",
        "{\"type\":\"product\",\"sku\":\"SKU-1\",\"sku\":\"SKU-2\",\"product_type\":\"SIMPLE\"}",
        "{\"type\":\"product\",\"sku\":\"SKU-1\",\"product_type\":\"SIMPLE\"} {}",
        "{\"type\":\"product\",\"sku\":\"SKU-1\",\"product_type\":\"SIMPLE\"",
        "[{\"type\":\"product\",\"sku\":\"SKU-1\",\"product_type\":\"SIMPLE\"}]",
    })
    void anythingElse_isLeftToTheTreeReader_andRejectedAsItRejectsIt(String line) {
        assertThat(ProductLineReader.read(factory(), bytes(line), bytes(line).length)).isNull();
        SnapshotLine tree = NdjsonResourceParser.parseTree(3, bytes(line), bytes(line).length);
        assertThat(NdjsonResourceParser.parse(3, bytes(line), bytes(line).length)).isEqualTo(tree);
    }

    @Test
    void everyLineOfAGeneratedCatalog_readsAsTheTreeReaderReadsIt(@TempDir Path directory) throws IOException {
        CatalogGenerator catalog = CatalogGenerator.create(23, 3_000);
        Path file = directory.resolve("catalog.ndjson.gz");
        catalog.writeTo(file);
        String text;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            text = out.toString(StandardCharsets.UTF_8);
        }

        int products = 0;
        for (String line : text.split("\n")) {
            byte[] bytes = bytes(line);
            SnapshotLine tree = NdjsonResourceParser.parseTree(1, bytes, bytes.length);
            assertThat(NdjsonResourceParser.parse(1, bytes, bytes.length)).isEqualTo(tree).isInstanceOf(SnapshotLine.Accepted.class);
            if (ProductLineReader.read(factory(), bytes, bytes.length) instanceof Product) {
                products++;
            }
        }
        assertThat(products).isEqualTo(3_000);
    }

    private static byte[] bytes(String line) {
        return line.getBytes(StandardCharsets.UTF_8);
    }

    private static com.fasterxml.jackson.core.JsonFactory factory() {
        return NdjsonResourceParser.factory();
    }
}
