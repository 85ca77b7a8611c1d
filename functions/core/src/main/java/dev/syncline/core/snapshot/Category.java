package dev.syncline.core.snapshot;

import java.util.Objects;
import java.util.SortedMap;

/** A category of the catalog, with its name by language. */
public record Category(String code, SortedMap<String, String> name) implements Resource {

    public Category {
        Objects.requireNonNull(code, "code");
        name = Translations.copyOf(name);
    }

    @Override
    public ResourceKey key() {
        return new ResourceKey(ResourceType.CATEGORY, code);
    }
}
