package dev.syncline.api;

import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.core.SynclineException;
import dev.syncline.core.app.AppId;
import dev.syncline.core.app.AppRegistry;
import dev.syncline.core.app.Manifest;
import dev.syncline.core.app.Registration;
import dev.syncline.core.app.Semver;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code PUT} and {@code GET /v1/apps/{app_id}}: registering manifests and reading them back. */
final class AppsEndpoint {

    private final AppRegistry registry;
    private final JsonBodies bodies;
    private final JsonCodec json;

    AppsEndpoint(AppRegistry registry, JsonBodies bodies, JsonCodec json) {
        this.registry = registry;
        this.bodies = bodies;
        this.json = json;
    }

    /** 201 the first time, 200 for a higher version; the core refuses the rest. */
    ApiResponse register(ApiRequest request, Map<String, String> path) {
        ManifestBody body = bodies.read(request, ManifestBody.class);
        Registration registration = registry.register(path.get("app_id"), body.toDocument(json));
        int status = registration instanceof Registration.Created ? 201 : 200;
        ApiResponse response = ApiResponse.json(status, json.write(RegistrationView.of(registration, json)));
        return status == 201
                ? response.withHeader("Location", "/v1/apps/" + registration.manifest().appId())
                : response;
    }

    /** The latest manifest, or with {@code ?version=} an earlier one. */
    ApiResponse get(ApiRequest request, Map<String, String> path) {
        AppId appId = existing(path.get("app_id"));
        Optional<String> version = request.queryParameter("version");
        Manifest manifest = version.isPresent()
                ? registry.version(appId, semver(version.get()))
                : registry.latest(appId);
        return ApiResponse.json(200, json.write(ManifestView.of(manifest, json)));
    }

    // An id that breaks the rule names no App: 404, saying what ids look like.
    private static AppId existing(String appId) {
        if (!AppId.isValid(appId)) {
            throw new SynclineException.NotFound("no App is registered as " + SynclineException.quote(appId)
                    + ": app ids are " + AppId.RULE);
        }
        return new AppId(appId);
    }

    private static Semver semver(String version) {
        return Semver.tryParse(version).orElseThrow(() -> new SynclineException.Invalid("query", List.of(
                new SynclineException.Violation("version", "version must be a semantic version such as 1.4.0, got "
                        + SynclineException.quote(version)))));
    }
}
