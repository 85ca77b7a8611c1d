package dev.syncline.core.snapshot;

/**
 * One line of a snapshot, validated and normalized: maps sorted, lists in a stable order where order
 * carries no meaning, numbers without trailing zeros. Two resources that mean the same are equal.
 */
public sealed interface Resource permits Attribute, Category, Product {

    ResourceKey key();
}
