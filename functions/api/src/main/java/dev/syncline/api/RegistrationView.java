package dev.syncline.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.core.app.Registration;
import java.util.List;
import java.util.UUID;

/**
 * The answer to {@code PUT /v1/apps/{app_id}}: the manifest now in effect, the version it replaced ({@code null}
 * the first time) and the installations the update moved to {@code configuration_required}.
 */
record RegistrationView(
        @JsonUnwrapped ManifestView manifest,
        String previousVersion,
        List<String> configurationRequiredInstallations) {

    static RegistrationView of(Registration registration, JsonCodec json) {
        ManifestView manifest = ManifestView.of(registration.manifest(), json);
        return switch (registration) {
            case Registration.Created created -> new RegistrationView(manifest, null, List.of());
            case Registration.Updated updated -> new RegistrationView(manifest, updated.previousVersion().toString(),
                    updated.movedToConfigurationRequired().stream().map(UUID::toString).toList());
        };
    }
}
