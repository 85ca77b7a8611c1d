package dev.syncline.core.app;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A manifest as the request carried it, decoded from JSON but not yet checked: any field may be
 * missing ({@code null}) or break a rule. {@link AppRegistry#register} checks it as a whole and
 * reports every violation at once, which is why this record accepts anything.
 *
 * @param name {@code name}
 * @param description {@code description}
 * @param version {@code version}, as text
 * @param compatible {@code compatible}, as text
 * @param url {@code url}, as text
 * @param features {@code features}; may contain nulls if the JSON did
 * @param events {@code events}; may contain nulls if the JSON did
 * @param configurationSchema {@code configuration_schema} re-encoded as raw JSON text by the
 *     decoder; the engine stores it without interpreting it
 * @param writeAccess {@code write_access}
 * @param icon {@code icon}, a data URI
 */
public record ManifestDocument(
        String name,
        String description,
        String version,
        String compatible,
        String url,
        List<String> features,
        List<String> events,
        String configurationSchema,
        Boolean writeAccess,
        String icon) {

    public ManifestDocument {
        features = copyAllowingNulls(features);
        events = copyAllowingNulls(events);
    }

    // List.copyOf would throw on the nulls we want to report as violations.
    private static List<String> copyAllowingNulls(List<String> values) {
        return values == null ? null : Collections.unmodifiableList(new ArrayList<>(values));
    }
}
