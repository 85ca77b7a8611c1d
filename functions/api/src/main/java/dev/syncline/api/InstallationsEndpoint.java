package dev.syncline.api;

import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.core.SynclineException;
import dev.syncline.core.app.AppId;
import dev.syncline.core.installation.InstallationResult;
import dev.syncline.core.installation.InstallationService;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@code /v1/installations}: install, read, list by App, uninstall. */
final class InstallationsEndpoint {

    /** The body of {@code GET /v1/installations?app_id=}. */
    record InstallationList(List<InstallationView> installations) {
    }

    private final InstallationService installations;
    private final JsonBodies bodies;
    private final JsonCodec json;

    InstallationsEndpoint(InstallationService installations, JsonBodies bodies, JsonCodec json) {
        this.installations = installations;
        this.bodies = bodies;
        this.json = json;
    }

    /** 201 once the App accepted the handshake; the core answers 502 (nothing stored) when it did not. */
    ApiResponse install(ApiRequest request, Map<String, String> path) {
        InstallationBody body = bodies.read(request, InstallationBody.class);
        InstallationResult result = installations.install(body.toRequest());
        return ApiResponse.json(201, json.write(InstallationChangeView.of(result)))
                .withHeader("Location", "/v1/installations/" + result.installation().id());
    }

    ApiResponse get(ApiRequest request, Map<String, String> path) {
        UUID id = id(path.get("installation_id"));
        return ApiResponse.json(200, json.write(InstallationView.of(installations.find(id))));
    }

    ApiResponse list(ApiRequest request, Map<String, String> path) {
        String app = request.queryParameter("app_id").orElseThrow(() -> new SynclineException.Invalid("query",
                List.of(new SynclineException.Violation("app_id", "app_id is required: list an App's installations"
                        + " with GET /v1/installations?app_id=<app id>"))));
        AppId appId = AppId.parse(app);
        List<InstallationView> views = installations.listByApp(appId).stream().map(InstallationView::of).toList();
        return ApiResponse.json(200, json.write(new InstallationList(views)));
    }

    /** 200 with the installation, now {@code uninstalled} and kept with its history. */
    ApiResponse uninstall(ApiRequest request, Map<String, String> path) {
        InstallationResult result = installations.uninstall(id(path.get("installation_id")));
        return ApiResponse.json(200, json.write(InstallationChangeView.of(result)));
    }

    private static UUID id(String text) {
        return Ids.installation(text);
    }
}
