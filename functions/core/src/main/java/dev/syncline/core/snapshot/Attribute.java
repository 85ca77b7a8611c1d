package dev.syncline.core.snapshot;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;

/**
 * An attribute of the catalog.
 *
 * @param attributeType one of the protocol's types (TEXT, SELECT, PRODUCT_RELATION...)
 * @param scope {@code local} or {@code global}
 * @param name translations by language code
 * @param options the options of SELECT and MULTI_SELECT attributes, in the PIM's order
 */
public record Attribute(String code, String attributeType, String scope, SortedMap<String, String> name, List<Option> options)
        implements Resource {

    public Attribute {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(attributeType, "attributeType");
        Objects.requireNonNull(scope, "scope");
        name = Translations.copyOf(name);
        options = List.copyOf(options);
    }

    @Override
    public ResourceKey key() {
        return new ResourceKey(ResourceType.ATTRIBUTE, code);
    }

    /** Values of this attribute are SKUs of other products, delivered in the relations phase. */
    public boolean isProductRelation() {
        return "PRODUCT_RELATION".equals(attributeType);
    }

    /** An option of a select attribute. */
    public record Option(String code, SortedMap<String, String> name) {

        public Option {
            Objects.requireNonNull(code, "code");
            name = Translations.copyOf(name);
        }
    }

    static Map<String, Option> byCode(List<Option> options) {
        Map<String, Option> map = new java.util.LinkedHashMap<>();
        options.forEach(option -> map.put(option.code(), option));
        return map;
    }
}
