package dev.syncline.api;

import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.core.SynclineException;
import dev.syncline.core.app.AppId;
import dev.syncline.core.app.AppRegistry;
import dev.syncline.core.app.AppStore;
import dev.syncline.core.app.Manifest;
import dev.syncline.core.app.Registration;
import dev.syncline.core.app.Semver;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code /v1/apps}: registering manifests, reading them back, listing Apps and retiring them or one of their versions. */
final class AppsEndpoint {

    /** The body of {@code GET /v1/apps}: a page, by app id. */
    record AppPage(List<AppView> apps, String nextCursor) {
    }

    /** The body of {@code GET /v1/apps/{app_id}/versions}: every version, lowest first, and the one installs use. */
    record AppVersions(String latestVersion, List<AppVersionView> versions) {
    }

    private final AppRegistry registry;
    private final JsonBodies bodies;
    private final JsonCodec json;
    private final Cursors cursors;

    AppsEndpoint(AppRegistry registry, JsonBodies bodies, JsonCodec json, Cursors cursors) {
        this.cursors = cursors;
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

    /** Every registered App's latest version, by app id, a page at a time (as {@code GET /v1/installations}). */
    ApiResponse list(ApiRequest request, Map<String, String> path) {
        String listing = "apps";
        AppStore.Page page = registry.list(InstallationsEndpoint.limit(request), cursors.open(listing, request.queryParameter("cursor").orElse(null)));
        List<AppView> views = page.apps().stream().map(AppView::of).toList();
        String next = Cursors.unlessLast(page.nextCursor(), position -> !registry.list(1, position).apps().isEmpty());
        return ApiResponse.json(200, json.write(new AppPage(views, cursors.seal(listing, next))));
    }

    /** 200 with the App, retired: no new installations or versions; idempotent. */
    ApiResponse retire(ApiRequest request, Map<String, String> path) {
        return ApiResponse.json(200, json.write(AppView.of(registry.retire(existing(path.get("app_id"))))));
    }

    /** Every registered version, retired ones included, lowest first. */
    ApiResponse versions(ApiRequest request, Map<String, String> path) {
        AppId appId = existing(path.get("app_id"));
        List<AppVersionView> versions = registry.history(appId).stream().map(AppVersionView::of).toList();
        return ApiResponse.json(200, json.write(new AppVersions(registry.latest(appId).version().toString(), versions)));
    }

    /** 200 with the version, retired: nothing installs or configures with it any more; idempotent. */
    ApiResponse retireVersion(ApiRequest request, Map<String, String> path) {
        AppId appId = existing(path.get("app_id"));
        return ApiResponse.json(200, json.write(AppVersionView.of(registry.retireVersion(appId, semver(path.get("version"))))));
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
