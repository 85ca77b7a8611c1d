package dev.syncline.testing.catalog;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One change a {@link CatalogGenerator} made between two snapshots, with what it was and what it became, so that
 * a test can say exactly which entries and events the engine must plan for it.
 */
public sealed interface CatalogEdit {

    /** The snapshot's {@code type} of the changed resource: {@code attribute} or {@code product}. */
    String resourceType();

    /** The changed resource's code or SKU. */
    String resourceId();

    /** One translation of a localized product value now reads differently. */
    record TranslationChanged(String sku, String attributeCode, String language, String before, String after)
            implements CatalogEdit {

        public TranslationChanged {
            Objects.requireNonNull(sku, "sku");
            Objects.requireNonNull(attributeCode, "attributeCode");
            Objects.requireNonNull(language, "language");
            Objects.requireNonNull(before, "before");
            Objects.requireNonNull(after, "after");
            if (before.equals(after)) {
                throw new IllegalArgumentException("a changed translation must differ from what it was: " + before);
            }
        }

        @Override
        public String resourceType() {
            return "product";
        }

        @Override
        public String resourceId() {
            return sku;
        }
    }

    /** A select attribute gained an option, added after its existing ones. */
    record OptionAdded(String attributeCode, String optionCode, SortedMap<String, String> name) implements CatalogEdit {

        public OptionAdded {
            Objects.requireNonNull(attributeCode, "attributeCode");
            Objects.requireNonNull(optionCode, "optionCode");
            name = Collections.unmodifiableSortedMap(new TreeMap<>(name));
        }

        @Override
        public String resourceType() {
            return "attribute";
        }

        @Override
        public String resourceId() {
            return attributeCode;
        }
    }

    /** A product left one category for another it was not in. */
    record ProductMoved(String sku, String fromCategory, String toCategory) implements CatalogEdit {

        public ProductMoved {
            Objects.requireNonNull(sku, "sku");
            Objects.requireNonNull(fromCategory, "fromCategory");
            Objects.requireNonNull(toCategory, "toCategory");
            if (fromCategory.equals(toCategory)) {
                throw new IllegalArgumentException("a moved product changes category, got " + fromCategory + " twice");
            }
        }

        @Override
        public String resourceType() {
            return "product";
        }

        @Override
        public String resourceId() {
            return sku;
        }
    }

    /**
     * A product lost its value of one attribute, in every language.
     *
     * @param before what the value was, language → value ({@code ""} for a value that is not localized)
     */
    record ValueRemoved(String sku, String attributeCode, SortedMap<String, Object> before) implements CatalogEdit {

        public ValueRemoved {
            Objects.requireNonNull(sku, "sku");
            Objects.requireNonNull(attributeCode, "attributeCode");
            before = Collections.unmodifiableSortedMap(new TreeMap<>(before));
            if (before.isEmpty()) {
                throw new IllegalArgumentException("a removed value had at least one language");
            }
        }

        @Override
        public String resourceType() {
            return "product";
        }

        @Override
        public String resourceId() {
            return sku;
        }
    }

    /** A product is gone from the snapshot. Only products no other product refers to are deleted. */
    record ProductDeleted(String sku) implements CatalogEdit {

        public ProductDeleted {
            Objects.requireNonNull(sku, "sku");
        }

        @Override
        public String resourceType() {
            return "product";
        }

        @Override
        public String resourceId() {
            return sku;
        }
    }
}
