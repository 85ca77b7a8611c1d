package dev.syncline.core.installation;

import dev.syncline.core.app.HttpUrl;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * The claims of an {@code X-APP-TOKEN}, which the adapter signs HS256 with the installation's
 * {@link SharedSecret}. Core decides them (and so the time) and the adapter only encodes.
 *
 * @param appInstallationId {@code app_installation_id}: the App finds the secret by it
 * @param apiUrl {@code api_url}: the PIM's API base URL given at installation
 * @param issuedAt {@code iat}, whole seconds as JWT numeric dates are
 * @param notBefore {@code nbf}
 * @param expiresAt {@code exp}, {@link #LIFETIME} after {@code issuedAt}
 * @param synchronizationId {@code synchronization_id} on synchronization and file-download
 *     requests, {@code null} on the handshake and lifecycle events
 */
public record AppTokenClaims(
        UUID appInstallationId,
        HttpUrl apiUrl,
        Instant issuedAt,
        Instant notBefore,
        Instant expiresAt,
        UUID synchronizationId) {

    /** Our rule: long enough for one request with retries, short enough to be useless if leaked. */
    public static final Duration LIFETIME = Duration.ofMinutes(5);

    public AppTokenClaims {
        Objects.requireNonNull(appInstallationId, "appInstallationId");
        Objects.requireNonNull(apiUrl, "apiUrl");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (!expiresAt.isAfter(notBefore)) {
            throw new IllegalArgumentException(
                    "exp %s must be after nbf %s".formatted(expiresAt, notBefore));
        }
    }

    /** Claims for a call outside any synchronization: the handshake, lifecycle events. */
    public static AppTokenClaims forInstallation(Installation installation, Instant now) {
        return of(installation, now, null);
    }

    /** Claims for a call within the synchronization {@code synchronizationId}. */
    public static AppTokenClaims forSynchronization(
            Installation installation, UUID synchronizationId, Instant now) {
        return of(
                installation, now, Objects.requireNonNull(synchronizationId, "synchronizationId"));
    }

    private static AppTokenClaims of(
            Installation installation, Instant now, UUID synchronizationId) {
        Instant issuedAt = now.truncatedTo(ChronoUnit.SECONDS);
        return new AppTokenClaims(
                installation.id(),
                installation.apiUrl(),
                issuedAt,
                issuedAt,
                issuedAt.plus(LIFETIME),
                synchronizationId);
    }
}
