package dev.syncline.core.snapshot;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A product of the catalog.
 *
 * @param productType SIMPLE, VARIABLE, GROUPING...
 * @param categories category codes
 * @param values attribute code → language → value; the language of a non-localized value is {@code ""};
 *     a value is a JSON value as plain Java objects: {@code String}, {@code java.math.BigDecimal},
 *     {@code Boolean}, {@code List} or {@code Map} (arrays of SKUs for PRODUCT_RELATION attributes)
 * @param variants variant SKUs of a VARIABLE product
 * @param bindings binding attribute codes of a VARIABLE product
 * @param children SKU → quantity, for GROUPING products, with the digits the PIM wrote (changes compare them by value)
 */
public record Product(
        String sku,
        String productType,
        SortedSet<String> categories,
        SortedMap<String, SortedMap<String, Object>> values,
        SortedSet<String> variants,
        SortedSet<String> bindings,
        SortedMap<String, java.math.BigDecimal> children)
        implements Resource {

    /** The language key of a value that is not localized. */
    public static final String NOT_LOCALIZED = "";

    public Product {
        Objects.requireNonNull(sku, "sku");
        Objects.requireNonNull(productType, "productType");
        categories = Collections.unmodifiableSortedSet(new TreeSet<>(categories));
        // As a Map, not a SortedMap: natural order whatever the argument's comparator, copied in one linear pass from a map
        // in natural order (every reader builds one); then each language map.
        TreeMap<String, SortedMap<String, Object>> sortedValues = new TreeMap<>((Map<String, SortedMap<String, Object>>) values);
        sortedValues.replaceAll((attribute, byLanguage) -> Collections.unmodifiableSortedMap(new TreeMap<>(byLanguage)));
        values = Collections.unmodifiableSortedMap(sortedValues);
        variants = Collections.unmodifiableSortedSet(new TreeSet<>(variants));
        bindings = Collections.unmodifiableSortedSet(new TreeSet<>(bindings));
        TreeMap<String, java.math.BigDecimal> sortedChildren = new TreeMap<>();
        sortedChildren.putAll(children);
        children = Collections.unmodifiableSortedMap(sortedChildren);
    }

    /** A product with no values, categories or relations, for building in tests and code. */
    public static Product of(String sku, String productType) {
        return new Product(sku, productType, new TreeSet<>(), new TreeMap<>(), new TreeSet<>(), new TreeSet<>(), new TreeMap<>());
    }

    @Override
    public ResourceKey key() {
        return new ResourceKey(ResourceType.PRODUCT, sku);
    }
}
