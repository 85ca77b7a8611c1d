package dev.syncline.core.installation;

import dev.syncline.core.SynclineException;
import dev.syncline.core.SynclineException.Violation;
import dev.syncline.core.app.AppCallFailedException;
import dev.syncline.core.app.AppCallOutcome;
import dev.syncline.core.app.AppResponse;
import dev.syncline.core.app.AppUnreachable;
import dev.syncline.core.app.AppEvent;
import dev.syncline.core.app.AppId;
import dev.syncline.core.app.AppRegistry;
import dev.syncline.core.app.AppStore;
import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.app.InstalledApps;
import dev.syncline.core.app.Manifest;
import dev.syncline.core.app.RegisteredApp;
import dev.syncline.core.app.Semver;
import dev.syncline.core.delivery.AppTarget;
import dev.syncline.core.delivery.Notification;
import dev.syncline.core.delivery.Notifier;
import dev.syncline.core.delivery.RetryPolicy;

import dev.syncline.core.telemetry.Signal;
import dev.syncline.core.telemetry.Telemetry;
import dev.syncline.core.tenant.Tenant;
import dev.syncline.core.tenant.TenantId;
import dev.syncline.core.tenant.TenantStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Installs and uninstalls Apps for PIM tenants and decides whether an installation may synchronize.
 *
 * <p>Calls to an App follow its latest manifest (its {@code url} and {@code events}): an App is one
 * service at one URL, whatever version an installation was configured with.
 */
public final class InstallationService implements InstalledApps {

    // A status change retried this often lost every time to another change of the same
    // installation; the caller is better told to retry than kept waiting.
    private static final int MAX_ATTEMPTS = 3;

    private final AppStore apps;
    private final InstallationStore installations;
    private final AppClient appClient;
    private final SecretVault vault;
    private final Clock clock;
    private final Telemetry telemetry;
    private final Notifier notifier;
    private final TenantStore tenants;
    private final SecureRandom random = new SecureRandom();

    public InstallationService(
            AppStore apps,
            InstallationStore installations,
            AppClient appClient,
            SecretVault vault,
            Clock clock) {
        this(apps, installations, appClient, vault, clock, Telemetry.NONE);
    }

    /** @param telemetry where lifecycle notifications the App did not accept are reported */
    public InstallationService(
            AppStore apps,
            InstallationStore installations,
            AppClient appClient,
            SecretVault vault,
            Clock clock,
            Telemetry telemetry) {
        this(apps, installations, appClient, vault, clock, telemetry, null, TenantStore.defaultOnly());
    }

