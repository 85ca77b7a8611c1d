package dev.syncline.api;

import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.core.SynclineException;
import dev.syncline.core.installation.AppCallAuthentication;
import dev.syncline.core.installation.AuthenticatedAppCall;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/app-tokens/verify}: the PIM asks whether a call it received from an App carries a token signed
 * with an active installation's shared secret. 200 with the installation, the App and the claims; 401
 * {@code app-token-refused} saying why not (see {@link Problem#of(dev.syncline.core.installation.AppTokenRefusedException,
 * ApiRequest)}). The PIM's own API key authenticates the request as any other.
 */
final class AppTokensEndpoint {

    /** The body: the App's {@code X-APP-TOKEN}, as the PIM received it. */
    record VerifyBody(String token) {
    }

    /** The App as the answer shows it: enough for the PIM to decide what the call may do. */
    record AppView(String appId, String name, String version, boolean writeAccess) {
    }

    /** The answer to a token that verified. */
    record Verified(InstallationView installation, AppView app, Map<String, Object> claims) {
    }

    private final AppCallAuthentication appCalls;
    private final JsonBodies bodies;
    private final JsonCodec json;

    AppTokensEndpoint(AppCallAuthentication appCalls, JsonBodies bodies, JsonCodec json) {
        this.appCalls = appCalls;
        this.bodies = bodies;
        this.json = json;
    }

    ApiResponse verify(ApiRequest request, Map<String, String> path) {
        VerifyBody body = bodies.read(request, VerifyBody.class);
        if (body.token() == null || body.token().isBlank()) {
            throw new SynclineException.Invalid("the verification request", List.of(new SynclineException.Violation(
                    "token", "token is required: the X-APP-TOKEN header of the App's call, unchanged")));
        }
        // A refused token is answered in one place with every other error (Api, Problem).
        // A tenant's key asks about its own installations only: another tenant's token is refused as naming none.
        AuthenticatedAppCall call = appCalls.authenticate(body.token().strip(),
                installation -> TenantScope.sees(request.caller(), installation));
        AppView app = new AppView(call.app().appId().value(), call.app().name(), call.app().version().toString(),
                call.app().writeAccess());
        return ApiResponse.json(200, json.write(new Verified(InstallationView.of(call.installation()), app,
                call.claims())));
    }
}
