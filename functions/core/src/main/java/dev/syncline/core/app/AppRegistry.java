package dev.syncline.core.app;

import dev.syncline.core.SynclineException;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Registers Apps by manifest ({@code PUT /v1/apps/{app_id}}) and looks them up. A manifest takes
 * effect only with a version higher than the stored one; every version stays stored.
 */
public final class AppRegistry {

    // Each retry follows a registration that won a race for the same App; more than a few in a row
    // means someone is hammering it, and the caller is better told to retry than kept waiting.
    private static final int MAX_ATTEMPTS = 3;

    private final AppStore store;
    private final InstalledApps installations;
    private final Clock clock;
    private final AppUrlPolicy urlPolicy;

    /** A registry that accepts any App URL: for tests of the domain and callers that never call. */
    public AppRegistry(AppStore store, InstalledApps installations, Clock clock) {
        this(store, installations, clock, AppUrlPolicy.ALLOW_ANY);
    }

    /**
     * @param urlPolicy consulted for every manifest's {@code url}: a refused URL is a violation of
     *     the manifest like any other
     */
    public AppRegistry(
            AppStore store, InstalledApps installations, Clock clock, AppUrlPolicy urlPolicy) {
        this.store = Objects.requireNonNull(store, "store");
        this.installations = Objects.requireNonNull(installations, "installations");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.urlPolicy = Objects.requireNonNull(urlPolicy, "urlPolicy");
    }

