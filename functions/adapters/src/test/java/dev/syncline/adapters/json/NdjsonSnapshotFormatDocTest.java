package dev.syncline.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.core.snapshot.SnapshotLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/snapshot-format.md} and {@code docs/snapshot.schema.json} true: every example line is
 * accepted, every documented rejection reads exactly as documented, and the schema names the same fields, types,
 * scopes and limits as the reader.
 */
class NdjsonSnapshotFormatDocTest {

    /** Tests run in the module directory. */
    private static final Path DOC = Path.of("../../docs/snapshot-format.md");
    private static final Path SCHEMA = Path.of("../../docs/snapshot.schema.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Block(String language, String text) {
    }

    @Test
    void doc_everyNdjsonExampleLineIsAccepted() throws IOException {
        List<String> examples = blocks().stream().filter(block -> block.language().equals("ndjson"))
                .flatMap(block -> block.text().lines()).filter(line -> !line.isBlank()).toList();

        assertThat(examples).hasSizeGreaterThanOrEqualTo(15);
        for (String example : examples) {
            assertThat(NdjsonSnapshotReaderTest.read(example)).as(example)
                    .singleElement().isInstanceOf(SnapshotLine.Accepted.class);
        }
    }

    @Test
    void doc_everyRejectedExampleGetsExactlyTheDocumentedReason() throws IOException {
        int checked = 0;
        for (Block block : blocks()) {
            if (!block.language().equals("text")) {
                continue;
            }
            List<String> lines = block.text().lines().filter(line -> !line.isBlank()).toList();
            for (int i = 0; i + 1 < lines.size(); i += 2) {
                assertThat(lines.get(i)).startsWith("line:   ");
                assertThat(lines.get(i + 1)).startsWith("reason: ");
                String line = lines.get(i).substring("line:   ".length());
                String reason = lines.get(i + 1).substring("reason: ".length());
                SnapshotLine read = NdjsonSnapshotReaderTest.read(line).getFirst();
                assertThat(read).as(line).isInstanceOf(SnapshotLine.Rejected.class);
                assertThat(((SnapshotLine.Rejected) read).reason()).as(line).isEqualTo(reason);
                checked++;
            }
        }
        assertThat(checked).as("documented rejections checked").isGreaterThanOrEqualTo(5);
    }

    @Test
    void doc_statesTheLimitsTheReaderApplies() throws IOException {
        String doc = Files.readString(DOC);

        assertThat(doc)
                .contains("| one line | 1 MiB (" + String.format(java.util.Locale.ROOT, "%,d", NdjsonSnapshotReader.DEFAULT_MAX_LINE_BYTES) + " bytes)")
                .contains("| a code or SKU | " + NdjsonResourceParser.MAX_KEY_LENGTH + " characters |")
                .contains("| nesting of objects and arrays | " + NdjsonResourceParser.MAX_DEPTH + " levels")
                .contains("| one number | " + NdjsonResourceParser.MAX_NUMBER_LENGTH + " characters")
                .contains("`line longer than the limit of " + NdjsonSnapshotReader.DEFAULT_MAX_LINE_BYTES + " bytes`");
    }

    @Test
    void doc_limitsOnNestingAndNumbersAreTheOnesEnforced() {
        String deep = "{\"type\":\"product\",\"sku\":\"S\",\"product_type\":\"SIMPLE\",\"values\":{\"spec\":{\"\":"
                + "[".repeat(NdjsonResourceParser.MAX_DEPTH) + "]".repeat(NdjsonResourceParser.MAX_DEPTH) + "}}}";
        String deepEnough = "{\"type\":\"product\",\"sku\":\"S\",\"product_type\":\"SIMPLE\",\"values\":{\"spec\":{\"\":"
                + "[".repeat(NdjsonResourceParser.MAX_DEPTH - 3) + "]".repeat(NdjsonResourceParser.MAX_DEPTH - 3) + "}}}";
        String longNumber = "{\"type\":\"product\",\"sku\":\"S\",\"product_type\":\"SIMPLE\",\"values\":{\"w\":{\"\":"
                + "1".repeat(NdjsonResourceParser.MAX_NUMBER_LENGTH + 1) + "}}}";

        assertThat(NdjsonSnapshotReaderTest.read(deepEnough).getFirst()).isInstanceOf(SnapshotLine.Accepted.class);
        assertThat(((SnapshotLine.Rejected) NdjsonSnapshotReaderTest.read(deep).getFirst()).reason())
                .startsWith("invalid JSON at column ")
                .contains("nesting depth (65) exceeds the maximum allowed (64)")
                .doesNotContain("StreamReadConstraints");
        assertThat(((SnapshotLine.Rejected) NdjsonSnapshotReaderTest.read(longNumber).getFirst()).reason())
                .startsWith("invalid JSON at column ")
                .contains("exceeds the maximum allowed (100)")
                .doesNotContain("StreamReadConstraints");
    }

