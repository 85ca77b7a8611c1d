package dev.syncline.core.plan;

import dev.syncline.core.snapshot.Product;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Splits a product into the part delivered in the products phase (type, categories, values, bindings)
 * and the part delivered in the relations phase (variants, children, product-relation values). Each part
 * of the delivered state advances only when its own entry succeeds, so a failed relations entry never
 * hides a delivered value change, and the other way round.
 */
public final class Facets {

    private final Set<String> relationAttributes;

    /** @param relationAttributes codes of the PRODUCT_RELATION attributes of the catalog */
    public Facets(Set<String> relationAttributes) {
        this.relationAttributes = Set.copyOf(relationAttributes);
    }

    /** The products-phase part: everything but variants, children and relation values. */
    public Product core(Product product) {
        if (!hasRelations(product)) {
            return product; // most products: nothing to take out, and the product is immutable
        }
        SortedMap<String, SortedMap<String, Object>> values = new TreeMap<>(product.values());
        values.keySet().removeAll(relationAttributes);
        return new Product(product.sku(), product.productType(), product.categories(), values,
                new TreeSet<>(), product.bindings(), new TreeMap<>());
    }

    /** The relations-phase part: variants, children and relation values, under the product's SKU and type. */
    public Product relations(Product product) {
        if (!hasRelations(product)) {
            return Product.of(product.sku(), product.productType());
        }
        SortedMap<String, SortedMap<String, Object>> values = new TreeMap<>(product.values());
        values.keySet().retainAll(relationAttributes);
        return new Product(product.sku(), product.productType(), new TreeSet<>(), values,
                product.variants(), new TreeSet<>(), product.children());
    }

    /** Whether a product has anything to deliver in the relations phase. */
    public boolean hasRelations(Product product) {
        if (!product.variants().isEmpty() || !product.children().isEmpty()) {
            return true;
        }
        for (String attribute : relationAttributes) {
            if (product.values().containsKey(attribute)) {
                return true;
            }
        }
        return false;
    }

    public boolean isRelation(String attributeCode) {
        return relationAttributes.contains(attributeCode);
    }
}
