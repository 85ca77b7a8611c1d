package dev.syncline.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.core.app.ManifestDocument;
import java.util.List;

/** The body of {@code PUT /v1/apps/{app_id}}: a manifest, every field optional here and checked by the core. */
record ManifestBody(
        String name,
        String description,
        String version,
        String compatible,
        String url,
        List<String> features,
        List<String> events,
        JsonNode configurationSchema,
        Boolean writeAccess,
        String icon) {

    ManifestDocument toDocument(JsonCodec json) {
        String schema = configurationSchema == null || configurationSchema.isNull()
                ? null
                : json.write(configurationSchema);
        return new ManifestDocument(name, description, version, compatible, url, features, events, schema, writeAccess,
                icon);
    }
}
