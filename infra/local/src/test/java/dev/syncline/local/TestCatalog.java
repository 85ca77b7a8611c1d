package dev.syncline.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, readable catalog for end-to-end tests: six attributes (selects with options, a multi-select,
 * localized text, a price, a product relation), three categories, fifty simple products in two languages,
 * a variable product with variants and bindings and a grouping product with children. Mutable, so a test
 * can make the edits a PIM would make between two runs.
 */
final class TestCatalog {

    private static final ObjectMapper JSON = new ObjectMapper();

    final Map<String, Map<String, Object>> attributes = new LinkedHashMap<>();
    final Map<String, Map<String, Object>> categories = new LinkedHashMap<>();
    final Map<String, Map<String, Object>> products = new LinkedHashMap<>();

    static TestCatalog standard() {
        TestCatalog catalog = new TestCatalog();
        catalog.attribute("color", "SELECT", Map.of("en_GB", "Colour", "de_DE", "Farbe"),
                option("red", "Red", "Rot"), option("blue", "Blue", "Blau"), option("green", "Green", "Grün"));
        catalog.attribute("size", "SELECT", Map.of("en_GB", "Size"), option("S", "Small", "Klein"), option("M", "Medium", "Mittel"),
                option("L", "Large", "Groß"));
        catalog.attribute("material", "MULTI_SELECT", Map.of("en_GB", "Material"), option("cotton", "Cotton", "Baumwolle"),
                option("wool", "Wool", "Wolle"), option("leather", "Leather", "Leder"));
        catalog.attribute("description", "TEXT_AREA", Map.of("en_GB", "Description", "de_DE", "Beschreibung"));
        catalog.attribute("price", "PRICE", Map.of("en_GB", "Price"));
        catalog.attribute("related", "PRODUCT_RELATION", Map.of("en_GB", "Related products"));
        catalog.category("shoes", Map.of("en_GB", "Shoes", "de_DE", "Schuhe"));
        catalog.category("boots", Map.of("en_GB", "Boots", "de_DE", "Stiefel"));
        catalog.category("sale", Map.of("en_GB", "Sale", "de_DE", "Angebote"));
        String[] colors = {"red", "blue", "green"};
        for (int i = 1; i <= 50; i++) {
            String sku = String.format("SKU-%03d", i);
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("color", Map.of("", colors[i % 3]));
            values.put("description", Map.of("en_GB", "Warm shoe " + i, "de_DE", "Warmer Schuh " + i));
            values.put("price", Map.of("", 10 + i + 0.99));
            if (i % 5 == 0) {
                values.put("material", Map.of("", List.of("cotton", "wool")));
            }
            if (i == 10) {
                values.put("related", Map.of("", List.of("SKU-011", "SKU-012")));
            }
            catalog.product(sku, "SIMPLE", List.of(i % 2 == 0 ? "shoes" : "boots"), values, List.of(), List.of(), List.of());
        }
        catalog.product("V-1", "VARIABLE", List.of("shoes"), Map.of("description", Map.of("en_GB", "A shoe in three colours")),
                List.of("SKU-001", "SKU-002", "SKU-003"), List.of("color"), List.of());
        catalog.product("G-1", "GROUPING", List.of("sale"), Map.of("description", Map.of("en_GB", "Shoe care set")), List.of(), List.of(),
                List.of(Map.of("sku", "SKU-004", "quantity", 2), Map.of("sku", "SKU-005", "quantity", 1)));
        return catalog;
    }

    /** The standard catalog with 47 of its 52 products gone (SKU-001 to SKU-005 are left): what a truncated export looks like. */
    static String truncatedNdjson() {
        TestCatalog catalog = standard();
        catalog.products.keySet().removeIf(sku -> !List.of("SKU-001", "SKU-002", "SKU-003", "SKU-004", "SKU-005").contains(sku));
        return catalog.ndjson();
    }

    /** An option of a select attribute, named in English and German. */
    record Option(String code, String english, String german) {
        Map<String, Object> line() {
            return Map.of("code", code, "name", Map.of("en_GB", english, "de_DE", german));
        }
    }

    static Option option(String code, String english, String german) {
        return new Option(code, english, german);
    }

    void attribute(String code, String type, Map<String, String> name, Option... options) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", "attribute");
        line.put("code", code);
        line.put("attribute_type", type);
        line.put("scope", "global");
        line.put("name", name);
        List<Object> list = new ArrayList<>();
        for (Option option : options) {
            list.add(option.line());
        }
        line.put("options", list);
        attributes.put(code, line);
    }

    void category(String code, Map<String, String> name) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", "category");
        line.put("code", code);
        line.put("name", name);
        categories.put(code, line);
    }

    void product(String sku, String type, List<String> categoryCodes, Map<String, Object> values, List<String> variants, List<String> bindings,
            List<Map<String, Object>> children) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", "product");
        line.put("sku", sku);
        line.put("product_type", type);
        line.put("categories", new ArrayList<>(categoryCodes));
        line.put("values", new LinkedHashMap<>(values));
        line.put("variants", variants);
        line.put("bindings", bindings);
        line.put("children", children);
        products.put(sku, line);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> values(String sku) {
        return (Map<String, Object>) products.get(sku).get("values");
    }

    @SuppressWarnings("unchecked")
    List<Object> options(String attribute) {
        return (List<Object>) attributes.get(attribute).get("options");
    }

    int resources() {
        return attributes.size() + categories.size() + products.size();
    }

    String ndjson() {
        StringBuilder text = new StringBuilder();
        try {
            for (Map<String, Object> line : attributes.values()) {
                text.append(JSON.writeValueAsString(line)).append('\n');
            }
            for (Map<String, Object> line : categories.values()) {
                text.append(JSON.writeValueAsString(line)).append('\n');
            }
            // Products first in the middle of the file would do too: order in a snapshot carries no meaning.
            for (Map<String, Object> line : products.values()) {
                text.append(JSON.writeValueAsString(line)).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
