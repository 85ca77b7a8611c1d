package dev.syncline.sampleapp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The file the sample App produces for {@code GET /download-file}: a CSV product feed of what it holds.
 *
 * <p>Columns: {@code sku,type,categories,variants,children}, then one per attribute value held by any product,
 * ordered by attribute code, the non-localized value ({@code code}) before the localized ones
 * ({@code code[en_GB]}) in language order. One row per product, ordered by SKU. Lists are joined with
 * {@code |}; children are {@code SKU:quantity}; a text or number value is written as is, any other JSON value
 * (option lists, prices) as compact JSON. No products: the header line alone.
 */
final class ProductFeed {

    static final List<String> FIXED_COLUMNS = List.of("sku", "type", "categories", "variants", "children");

    private record Column(String attributeCode, String language) {
        String header() {
            return language == null ? attributeCode : attributeCode + "[" + language + "]";
        }
    }

    private static final Comparator<Column> COLUMN_ORDER = Comparator.comparing(Column::attributeCode)
            .thenComparing(Column::language, Comparator.nullsFirst(Comparator.naturalOrder()));

    private ProductFeed() {
    }

    /** Renders the products, which must come in SKU order (as {@link Catalog#products()} gives them). */
    static String render(Collection<Catalog.Product> products) {
        SortedSet<Column> columns = new TreeSet<>(COLUMN_ORDER);
        products.forEach(product -> product.values.forEach((code, byLanguage) ->
                byLanguage.keySet().forEach(language -> columns.add(new Column(code, language)))));

        var csv = new CsvWriter();
        var header = new ArrayList<>(FIXED_COLUMNS);
        columns.forEach(column -> header.add(column.header()));
        csv.row(header);
        for (Catalog.Product product : products) {
            var row = new ArrayList<String>();
            row.add(product.sku);
            row.add(product.type);
            row.add(String.join("|", product.categories));
            row.add(String.join("|", product.variants));
            row.add(product.children.entrySet().stream()
                    .map(child -> child.getKey() + ":" + child.getValue())
                    .collect(Collectors.joining("|")));
            for (Column column : columns) {
                Map<String, JsonNode> byLanguage = product.values.get(column.attributeCode());
                row.add(byLanguage == null ? null : text(byLanguage.get(column.language())));
            }
            csv.row(row);
        }
        return csv.toString();
    }

    private static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        return value.isValueNode() ? value.asText() : Json.compact(value);
    }
}