    @Test
    void schema_namesTheFieldsTypesAndScopesTheReaderAccepts() throws IOException {
        JsonNode schema = JSON.readTree(SCHEMA.toFile());
        JsonNode defs = schema.path("$defs");

        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.path("oneOf")).hasSize(3);
        assertThat(strings(defs.path("attribute").path("properties").path("attribute_type").path("enum")))
                .containsExactlyElementsOf(NdjsonResourceParser.ATTRIBUTE_TYPES);
        assertThat(strings(defs.path("attribute").path("properties").path("scope").path("enum")))
                .containsExactlyElementsOf(NdjsonResourceParser.SCOPES);
        assertFields(defs.path("attribute"), NdjsonResourceParser.ATTRIBUTE_FIELDS, "type", "code", "attribute_type", "scope");
        assertFields(defs.path("category"), NdjsonResourceParser.CATEGORY_FIELDS, "type", "code");
        assertFields(defs.path("product"), NdjsonResourceParser.PRODUCT_FIELDS, "type", "sku", "product_type");
        assertThat(defs.path("code").path("maxLength").asInt()).isEqualTo(NdjsonResourceParser.MAX_KEY_LENGTH);
        for (JsonNode definition : List.of(defs.path("attribute"), defs.path("category"), defs.path("product"), defs.path("option"))) {
            assertThat(definition.path("additionalProperties").asBoolean(true)).as("unknown fields are rejected").isFalse();
        }
    }

    @Test
    void schema_describesEveryExampleLine() throws IOException {
        JsonNode defs = JSON.readTree(SCHEMA.toFile()).path("$defs");
        List<String> examples = blocks().stream().filter(block -> block.language().equals("ndjson"))
                .flatMap(block -> block.text().lines()).filter(line -> !line.isBlank()).toList();

        for (String example : examples) {
            JsonNode line = JSON.readTree(example);
            JsonNode definition = defs.path(line.path("type").asText());
            Set<String> fields = new TreeSet<>();
            line.properties().forEach(field -> fields.add(field.getKey()));
            assertThat(fields).as(example)
                    .containsAll(strings(definition.path("required")))
                    .isSubsetOf(names(definition.path("properties")));
        }
    }

    // ---- support ----------------------------------------------------------------------------------

    private static void assertFields(JsonNode definition, SequencedSet<String> accepted, String... required) {
        assertThat(names(definition.path("properties"))).containsExactlyInAnyOrderElementsOf(accepted);
        assertThat(strings(definition.path("required"))).containsExactlyInAnyOrder(required);
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static List<String> names(JsonNode object) {
        return object.properties().stream().map(Map.Entry::getKey).toList();
    }

    /** Fenced code blocks in order, with their info string. */
    private static List<Block> blocks() throws IOException {
        List<Block> blocks = new ArrayList<>();
        String language = null;
        StringBuilder text = new StringBuilder();
        for (String line : Files.readAllLines(DOC)) {
            if (line.startsWith("```")) {
                if (language == null) {
                    language = line.substring(3).trim();
                    text.setLength(0);
                } else {
                    blocks.add(new Block(language, text.toString()));
                    language = null;
                }
            } else if (language != null) {
                text.append(line).append('\n');
            }
        }
        assertThat(language).as("every fence is closed").isNull();
        return blocks;
    }
}
