package dev.syncline.core.snapshot;

import java.util.Locale;

/** The three kinds of catalog resource a snapshot holds, and how the protocol names their ids. */
public enum ResourceType {
    ATTRIBUTE("attribute_code"),
    CATEGORY("category_code"),
    PRODUCT("sku");

    private final String idType;

    ResourceType(String idType) {
        this.idType = idType;
    }

    /** The snapshot's {@code type} field and the prefix of the resource's event names. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code resource_id.type} in App payloads. */
    public String idType() {
        return idType;
    }
}
