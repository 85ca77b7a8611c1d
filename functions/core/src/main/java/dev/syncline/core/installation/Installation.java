package dev.syncline.core.installation;

import dev.syncline.core.app.AppId;
import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.app.Semver;
import dev.syncline.core.tenant.TenantId;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An App installed for one PIM tenant.
 *
 * @param id the installation's id, the {@code app_installation_id} claim of every token
 * @param appId the App installed
 * @param appVersion the App's manifest version this installation was configured with
 * @param name what the PIM calls this installation, 1–{@value #NAME_MAX} characters
 * @param apiUrl the PIM's API base URL, the {@code api_url} claim of every token
 * @param status where it stands
 * @param dispatch how hard the engine may push the App
 * @param secret the shared secret, encrypted by the {@link SecretVault}
 * @param createdAt when it was installed
 * @param updatedAt when it last changed
 * @param uninstalledAt when it was uninstalled: set exactly when {@code status} is {@code
 *     uninstalled}, {@code null} otherwise
 * @param tenantId the tenant it belongs to, and with it its snapshots, runs, entries, files and feed: only that
 *     tenant's keys (and the operator's) see it
 */
public record Installation(
        UUID id,
        AppId appId,
        Semver appVersion,
        String name,
        HttpUrl apiUrl,
        InstallationStatus status,
        DispatchSettings dispatch,
        EncryptedSecret secret,
        Instant createdAt,
        Instant updatedAt,
        Instant uninstalledAt,
        TenantId tenantId) {

    public static final int NAME_MAX = 100;

    /** An installation of the {@link TenantId#DEFAULT default tenant}. */
    public Installation(UUID id, AppId appId, Semver appVersion, String name, HttpUrl apiUrl, InstallationStatus status,
            DispatchSettings dispatch, EncryptedSecret secret, Instant createdAt, Instant updatedAt, Instant uninstalledAt) {
        this(id, appId, appVersion, name, apiUrl, status, dispatch, secret, createdAt, updatedAt, uninstalledAt,
                TenantId.DEFAULT);
    }

    public Installation {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(appVersion, "appVersion");
        Objects.requireNonNull(apiUrl, "apiUrl");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(dispatch, "dispatch");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (!validName(name)) {
            throw new IllegalArgumentException(nameProblem(name));
        }
        if (updatedAt.isBefore(createdAt)) {
            throw new IllegalArgumentException(
                    "updatedAt %s must not be before createdAt %s".formatted(updatedAt, createdAt));
        }
        if ((status == InstallationStatus.UNINSTALLED) != (uninstalledAt != null)) {
            throw new IllegalArgumentException(
                    ("uninstalledAt must be set exactly when the status is uninstalled, got"
                                    + " status %s and uninstalledAt %s")
                            .formatted(status.wireName(), uninstalledAt));
        }
    }

    /** This installation moved to {@code next} at {@code at}. */
    public Installation withStatus(InstallationStatus next, Instant at) {
        return new Installation(
                id,
                appId,
                appVersion,
                name,
                apiUrl,
                next,
                dispatch,
                secret,
                createdAt,
                at,
                next == InstallationStatus.UNINSTALLED ? at : null,
                tenantId);
    }

    /** This installation renamed and with other dispatch settings, changed at {@code at}. */
    public Installation withSettings(String newName, DispatchSettings newDispatch, Instant at) {
        return new Installation(
                id,
                appId,
                appVersion,
                newName,
                apiUrl,
                status,
                newDispatch,
                secret,
                createdAt,
                at,
                uninstalledAt,
                tenantId);
    }

    /**
     * This installation, its configuration complete for the App's {@code version}, became {@code active} at
     * {@code at}.
     */
    public Installation configuredWith(Semver version, Instant at) {
        return new Installation(
                id,
                appId,
                version,
                name,
                apiUrl,
                InstallationStatus.ACTIVE,
                dispatch,
                secret,
                createdAt,
                at,
                null,
                tenantId);
    }

    /** Whether {@code tenant} owns this installation. */
    public boolean belongsTo(TenantId tenant) {
        return tenantId.equals(tenant);
    }

    static boolean validName(String name) {
        return name != null && !name.isBlank() && name.codePointCount(0, name.length()) <= NAME_MAX;
    }

    static String nameProblem(String name) {
        if (name == null || name.isBlank()) {
            return "name is required: 1–%d characters naming the installation, e.g. the shop it feeds"
                    .formatted(NAME_MAX);
        }
        return "name must be 1–%d characters, got %d"
                .formatted(NAME_MAX, name.codePointCount(0, name.length()));
    }
}
