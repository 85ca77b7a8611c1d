package dev.syncline.adapters.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.core.snapshot.Attribute;
import dev.syncline.core.snapshot.Category;
import dev.syncline.core.snapshot.Product;
import dev.syncline.core.snapshot.Resource;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.ResourceType;
import dev.syncline.core.snapshot.SnapshotLine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns one line of a snapshot into a normalized {@link Resource}, or into a rejection whose reason names the
 * field at fault and what would be accepted (docs/snapshot-format.md lists them). Strict on purpose: a
 * misspelt or mistyped field must not read as an empty one, since an empty field removes data from the App.
 */
final class NdjsonResourceParser {

    static final List<String> ATTRIBUTE_TYPES = List.of("DATE", "FILE", "GALLERY", "IMAGE", "MULTI_SELECT", "NUMERIC",
            "PRICE", "PRODUCT_RELATION", "SELECT", "TEXT_AREA", "TEXT", "UNIT");
    static final List<String> SCOPES = List.of("local", "global");
    static final List<String> SELECT_TYPES = List.of("SELECT", "MULTI_SELECT");
    /** Codes and SKUs end up in storage keys and URLs; a PIM's own codes are far shorter. */
    static final int MAX_KEY_LENGTH = 255;

    static final SequencedSet<String> ATTRIBUTE_FIELDS = fields("type", "code", "attribute_type", "scope", "name", "options");
    static final SequencedSet<String> CATEGORY_FIELDS = fields("type", "code", "name");
    static final SequencedSet<String> PRODUCT_FIELDS =
            fields("type", "sku", "product_type", "categories", "values", "variants", "bindings", "children");
    private static final SequencedSet<String> OPTION_FIELDS = fields("code", "name");
    private static final SequencedSet<String> CHILD_FIELDS = fields("sku", "quantity");

    private static final int QUOTED_CHARACTERS = 60;
    private static final int PARSER_MESSAGE_CHARACTERS = 160;
    private static final String TYPES = "\"attribute\", \"category\" or \"product\"";

