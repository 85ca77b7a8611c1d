package dev.syncline.core.delivery;

import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.installation.AppTokenClaims;
import dev.syncline.core.installation.SharedSecret;
import java.util.Objects;

/** Where and as whom a run's requests go: the App's base URL, the run's token claims and the signing secret. */
public record AppTarget(HttpUrl appUrl, AppTokenClaims claims, SharedSecret secret) {

    public AppTarget {
        Objects.requireNonNull(appUrl, "appUrl");
        Objects.requireNonNull(claims, "claims");
        Objects.requireNonNull(secret, "secret");
    }
}
