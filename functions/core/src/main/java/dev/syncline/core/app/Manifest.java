package dev.syncline.core.app;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One registered version of an App's manifest, checked against the protocol's rules. The store
 * keeps every version; the one with the highest {@link #version} is the App's current one.
 *
 * @param appId the App it describes
 * @param name 3–30 characters
 * @param description 20–200 characters
 * @param version the version of this manifest's content
 * @param compatible the oldest version whose installations' configuration still works, never above
 *     {@code version}
 * @param url the App's base URL; every protocol path is relative to it
 * @param features the capabilities the App declares, in declaration order of {@link AppFeature}
 * @param events the events the App subscribes to, in declaration order of {@link AppEvent}
 * @param configurationSchema the list of JSON Schemas, one per configuration step, as raw JSON
 *     text: stored and returned, never interpreted
 * @param writeAccess as given
 * @param icon a data URI as given, or {@code null} when the manifest has none
 * @param registeredAt when this version was registered
 */
public record Manifest(
        AppId appId,
        String name,
        String description,
        Semver version,
        Semver compatible,
        HttpUrl url,
        Set<AppFeature> features,
        Set<AppEvent> events,
        String configurationSchema,
        boolean writeAccess,
        String icon,
        Instant registeredAt) {

    static final int NAME_MIN = 3;
    static final int NAME_MAX = 30;
    static final int DESCRIPTION_MIN = 20;
    static final int DESCRIPTION_MAX = 200;
    // Our rules: the whole manifest must fit a 400 KB DynamoDB item with room to spare.
    static final int ICON_MAX_LENGTH = 100_000;
    static final int CONFIGURATION_SCHEMA_MAX_LENGTH = 200_000;

    public Manifest {
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(compatible, "compatible");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(configurationSchema, "configurationSchema");
        Objects.requireNonNull(registeredAt, "registeredAt");
        requireLength("name", name, NAME_MIN, NAME_MAX);
        requireLength("description", description, DESCRIPTION_MIN, DESCRIPTION_MAX);
        if (compatible.isAbove(version)) {
            throw new IllegalArgumentException(
                    "compatible %s must not be above version %s".formatted(compatible, version));
        }
        features = enumSet(AppFeature.class, features);
        events = enumSet(AppEvent.class, events);
    }

    /** Whether the App subscribes to {@code event}. */
    public boolean subscribes(AppEvent event) {
        return events.contains(event);
    }

    /**
     * Whether an installation must be configured before it can synchronize. The decoder wrote {@code
     * configurationSchema} from parsed JSON, so an App without steps has exactly {@code []}.
     */
    public boolean hasConfigurationSteps() {
        return !configurationSchema.strip().equals("[]");
    }

    /** Whether the App declares {@code feature}. */
    public boolean enables(AppFeature feature) {
        return features.contains(feature);
    }

    static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    private static void requireLength(String field, String value, int min, int max) {
        Objects.requireNonNull(value, field);
        int length = length(value);
        if (length < min || length > max) {
            throw new IllegalArgumentException(
                    "%s must be %d–%d characters, got %d".formatted(field, min, max, length));
        }
    }

    // An EnumSet iterates in declaration order, so the API shows the same order every time.
    private static <E extends Enum<E>> Set<E> enumSet(Class<E> type, Collection<E> values) {
        EnumSet<E> set = EnumSet.noneOf(type);
        set.addAll(values);
        return Collections.unmodifiableSet(set);
    }
}
