package dev.syncline.core.sync;

/**
 * The delivery phases of a run, in the protocol's order: a phase starts only after every entry of the
 * previous one is terminal, so an App never receives a product before the attributes and categories it
 * uses, and relations only once every product exists.
 */
public enum Phase {
    ATTRIBUTES,
    CATEGORIES,
    PRODUCTS,
    RELATIONS;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