    /**
     * @param notifier sends {@code app_installed} and {@code app_uninstalled} as deliveries (retried, one
     *     {@code X-Idempotency-Key} per notice, the outcome recorded for the installation); null sends each once through
     *     {@code appClient}
     * @param tenants whose status decides whether an installation may start runs: none of a disabled tenant's does
     */
    public InstallationService(
            AppStore apps,
            InstallationStore installations,
            AppClient appClient,
            SecretVault vault,
            Clock clock,
            Telemetry telemetry,
            Notifier notifier,
            TenantStore tenants) {
        this.tenants = Objects.requireNonNull(tenants, "tenants");
        this.notifier = notifier;
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
        this.apps = Objects.requireNonNull(apps, "apps");
        this.installations = Objects.requireNonNull(installations, "installations");
        this.appClient = Objects.requireNonNull(appClient, "appClient");
        this.vault = Objects.requireNonNull(vault, "vault");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Installs the App's latest version, named as the request says or else as the App is named:
     * generates a shared secret, hands it to the App in the handshake and, only once the App
     * answered 2xx, stores the installation (active, or {@code configuration_required} when the App
     * has configuration steps) and sends {@code app_installed} if the App
     * subscribes to it.
     *
     * @throws SynclineException.Invalid listing every rule the request breaks
     * @throws SynclineException.NotFound when the App is not registered
     * @throws SynclineException.Conflict when the App was retired
     * @throws AppCallFailedException when the App did not accept the handshake; nothing is stored
     */
    public InstallationResult install(InstallationRequest request) {
        return install(request, TenantId.DEFAULT);
    }

    /**
     * Installs as {@link #install(InstallationRequest)} does, for {@code tenant}: the installation and all that comes
     * of it belong to it. Whether the tenant may install is the caller's to check.
     */
    public InstallationResult install(InstallationRequest request, TenantId tenant) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(tenant, "tenant");
        ValidRequest valid = validate(request);
        RegisteredApp app =
                apps.findApp(valid.appId())
                        .orElseThrow(() -> AppRegistry.notRegistered(valid.appId()));
        if (app.retired()) {
            throw AppRegistry.retired(app, "takes no new installations");
        }
        Manifest manifest = app.latest();

        UUID id = UUID.randomUUID();
        SharedSecret secret = SharedSecret.generate(random);
        Instant now = clock.instant();
        // Encrypted before the App hears of it: if the vault fails, the App holds no orphan secret.
        Installation installation =
                new Installation(
                        id,
                        manifest.appId(),
                        manifest.version(),
                        valid.name() != null ? valid.name() : manifest.name(),
                        valid.apiUrl(),
                        manifest.hasConfigurationSteps()
                                ? InstallationStatus.CONFIGURATION_REQUIRED
                                : InstallationStatus.ACTIVE,
                        valid.dispatch(),
                        vault.encrypt(secret, id),
                        now,
                        now,
                        null,
                        tenant);

        AppCallOutcome handshake =
                appClient.handshake(
                        manifest.url(), AppTokenClaims.forInstallation(installation, now), secret);
        if (!handshake.succeeded()) {
            throw new AppCallFailedException(
                    ("app '%s' did not accept the handshake at %s: it %s. Nothing was installed;"
                         + " the App must answer 2xx to POST /handshake, then install again")
                            .formatted(
                                    manifest.appId(),
                                    manifest.url().resolve("handshake"),
                                    handshake.describe()),
                    handshake);
        }
        installations.create(installation);
        return new InstallationResult(
                installation, notify(manifest, installation, AppEvent.APP_INSTALLED, secret));
    }

