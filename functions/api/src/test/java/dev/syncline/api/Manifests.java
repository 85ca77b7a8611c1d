package dev.syncline.api;

import dev.syncline.sampleapp.SampleConfiguration;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Manifest bodies as an App author would send them: valid, unless a test changes a field. */
final class Manifests {

    private Manifests() {
    }

    /**
     * A valid manifest for an App at {@code url}, subscribing to the lifecycle events, with the sample App's two
     * configuration steps.
     */
    static Map<String, Object> valid(URI url, String version) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("name", "Shop export");
        manifest.put("description", "Exports the catalog to the shop.");
        manifest.put("version", version);
        manifest.put("compatible", "1.0.0");
        manifest.put("url", url.toString());
        manifest.put("features", List.of("synchronization", "synchronization_full"));
        manifest.put("events", List.of("app_installed", "app_uninstalled", "product_created"));
        // The sample App's own steps: TestDeployment.install submits its example configuration.
        manifest.put("configuration_schema", TestDeployment.JSON.readTree(SampleConfiguration.SCHEMA));
        manifest.put("write_access", false);
        manifest.put("icon", "data:image/png;base64,iVBORw0KGgo=");
        return manifest;
    }

    static Map<String, Object> with(Map<String, Object> manifest, String field, Object value) {
        Map<String, Object> changed = new LinkedHashMap<>(manifest);
        changed.put(field, value);
        return changed;
    }

    static Map<String, Object> without(Map<String, Object> manifest, String field) {
        Map<String, Object> changed = new LinkedHashMap<>(manifest);
        changed.remove(field);
        return changed;
    }
}