    /** Deeper nesting than any product value needs; the format documents it. */
    static final int MAX_DEPTH = 64;
    /** Characters of one number, sign and exponent included; the format documents it. */
    static final int MAX_NUMBER_LENGTH = 100;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .build())
            .build();
    private static final JsonMapper MAPPER = JsonCodec.exactNumbers(JsonMapper.builder(FACTORY)).build();

    private NdjsonResourceParser() {
    }

    /** The parser settings every line is read with: duplicate keys refused, depth and number length bounded. */
    static JsonFactory factory() {
        return FACTORY;
    }

    static SnapshotLine parse(long lineNumber, byte[] bytes, int length) {
        Product product = ProductLineReader.read(FACTORY, bytes, length);
        if (product != null) {
            return new SnapshotLine.Accepted(lineNumber, product);
        }
        return parseTree(lineNumber, bytes, length);
    }

    /**
     * Reads the line as a tree, then checks it field by field: what every line that is not plainly a valid product
     * goes through, since it is what says what is wrong with a line.
     */
    static SnapshotLine parseTree(long lineNumber, byte[] bytes, int length) {
        JsonNode root;
        try (JsonParser parser = MAPPER.createParser(bytes, 0, length)) {
            try {
                root = MAPPER.readTree(parser);
                if (parser.nextToken() != null) {
                    return new SnapshotLine.Rejected(lineNumber, "invalid JSON" + at(parser.currentTokenLocation())
                            + ": more content after the end of the object; put exactly one JSON object on each line",
                            keyFromPrefix(bytes, length));
                }
            } catch (JsonProcessingException e) {
                // A broken limit carries no location of its own: where the parser stopped is where it broke.
                JsonLocation where = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
                return new SnapshotLine.Rejected(lineNumber, invalidJson(e, where), keyFromPrefix(bytes, length));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!(root instanceof ObjectNode line)) {
            return new SnapshotLine.Rejected(lineNumber, "not a JSON object: got " + describe(root)
                    + "; each line must be one object such as {\"type\":\"category\",\"code\":\"shoes\"}", null);
        }
        ResourceType type;
        try {
            type = type(line);
        } catch (Rejection rejection) {
            return new SnapshotLine.Rejected(lineNumber, rejection.getMessage(), null);
        }
        ResourceKey key = readableKey(type, line.get(keyField(type)));
        try {
            Resource resource = switch (type) {
                case ATTRIBUTE -> attribute(line);
                case CATEGORY -> category(line);
                case PRODUCT -> product(line);
            };
            return new SnapshotLine.Accepted(lineNumber, resource);
        } catch (Rejection rejection) {
            return new SnapshotLine.Rejected(lineNumber, rejection.getMessage(), key);
        }
    }

    /**
     * The key of a line that cannot be read whole (oversized, or broken JSON), if {@code type} and the code or
     * SKU come before the cut-off or the error: the planner then keeps the App's copy of that resource instead of
     * taking the bad line for a deletion.
     */
    static ResourceKey keyFromPrefix(byte[] bytes, int length) {
        String type = null;
        String code = null;
        String sku = null;
        try (JsonParser parser = FACTORY.createParser(bytes, 0, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.VALUE_STRING) {
                    switch (field) {
                        case "type" -> type = parser.getText();
                        case "code" -> code = parser.getText();
                        case "sku" -> sku = parser.getText();
                        default -> {
                        }
                    }
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            // The line is cut or broken here: what was read before is all there is.
        }
        if (type == null) {
            return null;
        }
        for (ResourceType candidate : ResourceType.values()) {
            if (candidate.wireName().equals(type)) {
                return validKey(candidate, candidate == ResourceType.PRODUCT ? sku : code);
            }
        }
        return null;
    }

    // ---- resources --------------------------------------------------------------------------------

    private static Attribute attribute(ObjectNode line) {
        String code = key(line, "code", "", "attribute");
        onlyFields(line, ATTRIBUTE_FIELDS, "", "an attribute");
        String attributeType = oneOf(line, "attribute_type", ATTRIBUTE_TYPES);
        String scope = oneOf(line, "scope", SCOPES);
        SortedMap<String, String> name = translations(line.get("name"), "name");
        List<Attribute.Option> options = options(line.get("options"));
        if (!options.isEmpty() && !SELECT_TYPES.contains(attributeType)) {
            throw new Rejection("options: only SELECT and MULTI_SELECT attributes have options; this attribute is "
                    + attributeType + ", so leave options out or empty");
        }
        return new Attribute(code, attributeType, scope, name, options);
    }

    private static Category category(ObjectNode line) {
        String code = key(line, "code", "", "category");
        onlyFields(line, CATEGORY_FIELDS, "", "a category");
        return new Category(code, translations(line.get("name"), "name"));
    }

    private static Product product(ObjectNode line) {
        String sku = key(line, "sku", "", "product");
        onlyFields(line, PRODUCT_FIELDS, "", "a product");
        JsonNode productType = line.get("product_type");
        if (absent(productType)) {
            throw new Rejection("product_type: missing; give the product's type, such as SIMPLE, VARIABLE or GROUPING");
        }
        if (!productType.isTextual() || productType.textValue().isBlank()) {
            throw new Rejection("product_type: expected a non-empty string such as SIMPLE, VARIABLE or GROUPING, got "
                    + describe(productType));
        }
        return new Product(sku, productType.textValue(),
                codes(line.get("categories"), "categories", "a category code"),
                values(line.get("values")),
                codes(line.get("variants"), "variants", "the SKU of a variant"),
                codes(line.get("bindings"), "bindings", "the code of a binding attribute"),
                children(line.get("children")));
    }

    // ---- fields -----------------------------------------------------------------------------------

    private static ResourceType type(ObjectNode line) {
        JsonNode type = line.get("type");
        if (absent(type)) {
            throw new Rejection("type: missing; expected " + TYPES);
        }
        if (!type.isTextual()) {
            throw new Rejection("type: expected a string (" + TYPES + "), got " + describe(type));
        }
        for (ResourceType candidate : ResourceType.values()) {
            if (candidate.wireName().equals(type.textValue())) {
                return candidate;
            }
        }
        throw new Rejection("type: unknown value " + quote(type.textValue()) + "; expected " + TYPES);
    }

    private static String keyField(ResourceType type) {
        return type == ResourceType.PRODUCT ? "sku" : "code";
    }

    private static ResourceKey readableKey(ResourceType type, JsonNode key) {
        return key != null && key.isTextual() ? validKey(type, key.textValue()) : null;
    }

    private static ResourceKey validKey(ResourceType type, String id) {
        return id == null || id.isBlank() || id.length() > MAX_KEY_LENGTH ? null : new ResourceKey(type, id);
    }

    /** A code or SKU; {@code where} is the path of the object holding it, empty at the top of the line. */
    private static String key(ObjectNode node, String field, String where, String resource) {
        String path = where + field;
        JsonNode key = node.get(field);
        if (absent(key)) {
            throw new Rejection(path + ": missing; every " + resource + " needs a non-empty " + field);
        }
        if (!key.isTextual()) {
            throw new Rejection(path + ": expected a non-empty string, got " + describe(key));
        }
        String text = key.textValue();
        if (text.isBlank()) {
            throw new Rejection(path + ": empty; every " + resource + " needs a non-empty " + field);
        }
        if (text.length() > MAX_KEY_LENGTH) {
            throw new Rejection(path + ": " + text.length() + " characters, longer than the limit of " + MAX_KEY_LENGTH
                    + ": " + quote(text));
        }
        return text;
    }

    private static void onlyFields(ObjectNode node, Set<String> allowed, String where, String what) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!allowed.contains(field.getKey())) {
                throw new Rejection(where + "unknown field " + quote(field.getKey()) + "; " + what
                        + " has only the fields " + String.join(", ", allowed));
            }
        }
    }

    private static String oneOf(ObjectNode line, String field, List<String> accepted) {
        String expected = accepted.size() == 2
                ? quote(accepted.get(0)) + " or " + quote(accepted.get(1))
                : "one of " + String.join(", ", accepted);
        JsonNode value = line.get(field);
        if (absent(value)) {
            throw new Rejection(field + ": missing; expected " + expected);
        }
        if (!value.isTextual()) {
            throw new Rejection(field + ": expected a string, " + expected + ", got " + describe(value));
        }
        if (!accepted.contains(value.textValue())) {
            throw new Rejection(field + ": unknown value " + quote(value.textValue()) + "; expected " + expected);
        }
        return value.textValue();
    }

    /** A name: language code → text. A null text is no text. */
    private static SortedMap<String, String> translations(JsonNode node, String path) {
        SortedMap<String, String> translations = new TreeMap<>();
        if (absent(node)) {
            return translations;
        }
        if (!node.isObject()) {
            throw new Rejection(path + ": expected an object of language code to text, such as {\"en_GB\":\"Red\"}, got "
                    + describe(node));
        }
        for (Map.Entry<String, JsonNode> translation : node.properties()) {
            String language = translation.getKey();
            JsonNode text = translation.getValue();
            if (language.isBlank()) {
                throw new Rejection(path + ": a language code must not be empty; use codes such as en_GB");
            }
            if (text.isNull()) {
                continue;
            }
            if (!text.isTextual()) {
                throw new Rejection(path + "." + segment(language) + ": expected a string, got " + describe(text));
            }
            translations.put(language, text.textValue());
        }
        return translations;
    }

    private static List<Attribute.Option> options(JsonNode node) {
        List<Attribute.Option> options = new ArrayList<>();
        if (absent(node)) {
            return options;
        }
        if (!node.isArray()) {
            throw new Rejection("options: expected an array of {\"code\", \"name\"} objects, got " + describe(node));
        }
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "options[" + i + "]";
            JsonNode option = node.get(i);
            if (!(option instanceof ObjectNode object)) {
                throw new Rejection(path + ": expected an object such as {\"code\":\"red\",\"name\":{\"en_GB\":\"Red\"}}, got "
                        + describe(option));
            }
            onlyFields(object, OPTION_FIELDS, path + ": ", "an option");
            String code = key(object, "code", path + ".", "option");
            if (!codes.add(code)) {
                // The App tells options apart by code only: a second one would silently replace the first.
                throw new Rejection(path + ".code: " + quote(code) + " appears twice; option codes must be unique within an attribute");
            }
            options.add(new Attribute.Option(code, translations(object.get("name"), path + ".name")));
        }
        return options;
    }

    private static SortedSet<String> codes(JsonNode node, String path, String item) {
        SortedSet<String> codes = new TreeSet<>();
        if (absent(node)) {
            return codes;
        }
        if (!node.isArray()) {
            throw new Rejection(path + ": expected an array of strings, each " + item + ", got " + describe(node));
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode code = node.get(i);
            if (!code.isTextual() || code.textValue().isBlank()) {
                throw new Rejection(path + "[" + i + "]: expected a non-empty string, " + item + ", got " + describe(code));
            }
            codes.add(code.textValue());
        }
        return codes;
    }

    private static SortedMap<String, BigDecimal> children(JsonNode node) {
        SortedMap<String, BigDecimal> children = new TreeMap<>();
        if (absent(node)) {
            return children;
        }
        if (!node.isArray()) {
            throw new Rejection("children: expected an array of {\"sku\", \"quantity\"} objects, got " + describe(node));
        }
        for (int i = 0; i < node.size(); i++) {
            String path = "children[" + i + "]";
            JsonNode child = node.get(i);
            if (!(child instanceof ObjectNode object)) {
                throw new Rejection(path + ": expected an object such as {\"sku\":\"SKU-2\",\"quantity\":2}, got " + describe(child));
            }
            onlyFields(object, CHILD_FIELDS, path + ": ", "a child");
            String sku = key(object, "sku", path + ".", "child");
            JsonNode quantity = object.get("quantity");
            if (absent(quantity)) {
                throw new Rejection(path + ".quantity: missing; expected a number greater than 0");
            }
            if (!quantity.isNumber() || quantity.decimalValue().signum() <= 0) {
                throw new Rejection(path + ".quantity: expected a number greater than 0, got " + describe(quantity));
            }
            if (children.put(sku, number(quantity)) != null) {
                throw new Rejection(path + ".sku: " + quote(sku) + " appears twice; list each child once with its total quantity");
            }
        }
        return children;
    }

    /** attribute code → language → value; a null value or an empty language map is no value. */
    private static SortedMap<String, SortedMap<String, Object>> values(JsonNode node) {
        SortedMap<String, SortedMap<String, Object>> values = new TreeMap<>();
        if (absent(node)) {
            return values;
        }
        if (!node.isObject()) {
            throw new Rejection("values: expected an object of attribute code to {language: value}, such as "
                    + "{\"color\":{\"\":\"red\"}}, got " + describe(node));
        }
        for (Map.Entry<String, JsonNode> attribute : node.properties()) {
            String code = attribute.getKey();
            String path = "values." + segment(code);
            if (code.isBlank()) {
                throw new Rejection("values: an attribute code must not be empty");
            }
            JsonNode byLanguage = attribute.getValue();
            if (byLanguage.isNull()) {
                continue;
            }
            if (!byLanguage.isObject()) {
                throw new Rejection(path + ": expected an object of language code to value, such as {\"\":\"red\"} when not "
                        + "localized or {\"en_GB\":\"Red\"}, got " + describe(byLanguage));
            }
            SortedMap<String, Object> languages = new TreeMap<>();
            for (Map.Entry<String, JsonNode> value : byLanguage.properties()) {
                if (!value.getValue().isNull()) {
                    languages.put(value.getKey(), plain(value.getValue()));
                }
            }
            if (!languages.isEmpty()) {
                values.put(code, languages);
            }
        }
        return values;
    }

    /** A JSON value as plain Java: String, BigDecimal with the digits the PIM wrote, Boolean, List, sorted Map, null. */
    private static Object plain(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isNumber()) {
            return number(node);
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(item -> list.add(plain(item)));
            return Collections.unmodifiableList(list);
        }
        if (node.isObject()) {
            SortedMap<String, Object> map = new TreeMap<>();
            node.properties().forEach(field -> map.put(field.getKey(), plain(field.getValue())));
            return Collections.unmodifiableSortedMap(map);
        }
        return null;
    }

    /**
     * A number with the digits the PIM wrote: {@code 1.50} keeps its zero, {@code 10} stays a whole number. A whole
     * number written with an exponent ({@code 1e3}) reads as the plain one it is ({@code 1000}), as it is written
     * out again; one beyond the plain-writing limit keeps its exponent.
     */
    private static BigDecimal number(JsonNode node) {
        BigDecimal number = node.decimalValue();
        return number.scale() < 0 && number.scale() >= -JsonCodec.PLAIN_SCALE_LIMIT ? number.setScale(0) : number;
    }

    // ---- messages ---------------------------------------------------------------------------------

    private static boolean absent(JsonNode node) {
        return node == null || node.isNull();
    }

    private static String invalidJson(JsonProcessingException e, JsonLocation where) {
        String message;
        if (e instanceof JsonEOFException) {
            message = "the line ends before the JSON is complete (a missing \"}\", \"]\" or closing quote?)";
        } else {
            message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
            // Jackson points at its own source description and settings; the line, column and limit say it better.
            int source = message.indexOf(" (start marker at");
            message = (source < 0 ? message : message.substring(0, source)).replaceAll(", from `[^`]*`", "");
        }
        if (message.length() > PARSER_MESSAGE_CHARACTERS) {
            int end = Character.isHighSurrogate(message.charAt(PARSER_MESSAGE_CHARACTERS - 1))
                    ? PARSER_MESSAGE_CHARACTERS - 1 : PARSER_MESSAGE_CHARACTERS;
            message = message.substring(0, end) + "…";
        }
        return "invalid JSON" + at(where) + ": " + message + "; each line must be one complete JSON object";
    }

    private static String at(JsonLocation where) {
        return where == null || where.getColumnNr() < 1 ? "" : " at column " + where.getColumnNr();
    }

    /** What a value is, with the value itself when it is short enough to quote. */
    static String describe(JsonNode node) {
        if (node == null || node.isNull()) {
            return "null";
        }
        if (node.isTextual()) {
            return "a string " + quote(node.textValue());
        }
        if (node.isNumber()) {
            return "a number " + shorten(node.decimalValue().toString());
        }
        if (node.isBoolean()) {
            return node.booleanValue() ? "true" : "false";
        }
        if (node.isArray()) {
            return "an array";
        }
        return node.isObject() ? "an object" : "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A string as JSON text, cut so that a rejection stays small whatever the line held. */
    static String quote(String text) {
        String shown = shorten(text);
        StringBuilder quoted = new StringBuilder("\"");
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    private static String shorten(String text) {
        if (text.length() <= QUOTED_CHARACTERS) {
            return text;
        }
        // Never cut a surrogate pair in two: half a character is not valid text in a JSON response.
        int end = Character.isHighSurrogate(text.charAt(QUOTED_CHARACTERS - 1)) ? QUOTED_CHARACTERS - 1 : QUOTED_CHARACTERS;
        return text.substring(0, end) + "…";
    }

    /** A user-chosen key within a path: cut like a value, and shown as "" when empty. */
    private static String segment(String key) {
        return key.isEmpty() ? "\"\"" : shorten(key);
    }

    private static SequencedSet<String> fields(String... names) {
        return Collections.unmodifiableSequencedSet(new LinkedHashSet<>(List.of(names)));
    }

    /** A line's rejection reason, raised from deep in the line's structure; no stack trace, it is not a bug. */
    private static final class Rejection extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Rejection(String reason) {
            super(reason, null, false, false);
        }
    }
}
