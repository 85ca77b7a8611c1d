package dev.syncline.adapters.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.syncline.core.snapshot.Product;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads a product line straight from the parser's tokens into the {@link Product} {@link NdjsonResourceParser} makes
 * of it, without a tree of the line first: products are nearly every line of a snapshot. It reads only lines that
 * are valid products and gives up (null) at the first thing that is not plainly one: another type, an unknown or
 * mistyped field, anything the rules reject, broken JSON. The tree reader then reads the line and says what is wrong
 * with it, so every rejection and its reason stay where they were. What this reads equals what the tree reader reads.
 */
final class ProductLineReader {

    private ProductLineReader() {
    }

    /** The product on the line, or null when the line is not plainly a valid product. */
    static Product read(JsonFactory factory, byte[] bytes, int length) {
        try (JsonParser parser = factory.createParser(bytes, 0, length)) {
            return product(parser);
        } catch (IOException | RuntimeException e) {
            // Broken JSON, a broken limit, or a shape this reader does not expect (GiveUp): the tree reader reads the
            // line, whatever went wrong here, and is the one that says what is wrong with it.
            return null;
        }
    }

    private static Product product(JsonParser parser) throws IOException {
        expect(parser.nextToken() == JsonToken.START_OBJECT);
        boolean isProduct = false;
        String sku = null;
        String productType = null;
        SortedSet<String> categories = new TreeSet<>();
        SortedMap<String, SortedMap<String, Object>> values = new TreeMap<>();
        SortedSet<String> variants = new TreeSet<>();
        SortedSet<String> bindings = new TreeSet<>();
        SortedMap<String, BigDecimal> children = new TreeMap<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "type" -> isProduct = value == JsonToken.VALUE_STRING && "product".equals(parser.getText());
                case "sku" -> sku = key(parser, value);
                case "product_type" -> {
                    expect(value == JsonToken.VALUE_STRING && !parser.getText().isBlank());
                    productType = parser.getText();
                }
                case "categories" -> codes(parser, value, categories);
                case "values" -> values(parser, value, values);
                case "variants" -> codes(parser, value, variants);
                case "bindings" -> codes(parser, value, bindings);
                case "children" -> children(parser, value, children);
                default -> throw GiveUp.INSTANCE;
            }
        }
        expect(isProduct && sku != null && productType != null && parser.nextToken() == null);
        return new Product(sku, productType, categories, values, variants, bindings, children);
    }

    /** A code or SKU: a non-blank string no longer than {@link NdjsonResourceParser#MAX_KEY_LENGTH}. */
    private static String key(JsonParser parser, JsonToken value) throws IOException {
        expect(value == JsonToken.VALUE_STRING);
        String key = parser.getText();
        expect(!key.isBlank() && key.length() <= NdjsonResourceParser.MAX_KEY_LENGTH);
        return key;
    }

    private static void codes(JsonParser parser, JsonToken value, SortedSet<String> codes) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return;
        }
        expect(value == JsonToken.START_ARRAY);
        for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
            expect(item == JsonToken.VALUE_STRING && !parser.getText().isBlank());
            codes.add(parser.getText());
        }
    }

    private static void values(JsonParser parser, JsonToken value, SortedMap<String, SortedMap<String, Object>> values) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return;
        }
        expect(value == JsonToken.START_OBJECT);
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            String code = parser.currentName();
            expect(!code.isBlank());
            JsonToken byLanguage = parser.nextToken();
            if (byLanguage == JsonToken.VALUE_NULL) {
                continue;
            }
            expect(byLanguage == JsonToken.START_OBJECT);
            SortedMap<String, Object> languages = new TreeMap<>();
            for (JsonToken language = parser.nextToken(); language != JsonToken.END_OBJECT; language = parser.nextToken()) {
                String name = parser.currentName();
                JsonToken item = parser.nextToken();
                if (item != JsonToken.VALUE_NULL) {
                    languages.put(name, plain(parser, item));
                }
            }
            if (!languages.isEmpty()) {
                values.put(code, languages);
            }
        }
    }

    private static void children(JsonParser parser, JsonToken value, SortedMap<String, BigDecimal> children) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return;
        }
        expect(value == JsonToken.START_ARRAY);
        for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
            expect(item == JsonToken.START_OBJECT);
            String sku = null;
            BigDecimal quantity = null;
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
                String field = parser.currentName();
                JsonToken fieldValue = parser.nextToken();
                switch (field) {
                    case "sku" -> sku = key(parser, fieldValue);
                    case "quantity" -> {
                        expect(fieldValue == JsonToken.VALUE_NUMBER_INT || fieldValue == JsonToken.VALUE_NUMBER_FLOAT);
                        quantity = number(parser);
                        expect(quantity.signum() > 0);
                    }
                    default -> throw GiveUp.INSTANCE;
                }
            }
            expect(sku != null && quantity != null && children.put(sku, quantity) == null);
        }
    }

    /** A value as {@link NdjsonResourceParser} keeps it: String, BigDecimal, Boolean, unmodifiable List or sorted Map, null. */
    private static Object plain(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> number(parser);
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
                    list.add(plain(parser, item));
                }
                yield Collections.unmodifiableList(list);
            }
            case START_OBJECT -> {
                SortedMap<String, Object> map = new TreeMap<>();
                for (JsonToken field = parser.nextToken(); field != JsonToken.END_OBJECT; field = parser.nextToken()) {
                    String name = parser.currentName();
                    map.put(name, plain(parser, parser.nextToken()));
                }
                yield Collections.unmodifiableSortedMap(map);
            }
            default -> throw GiveUp.INSTANCE;
        };
    }

    /** The number with the digits the line wrote, as {@link NdjsonResourceParser} keeps it. */
    private static BigDecimal number(JsonParser parser) throws IOException {
        BigDecimal number = parser.getDecimalValue();
        return number.scale() < 0 && number.scale() >= -JsonCodec.PLAIN_SCALE_LIMIT ? number.setScale(0) : number;
    }

    private static void expect(boolean plainlyValid) {
        if (!plainlyValid) {
            throw GiveUp.INSTANCE;
        }
    }

    /** Not plainly a valid product: the tree reader reads the line. Thrown often enough on bad files to carry no stack. */
    private static final class GiveUp extends RuntimeException {

        private static final long serialVersionUID = 1L;
        static final GiveUp INSTANCE = new GiveUp();

        private GiveUp() {
            super("not plainly a valid product", null, false, false);
        }
    }
}
