package dev.syncline.core.plan;

import dev.syncline.core.snapshot.Product;
import dev.syncline.core.snapshot.Resource;

/**
 * What the App last successfully received of one resource: nothing (null parts), or the resource, and for
 * a product its relations part separately (see {@link Facets}).
 *
 * @param primary the attribute, the category, or the products-phase part of a product; null if never delivered
 * @param relations the relations-phase part of a product; null if never delivered
 */
public record Baseline(Resource primary, Product relations) {

    public static final Baseline NONE = new Baseline(null, null);

    public boolean isEmpty() {
        return primary == null && relations == null;
    }
}
