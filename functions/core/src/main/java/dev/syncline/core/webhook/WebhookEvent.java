package dev.syncline.core.webhook;

import java.util.Arrays;
import java.util.Optional;

/** What an installation's webhook may be told, by its wire name ({@code Syncline-Event}). */
public enum WebhookEvent {
    SYNCHRONIZATION_STARTED("synchronization.started"),
    SYNCHRONIZATION_AWAITING_CONFIRMATION("synchronization.awaiting_confirmation"),
    SYNCHRONIZATION_ENDED("synchronization.ended"),
    FILE_STORED("file.stored");

    /** What a webhook set without {@code events} is told. */
    public static final WebhookEvent DEFAULT = SYNCHRONIZATION_ENDED;

    private final String wireName;

    WebhookEvent(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The event of a wire name; empty for an unknown one. */
    public static Optional<WebhookEvent> parse(String wireName) {
        return Arrays.stream(values()).filter(event -> event.wireName.equals(wireName)).findFirst();
    }
}
