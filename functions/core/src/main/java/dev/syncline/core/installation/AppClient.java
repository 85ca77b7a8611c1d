package dev.syncline.core.installation;

import dev.syncline.core.app.AppCallOutcome;
import dev.syncline.core.app.AppEvent;
import dev.syncline.core.app.HttpUrl;

/**
 * Calls an App's installation endpoints. Each request carries {@code X-APP-TOKEN}: the given claims
 * signed HS256 with the given secret.
 *
 * <p>An App's failure is an outcome, not an exception: a non-2xx answer is an {@code AppResponse},
 * a timeout, connection failure or refused URL an {@code AppUnreachable}. The adapter bounds every
 * call with a timeout and may refuse URLs it must not call (private addresses, metadata endpoints).
 */
public interface AppClient {

    /**
     * {@code POST {appUrl}/handshake} with {@code {"shared_secret": secret.reveal()}}: the App
     * stores the secret under {@code claims.appInstallationId()}; a 2xx completes the installation.
     */
    AppCallOutcome handshake(HttpUrl appUrl, AppTokenClaims claims, SharedSecret secret);

    /**
     * {@code PUT {appUrl}/consume/{event}} with {@code {"name": event.wireName()}}, for {@code
     * app_installed} and {@code app_uninstalled}.
     */
    AppCallOutcome sendLifecycleEvent(
            HttpUrl appUrl, AppEvent event, AppTokenClaims claims, SharedSecret secret);
}
