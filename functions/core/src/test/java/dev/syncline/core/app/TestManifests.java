package dev.syncline.core.app;

import java.util.List;

/** Manifest documents for tests: valid unless a test breaks one field. */
public final class TestManifests {

    private TestManifests() {}

    public static Builder valid() {
        return new Builder();
    }

    /** Starts valid; each setter replaces one field as the request would carry it. */
    public static final class Builder {
        private String name = "Shop export";
        private String description = "Exports the catalog to the shop.";
        private String version = "1.0.0";
        private String compatible = "1.0.0";
        private String url = "https://shop-export.example.com/app";
        private List<String> features = List.of("synchronization", "synchronization_full");
        private List<String> events =
                List.of("app_installed", "app_uninstalled", "product_created", "product_updated");
        // No configuration steps: an installation is active at once unless a test gives it steps.
        private String configurationSchema = "[]";
        private Boolean writeAccess = Boolean.FALSE;
        private String icon = "data:image/png;base64,iVBORw0KGgo=";

        public Builder name(String value) {
            name = value;
            return this;
        }

        public Builder description(String value) {
            description = value;
            return this;
        }

        public Builder version(String value) {
            version = value;
            return this;
        }

        public Builder compatible(String value) {
            compatible = value;
            return this;
        }

        /** Sets version and compatible together, the common case in version tests. */
        public Builder versions(String versionValue, String compatibleValue) {
            version = versionValue;
            compatible = compatibleValue;
            return this;
        }

        public Builder url(String value) {
            url = value;
            return this;
        }

        public Builder features(List<String> value) {
            features = value;
            return this;
        }

        public Builder events(List<String> value) {
            events = value;
            return this;
        }

        public Builder configurationSchema(String value) {
            configurationSchema = value;
            return this;
        }

        public Builder writeAccess(Boolean value) {
            writeAccess = value;
            return this;
        }

        public Builder icon(String value) {
            icon = value;
            return this;
        }

        public ManifestDocument build() {
            return new ManifestDocument(
                    name,
                    description,
                    version,
                    compatible,
                    url,
                    features,
                    events,
                    configurationSchema,
                    writeAccess,
                    icon);
        }
    }
}