    /**
     * Uninstalls: the installation is kept, with its history, as {@code uninstalled} and can never
     * synchronize again; then the App receives {@code app_uninstalled} if it subscribes to it. The
     * App's answer does not stop the uninstall.
     *
     * @throws SynclineException.NotFound when there is no such installation
     * @throws SynclineException.Conflict when it is already uninstalled
     */
    public InstallationResult uninstall(UUID id) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Installation current = find(id);
            if (current.status() == InstallationStatus.UNINSTALLED) {
                throw new SynclineException.Conflict(
                        "installation %s was already uninstalled at %s"
                                .formatted(id, current.uninstalledAt()));
            }
            Installation uninstalled =
                    current.withStatus(InstallationStatus.UNINSTALLED, clock.instant());
            if (installations.updateStatus(uninstalled, current.status())) {
                Manifest manifest = latestManifest(uninstalled);
                return new InstallationResult(
                        uninstalled, notify(manifest, uninstalled, AppEvent.APP_UNINSTALLED, null));
            }
        }
        throw new SynclineException.Conflict(
                "installation %s is being changed by other requests at the same time; retry the request"
                        .formatted(id));
    }

    /**
     * Changes the installation's name and dispatch settings as a JSON merge patch would: a field the change leaves
     * {@code null} keeps its current value, and so does each absent field of {@code deletion_guard}. The same rules
     * as at install apply. A run already planned keeps the concurrency window and the guard's decision it was planned
     * with; the next run uses every new value.
     *
     * @throws SynclineException.NotFound when there is no such installation
     * @throws SynclineException.Conflict when it is uninstalled
     * @throws SynclineException.Invalid listing every field that breaks a rule; nothing is changed
     */
    public Installation update(UUID id, InstallationChange change) {
        Objects.requireNonNull(change, "change");
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Installation current = find(id);
            if (current.status() == InstallationStatus.UNINSTALLED) {
                throw new SynclineException.Conflict(
                        ("installation %s was uninstalled at %s and can no longer be changed;"
                                 + " install app '%s' again to change its settings")
                                .formatted(id, current.uninstalledAt(), current.appId()));
            }
            List<Violation> violations = new ArrayList<>();
            if (change.name() != null && !Installation.validName(change.name())) {
                violations.add(new Violation("name", Installation.nameProblem(change.name())));
            }
            DispatchSettings dispatch =
                    dispatch(
                            change.concurrencyWindow(),
                            change.retryBudget(),
                            change.deletionGuard(),
                            current.dispatch(),
                            violations);
            if (!violations.isEmpty()) {
                throw new SynclineException.Invalid("installation change", violations);
            }
            Installation changed =
                    current.withSettings(
                            change.name() != null ? change.name() : current.name(),
                            dispatch,
                            clock.instant());
            if (installations.updateSettings(changed, current.status())) {
                return changed;
            }
        }
        throw new SynclineException.Conflict(
                "installation %s is being changed by other requests at the same time; retry the request"
                        .formatted(id));
    }

    /**
     * One installation, whatever its status.
     *
     * @throws SynclineException.NotFound when there is no such installation
     */
    public Installation find(UUID id) {
        return installations
                .find(id)
                .orElseThrow(() -> unknown(id));
    }

    /**
     * The answer to an installation id that names none: also the answer to one the caller may not see, so that
     * nothing tells the two apart.
     */
    public static SynclineException.NotFound unknown(UUID id) {
        return new SynclineException.NotFound("no installation has id " + id);
    }

    /**
     * Every installation of the App, uninstalled ones included, oldest first.
     *
     * @throws SynclineException.NotFound when the App is not registered
     */
    public List<Installation> listByApp(AppId appId) {
        if (apps.findLatest(appId).isEmpty()) {
            throw AppRegistry.notRegistered(appId);
        }
        return installations.listByApp(appId);
    }

    /**
     * One page of every installation, newest first, for an operator's overview.
     *
     * @param cursor {@code null} for the first page, else the previous page's next cursor
     */
    public InstallationStore.Page list(int limit, String cursor) {
        return installations.list(limit, cursor);
    }

    /**
     * One page of the tenant's installations, newest first.
     *
     * @param cursor {@code null} for the first page, else the previous page's next cursor
     */
    public InstallationStore.Page list(TenantId tenant, int limit, String cursor) {
        return installations.list(tenant, limit, cursor);
    }

    /**
     * Refuses to start anything for an installation whose tenant the operator disabled: neither a trigger nor a
     * schedule. Runs active when the tenant was disabled are left to end as they would.
     *
     * @throws SynclineException.Conflict when the installation's tenant is disabled
     */
    public void requireTenantActive(Installation installation) {
        Optional<Tenant> disabled = tenants.find(installation.tenantId()).filter(tenant -> !tenant.active());
        if (disabled.isPresent()) {
            throw new SynclineException.Conflict("installation " + installation.id() + " belongs to tenant "
                    + SynclineException.quote(installation.tenantId().value()) + ", disabled at " + disabled.get().disabledAt()
                    + ": a disabled tenant's installations start no synchronizations; its data stays for the operator to read");
        }
    }

    /**
     * The guard a synchronization trigger passes first.
     *
     * <p>Besides the status, it compares the configured version with the App's current {@code
     * compatible}: an installation created while an update was being registered can be active yet
     * below it. Such an installation is moved to {@code configuration_required} here, so that its
     * status tells the truth from now on.
     *
     * @throws SynclineException.Conflict saying why the installation cannot synchronize: it is
     *     uninstalled, or it needs reconfiguring (with the version numbers)
     */
    public void requireSynchronizable(Installation installation) {
        requireTenantActive(installation);
        switch (installation.status()) {
            case UNINSTALLED ->
                    throw new SynclineException.Conflict(
                            ("installation %s was uninstalled at %s and can no longer synchronize;"
                                 + " install app '%s' again to synchronize")
                                    .formatted(
                                            installation.id(),
                                            installation.uninstalledAt(),
                                            installation.appId()));
            case CONFIGURATION_REQUIRED ->
                    throw configurationRequired(installation, latestManifest(installation));
            case ACTIVE -> {
                Manifest latest = latestManifest(installation);
                if (installation.appVersion().isBelow(latest.compatible())) {
                    installations.updateStatus(
                            installation.withStatus(
                                    InstallationStatus.CONFIGURATION_REQUIRED, clock.instant()),
                            InstallationStatus.ACTIVE);
                    throw configurationRequired(installation, latest);
                }
            }
        }
    }

    @Override
    public List<UUID> requireConfigurationBelow(AppId appId, Semver compatible) {
        List<UUID> moved = new ArrayList<>();
        for (Installation installation : installations.listByApp(appId)) {
            if (installation.status() == InstallationStatus.ACTIVE
                    && installation.appVersion().isBelow(compatible)) {
                Installation changed =
                        installation.withStatus(
                                InstallationStatus.CONFIGURATION_REQUIRED, clock.instant());
                // A false here means it was uninstalled meanwhile: it no longer needs configuring.
                if (installations.updateStatus(changed, InstallationStatus.ACTIVE)) {
                    moved.add(installation.id());
                }
            }
        }
        return moved;
    }

    private LifecycleNotice notify(
            Manifest manifest,
            Installation installation,
            AppEvent event,
            SharedSecret knownSecret) {
        if (!manifest.subscribes(event)) {
            return new LifecycleNotice.NotSubscribed(event);
        }
        SharedSecret secret =
                knownSecret != null
                        ? knownSecret
                        : vault.decrypt(installation.secret(), installation.id());
        AppTokenClaims claims = AppTokenClaims.forInstallation(installation, clock.instant());
        AppCallOutcome outcome = notifier == null
                ? appClient.sendLifecycleEvent(manifest.url(), event, claims, secret)
                : outcome(notifier.send(installation.id(), new AppTarget(manifest.url(), claims, secret), event.wireName(),
                        Map.of("name", event.wireName()), RetryPolicy.withRetries(installation.dispatch().retryBudget())));
        if (!outcome.succeeded()) {
            String what = switch (outcome) {
                case AppResponse response -> "answered " + response.status();
                case AppUnreachable unreachable -> unreachable.reason().name().toLowerCase(java.util.Locale.ROOT);
            };
            telemetry.report(new Signal.NotificationFailed(null, installation.id(), installation.appId().value(), event.wireName(), what));
        }
        return new LifecycleNotice.Sent(event, outcome);
    }

    /** A notice's outcome after its retries, as the installation's change reports it. */
    private static AppCallOutcome outcome(Notification notification) {
        if (notification.lastStatus() == 0) {
            return new AppUnreachable(AppUnreachable.Reason.CONNECTION_FAILED, notification.lastAnswer());
        }
        return new AppResponse(notification.lastStatus(), notification.delivered() ? "" : notification.lastAnswer());
    }

    private Manifest latestManifest(Installation installation) {
        return apps.findLatest(installation.appId())
                .orElseThrow(() -> AppRegistry.notRegistered(installation.appId()));
    }

    private static SynclineException.Conflict configurationRequired(
            Installation installation, Manifest latest) {
        String fix =
                " Submit every configuration step with POST /v1/installations/%s/configuration"
                        .formatted(installation.id());
        if (!installation.appVersion().isBelow(latest.compatible())) {
            return new SynclineException.Conflict(
                    ("installation %s must be configured before it can synchronize: app '%s' %s does"
                                    + " not store every configuration step for it yet.")
                                    .formatted(installation.id(), latest.appId(), latest.version())
                            + fix);
        }
        return new SynclineException.Conflict(
                ("installation %s must be reconfigured before it can synchronize: it was configured"
                                + " with app '%s' %s, and app '%s' %s accepts only configurations from"
                                + " version %s on.")
                        .formatted(
                                installation.id(),
                                installation.appId(),
                                installation.appVersion(),
                                latest.appId(),
                                latest.version(),
                                latest.compatible())
                        + fix);
    }

    private record ValidRequest(
            AppId appId, String name, HttpUrl apiUrl, DispatchSettings dispatch) {}

    private static ValidRequest validate(InstallationRequest request) {
        List<Violation> violations = new ArrayList<>();
        if (!AppId.isValid(request.appId())) {
            violations.add(AppId.violation(request.appId()));
        }
        // Absent means the App's own name; present, it must be a usable name.
        if (request.name() != null && !Installation.validName(request.name())) {
            violations.add(new Violation("name", Installation.nameProblem(request.name())));
        }
        Optional<String> urlProblem = HttpUrl.problemWith(request.apiUrl());
        urlProblem.ifPresent(
                problem -> violations.add(new Violation("api_url", "api_url " + problem)));
        DispatchSettings dispatch =
                dispatch(
                        request.concurrencyWindow(),
                        request.retryBudget(),
                        request.deletionGuard(),
                        DispatchSettings.DEFAULT,
                        violations);
        if (!violations.isEmpty()) {
            throw new SynclineException.Invalid("installation request", violations);
        }
        return new ValidRequest(
                new AppId(request.appId()),
                request.name(),
                HttpUrl.parse(request.apiUrl()),
                dispatch);
    }

    /**
     * The settings asked for, {@code base} filling what is absent (the defaults at install, the current
     * settings on a change); null when a field breaks a rule (added to violations).
     */
    private static DispatchSettings dispatch(
            Integer requestedWindow,
            Integer requestedRetries,
            InstallationRequest.DeletionGuardRequest requestedGuard,
            DispatchSettings base,
            List<Violation> violations) {
        int before = violations.size();
        int window = requestedWindow == null ? base.concurrencyWindow() : requestedWindow;
        if (!DispatchSettings.validWindow(window)) {
            violations.add(
                    new Violation("concurrency_window", DispatchSettings.windowProblem(window)));
        }
        int retries = requestedRetries == null ? base.retryBudget() : requestedRetries;
        if (!DispatchSettings.validRetries(retries)) {
            violations.add(new Violation("retry_budget", DispatchSettings.retryProblem(retries)));
        }
        DeletionGuard guard = deletionGuard(requestedGuard, base.deletionGuard(), violations);
        return violations.size() > before ? null : new DispatchSettings(window, retries, guard);
    }

    /** The guard asked for, {@code defaults} filling what is absent; null when a field breaks a rule (added to violations). */
    private static DeletionGuard deletionGuard(
            InstallationRequest.DeletionGuardRequest request,
            DeletionGuard defaults,
            List<Violation> violations) {
        if (request == null) {
            return defaults;
        }
        int percent = request.thresholdPercent() == null ? defaults.thresholdPercent() : request.thresholdPercent();
        int floor = request.minDeletions() == null ? defaults.minDeletions() : request.minDeletions();
        long hours = request.confirmationTimeoutHours() == null
                ? defaults.confirmationTimeout().toHours()
                : request.confirmationTimeoutHours();
        int before = violations.size();
        if (!DeletionGuard.validPercent(percent)) {
            violations.add(new Violation("deletion_guard.threshold_percent", DeletionGuard.percentProblem(percent)));
        }
        if (!DeletionGuard.validFloor(floor)) {
            violations.add(new Violation("deletion_guard.min_deletions", DeletionGuard.floorProblem(floor)));
        }
        if (!DeletionGuard.validTimeoutHours(hours)) {
            violations.add(new Violation("deletion_guard.confirmation_timeout_hours", DeletionGuard.timeoutProblem(hours)));
        }
        return violations.size() > before ? null : new DeletionGuard(percent, floor, Duration.ofHours(hours));
    }
}