    /**
     * Registers a manifest under {@code appId}: the first time it is {@link Registration.Created};
     * with a version above the stored latest it is {@link Registration.Updated}, and installations
     * configured below the new {@code compatible} move to {@code configuration_required}.
     *
     * @throws SynclineException.Invalid listing every rule the app id and manifest break, a URL the
     *     policy refuses included
     * @throws SynclineException.Conflict naming the stored version when this version is not higher, or when the
     *     App was retired
     */
    public Registration register(String appId, ManifestDocument document) {
        Manifest manifest =
                ManifestValidator.validate(appId, document, clock.instant(), urlPolicy);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Optional<RegisteredApp> registered = store.findApp(manifest.appId());
            if (registered.isEmpty()) {
                if (store.putFirstVersion(manifest)) {
                    return new Registration.Created(manifest);
                }
                continue;
            }
            if (registered.get().retired()) {
                throw retired(registered.get(), "takes no new versions");
            }
            Semver stored = registered.get().latest().version();
            if (!manifest.version().isAbove(stored)) {
                throw notHigher(manifest, stored);
            }
            // Retiring the latest version rolled the App back: the retired numbers stay taken.
            Optional<AppVersion> retiredAbove = store.history(manifest.appId()).stream()
                    .filter(version -> version.retired() && !manifest.version().isAbove(version.version()))
                    .reduce((lower, higher) -> higher);
            if (retiredAbove.isPresent()) {
                throw new SynclineException.Conflict(
                        ("app '%s' had version %s, retired at %s; a version number names one manifest for good, so"
                                + " raise version above %s")
                                .formatted(manifest.appId(), retiredAbove.get().version(), retiredAbove.get().retiredAt(),
                                        retiredAbove.get().version()));
            }
            if (store.putNextVersion(manifest, stored)) {
                // Applied on every update, not only when compatible rises: it is idempotent, and it
                // catches installations a crash or a concurrent install left behind on an earlier
                // update.
                List<UUID> moved =
                        installations.requireConfigurationBelow(
                                manifest.appId(), manifest.compatible());
                return new Registration.Updated(manifest, stored, moved);
            }
        }
        throw new SynclineException.Conflict(
                "app '%s' is being registered by other requests at the same time; retry the request"
                        .formatted(manifest.appId()));
    }

    private static SynclineException.Conflict notHigher(Manifest manifest, Semver stored) {
        String comparison =
                manifest.version().isBelow(stored) ? "below it" : "not higher (same precedence)";
        return new SynclineException.Conflict(
                ("app '%s' is at version %s and manifest version %s is %s: a manifest takes effect"
                     + " only with a higher version, so raise version to apply it")
                        .formatted(manifest.appId(), stored, manifest.version(), comparison));
    }

    /**
     * Retires the App: it takes no new installation and no new version from now on, while its installations keep
     * working (they synchronize and can be uninstalled) and its versions stay readable. Retiring a retired App
     * changes nothing.
     *
     * @return the App, retired (at the time it was first retired)
     * @throws SynclineException.NotFound when no App is registered under {@code appId}
     */
    public RegisteredApp retire(AppId appId) {
        store.retire(appId, clock.instant());
        return store.findApp(appId).orElseThrow(() -> notRegistered(appId));
    }

    /**
     * Retires one version of the App: nothing installs or configures with it from now on. When it is the latest, the
     * newest version not retired becomes the latest again, the manifest every installation of the App is called by.
     * Installations configured with it keep working, with the latest manifest, as every installation does. Retiring
     * a retired version changes nothing.
     *
     * @return the version, retired (at the time it was first retired)
     * @throws SynclineException.NotFound when the App or that version is not registered
     * @throws SynclineException.Conflict when the App is retired, or when no other version would be left to install
     */
    public AppVersion retireVersion(AppId appId, Semver version) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            RegisteredApp app = store.findApp(appId).orElseThrow(() -> notRegistered(appId));
            if (app.retired()) {
                throw retired(app, "its versions stay as they are");
            }
            List<AppVersion> history = store.history(appId);
            if (history.stream().noneMatch(registered -> registered.version().equals(version))) {
                throw noSuchVersion(appId, version);
            }
            List<AppVersion> left = history.stream()
                    .filter(registered -> !registered.retired() && !registered.version().equals(version))
                    .toList();
            if (left.isEmpty()) {
                throw new SynclineException.Conflict(
                        ("version %s is the only version of app '%s' that is not retired, and installing or configuring"
                                + " the App needs one: register a higher version first, or retire the App with"
                                + " DELETE /v1/apps/%s")
                                .formatted(version, appId, appId));
            }
            store.retireVersion(appId, version, clock.instant());
            // Also when a previous attempt retired it and stopped before rolling back: the latest is never retired.
            if (!app.latest().version().equals(version) || store.rollBackLatest(appId, version, left.getLast().manifest())) {
                return store.history(appId).stream()
                        .filter(registered -> registered.version().equals(version))
                        .findFirst()
                        .orElseThrow();
            }
        }
        throw new SynclineException.Conflict(
                "app '%s' is being changed by other requests at the same time; retry the request".formatted(appId));
    }

    /**
     * Every registered version of the App with its retirement, lowest first.
     *
     * @throws SynclineException.NotFound when no App is registered under {@code appId}
     */
    public List<AppVersion> history(AppId appId) {
        List<AppVersion> history = store.history(appId);
        if (history.isEmpty()) {
            throw notRegistered(appId);
        }
        return history;
    }

    /**
     * One page of every registered App, by app id.
     *
     * @param cursor {@code null} for the first page, else the previous page's next cursor
     */
    public AppStore.Page list(int limit, String cursor) {
        return store.list(limit, cursor);
    }

    /**
     * The refusal of what a retired App no longer takes, shared with the installation service.
     *
     * @param refused what it refuses, e.g. "takes no new installations"
     */
    public static SynclineException.Conflict retired(RegisteredApp app, String refused) {
        return new SynclineException.Conflict(
                ("app '%s' was retired at %s and %s; its existing installations keep working")
                        .formatted(app.latest().appId(), app.retiredAt(), refused));
    }

    /**
     * The App's current manifest.
     *
     * @throws SynclineException.NotFound when no App is registered under {@code appId}
     */
    public Manifest latest(AppId appId) {
        return store.findLatest(appId).orElseThrow(() -> notRegistered(appId));
    }

    /**
     * One registered version of the App.
     *
     * @throws SynclineException.NotFound when the App or that version is not registered
     */
    public Manifest version(AppId appId, Semver version) {
        return store.findVersion(appId, version).orElseThrow(() -> noSuchVersion(appId, version));
    }

    private SynclineException.NotFound noSuchVersion(AppId appId, Semver version) {
        return new SynclineException.NotFound("app '%s' has no version %s; registered versions: %s"
                .formatted(appId, version, versions(appId).stream().map(m -> m.version().toString()).toList()));
    }

    /**
     * Every registered version of the App, lowest first.
     *
     * @throws SynclineException.NotFound when no App is registered under {@code appId}
     */
    public List<Manifest> versions(AppId appId) {
        List<Manifest> versions = store.listVersions(appId);
        if (versions.isEmpty()) {
            throw notRegistered(appId);
        }
        return versions;
    }

    /** The exception for an app id nobody registered, shared with the installation service. */
    public static SynclineException.NotFound notRegistered(AppId appId) {
        return new SynclineException.NotFound(
                "no App is registered as '%s'; register its manifest with PUT /v1/apps/%s first"
                        .formatted(appId, appId));
    }
}
