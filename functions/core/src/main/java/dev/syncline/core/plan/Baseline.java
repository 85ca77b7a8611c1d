package dev.syncline.core.plan;

import dev.syncline.core.snapshot.Product;
import dev.syncline.core.snapshot.Resource;
import java.util.Map;

/**
 * What the App last successfully received of one resource: nothing (null parts), or the resource, and for
 * a product its relations part separately (see {@link Facets}); and the {@code resource_customs} the App holds
 * for it, sent back with the resource's next entries.
 *
 * @param primary the attribute, the category, or the products-phase part of a product; null if never delivered
 * @param relations the relations-phase part of a product; null if never delivered
 * @param customs the resource's latest {@code resource_customs}, empty when it has none; null when unknown
 *     because they were kept outside the delivered state when it was delivered (see {@code ResourceCustoms})
 */
public record Baseline(Resource primary, Product relations, Map<String, Object> customs) {

    public static final Baseline NONE = new Baseline(null, null, Map.of());

    /** A baseline without customs. */
    public Baseline(Resource primary, Product relations) {
        this(primary, relations, Map.of());
    }

    public boolean isEmpty() {
        return primary == null && relations == null;
    }

    public Baseline withCustoms(Map<String, Object> customs) {
        return new Baseline(primary, relations, customs);
    }
}
