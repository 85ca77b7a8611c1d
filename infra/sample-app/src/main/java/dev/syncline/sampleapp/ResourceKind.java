package dev.syncline.sampleapp;

/** The three kinds of resource a synchronization delivers, and what identifies each in {@code resource_id}. */
enum ResourceKind {
    ATTRIBUTE("attribute", "attribute_code"),
    CATEGORY("category", "category_code"),
    PRODUCT("product", "sku");

    private final String noun;
    private final String idType;

    ResourceKind(String noun, String idType) {
        this.noun = noun;
        this.idType = idType;
    }

    String noun() {
        return noun;
    }

    /** The expected {@code resource_id.type}. */
    String idType() {
        return idType;
    }

    boolean accepts(Change change) {
        return switch (this) {
            case ATTRIBUTE -> change instanceof Change.AttributeChange;
            case CATEGORY -> change instanceof Change.CategoryChange;
            case PRODUCT -> change instanceof Change.ProductChange;
        };
    }
}
