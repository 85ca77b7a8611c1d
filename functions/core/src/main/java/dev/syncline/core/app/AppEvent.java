package dev.syncline.core.app;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An event an App can subscribe to in its manifest's {@code events}; the engine sends it as {@code
 * PUT /consume/{wireName}} only when subscribed.
 */
public enum AppEvent {
    APP_INSTALLED("app_installed"),
    APP_UNINSTALLED("app_uninstalled"),
    ATTRIBUTE_CREATED("attribute_created"),
    ATTRIBUTE_UPDATED("attribute_updated"),
    ATTRIBUTE_DELETED("attribute_deleted"),
    CATEGORY_CREATED("category_created"),
    CATEGORY_UPDATED("category_updated"),
    CATEGORY_DELETED("category_deleted"),
    PRODUCT_CREATED("product_created"),
    PRODUCT_UPDATED("product_updated"),
    PRODUCT_DELETED("product_deleted"),
    SYNCHRONIZATION_STARTED("synchronization_started"),
    SYNCHRONIZATION_ENDED("synchronization_ended");

    private final String wireName;

    AppEvent(String wireName) {
        this.wireName = wireName;
    }

    /** The name as the manifest and the {@code /consume/{event}} path spell it. */
    public String wireName() {
        return wireName;
    }

    /** Whether this event marks an installation's lifecycle rather than a synchronization. */
    public boolean isLifecycle() {
        return this == APP_INSTALLED || this == APP_UNINSTALLED;
    }

    /** The event a manifest names, or empty when it names none we know. */
    public static Optional<AppEvent> fromWireName(String name) {
        return Arrays.stream(values()).filter(event -> event.wireName.equals(name)).findFirst();
    }

    static String known() {
        return Arrays.stream(values()).map(AppEvent::wireName).collect(Collectors.joining(", "));
    }
}
