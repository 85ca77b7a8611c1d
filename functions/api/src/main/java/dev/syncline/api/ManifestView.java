package dev.syncline.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.core.app.AppEvent;
import dev.syncline.core.app.AppFeature;
import dev.syncline.core.app.Manifest;
import java.util.List;

/** A registered manifest as the API shows it. */
record ManifestView(
        String appId,
        String name,
        String description,
        String version,
        String compatible,
        String url,
        List<String> features,
        List<String> events,
        JsonNode configurationSchema,
        boolean writeAccess,
        String icon,
        String registeredAt) {

    static ManifestView of(Manifest manifest, JsonCodec json) {
        return new ManifestView(
                manifest.appId().value(),
                manifest.name(),
                manifest.description(),
                manifest.version().toString(),
                manifest.compatible().toString(),
                manifest.url().toString(),
                manifest.features().stream().map(AppFeature::wireName).toList(),
                manifest.events().stream().map(AppEvent::wireName).toList(),
                json.readTree(manifest.configurationSchema()),
                manifest.writeAccess(),
                manifest.icon(),
                manifest.registeredAt().toString());
    }
}
