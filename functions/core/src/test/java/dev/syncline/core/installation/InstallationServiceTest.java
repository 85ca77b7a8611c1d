package dev.syncline.core.installation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.syncline.core.SynclineException;
import dev.syncline.core.SynclineException.Violation;
import dev.syncline.core.app.AppCallFailedException;
import dev.syncline.core.app.AppEvent;
import dev.syncline.core.app.AppId;
import dev.syncline.core.app.AppRegistry;
import dev.syncline.core.app.AppResponse;
import dev.syncline.core.app.AppUnreachable;
import dev.syncline.core.app.InMemoryAppStore;
import dev.syncline.core.app.Semver;
import dev.syncline.core.app.TestClock;
import dev.syncline.core.app.TestManifests;
import dev.syncline.core.telemetry.Signal;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

class InstallationServiceTest {

    private static final AppId APP = new AppId("shop-export");
    private static final String APP_URL = "https://shop-export.example.com/app";

    private final InMemoryAppStore apps = new InMemoryAppStore();
    private final InMemoryInstallationStore installations = new InMemoryInstallationStore();
    private final ScriptedAppClient app = new ScriptedAppClient();
    private final InMemorySecretVault vault = new InMemorySecretVault();
    private final TestClock clock = TestClock.at("2026-03-01T10:00:00.750Z");
    private final InstallationService service =
            new InstallationService(apps, installations, app, vault, clock);
    private final AppRegistry registry = new AppRegistry(apps, service, clock);

    // --- install

    @Test
    void install_whenHandshakeAccepted_storesAnActiveInstallationOfTheLatestVersion() {
        registerApp("1.0.0", List.of());
        registerApp("1.1.0", List.of());

        Installation installation = install("Shop DE").installation();

        assertThat(installations.find(installation.id())).contains(installation);
        assertThat(installation.status()).isEqualTo(InstallationStatus.ACTIVE);
        assertThat(installation.appId()).isEqualTo(APP);
        assertThat(installation.appVersion()).isEqualTo(Semver.parse("1.1.0"));
        assertThat(installation.name()).isEqualTo("Shop DE");
        assertThat(installation.apiUrl().uri())
                .isEqualTo(URI.create("https://pim.example.com/api"));
        assertThat(installation.createdAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00.750Z"));
        assertThat(installation.uninstalledAt()).isNull();
    }

    @Test
    void install_whenAppSubscribesToAppInstalled_sendsHandshakeThenAppInstalledWithTheSameSecret() {
        registerApp("1.0.0", List.of("app_installed"));

        InstallationResult result = install("Shop DE");

        assertThat(app.calledUrls())
                .containsExactly(APP_URL + "/handshake", APP_URL + "/consume/app_installed");
        ScriptedAppClient.Call handshake = app.calls().get(0);
        ScriptedAppClient.Call appInstalled = app.calls().get(1);
        assertThat(appInstalled.secret()).isEqualTo(handshake.secret());
        assertThat(handshake.claims().appInstallationId()).isEqualTo(result.installation().id());
        assertThat(handshake.claims().apiUrl()).isEqualTo(result.installation().apiUrl());
        assertThat(handshake.claims().synchronizationId()).isNull();
        assertThat(result.notice())
                .isEqualTo(
                        new LifecycleNotice.Sent(AppEvent.APP_INSTALLED, new AppResponse(200, "")));
    }

    @Test
    void install_whenAppDoesNotSubscribeToAppInstalled_sendsOnlyTheHandshake() {
        registerApp("1.0.0", List.of("app_uninstalled", "product_created"));

        InstallationResult result = install("Shop DE");

        assertThat(app.calledUrls()).containsExactly(APP_URL + "/handshake");
        assertThat(result.notice())
                .isEqualTo(new LifecycleNotice.NotSubscribed(AppEvent.APP_INSTALLED));
    }

    @Test
    void install_storesTheSecretTheAppReceivedEncryptedForThatInstallation() {
        registerApp("1.0.0", List.of());

        Installation installation = install("Shop DE").installation();

        SharedSecret sentToApp = app.calls().get(0).secret();
        assertThat(installation.secret().ciphertext()).doesNotContain(sentToApp.reveal());
        assertThat(vault.decrypt(installation.secret(), installation.id())).isEqualTo(sentToApp);
    }

    @Test
    void install_givesEveryInstallationItsOwnSecret() {
        registerApp("1.0.0", List.of());

        install("Shop DE");
        install("Shop FR");

        assertThat(app.calls().get(0).secret()).isNotEqualTo(app.calls().get(1).secret());
    }

    @Test
    void install_whenHandshakeRejected_leavesNothingBehindAndReportsTheAppsAnswer() {
        registerApp("1.0.0", List.of("app_installed"));
        app.answerHandshakeWith(new AppResponse(401, "{\"error\":\"invalid token\"}"));

        AppCallFailedException error =
                catchThrowableOfType(AppCallFailedException.class, () -> install("Shop DE"));

        assertThat(error).isInstanceOf(SynclineException.UpstreamFailure.class);
        assertThat(error.outcome())
                .isEqualTo(new AppResponse(401, "{\"error\":\"invalid token\"}"));
        assertThat(error.getMessage())
                .isEqualTo(
                        "app 'shop-export' did not accept the handshake at "
                                + APP_URL
                                + "/handshake: it answered 401: '{\"error\":\"invalid token\"}'."
                                + " Nothing was installed; the App must answer 2xx to POST"
                                + " /handshake, then install again");
        assertThat(installations.all()).isEmpty();
        assertThat(app.calledUrls()).containsExactly(APP_URL + "/handshake");
    }

    @Test
    void install_whenAppUnreachable_leavesNothingBehindAndSaysWhy() {
        registerApp("1.0.0", List.of());
        app.answerHandshakeWith(
                new AppUnreachable(AppUnreachable.Reason.TIMEOUT, "no answer within 10 s"));

        assertThatThrownBy(() -> install("Shop DE"))
                .isInstanceOf(AppCallFailedException.class)
                .hasMessageContaining("it timed out: no answer within 10 s. Nothing was installed");
        assertThat(installations.all()).isEmpty();
    }

    @Test
    void install_whenAppRefusesAppInstalled_keepsTheInstallationAndReportsTheAnswer() {
        registerApp("1.0.0", List.of("app_installed"));
        app.answerLifecycleEventsWith(new AppResponse(500, "boom"));

        InstallationResult result = install("Shop DE");

        assertThat(installations.find(result.installation().id()))
                .hasValueSatisfying(
                        stored -> assertThat(stored.status()).isEqualTo(InstallationStatus.ACTIVE));
        assertThat(result.notice())
                .isEqualTo(
                        new LifecycleNotice.Sent(
                                AppEvent.APP_INSTALLED, new AppResponse(500, "boom")));
    }

    @Test
    void install_whenAppNotRegistered_rejectsAsNotFoundWithoutCallingAnyone() {
        assertThatThrownBy(() -> install("Shop DE"))
                .isInstanceOf(SynclineException.NotFound.class)
                .hasMessageContaining("no App is registered as 'shop-export'");
        assertThat(app.calls()).isEmpty();
    }

    @Test
    void install_withoutAName_namesTheInstallationAfterTheApp() {
        registerApp("1.0.0", List.of());

        Installation installation =
                service.install(
                                new InstallationRequest(
                                        "shop-export",
                                        null,
                                        "https://pim.example.com/api",
                                        null,
                                        null))
                        .installation();

        assertThat(installation.name()).isEqualTo("Shop export");
    }

    @Test
    void install_withoutDispatchSettings_usesTheDefaults() {
        registerApp("1.0.0", List.of());

        assertThat(install("Shop DE").installation().dispatch())
                .isEqualTo(DispatchSettings.DEFAULT);
    }

    @Test
    void install_withDispatchSettings_keepsThem() {
        registerApp("1.0.0", List.of());

        Installation installation =
                service.install(
                                new InstallationRequest(
                                        "shop-export",
                                        "Shop DE",
                                        "https://pim.example.com/api",
                                        1,
                                        0))
                        .installation();

        assertThat(installation.dispatch()).isEqualTo(new DispatchSettings(1, 0));
    }

    @Test
    void install_whenRequestBreaksRules_listsEveryViolationAndCallsNoApp() {
        registerApp("1.0.0", List.of());

        SynclineException.Invalid error =
                catchThrowableOfType(
                        SynclineException.Invalid.class,
                        () ->
                                service.install(
                                        new InstallationRequest(
                                                "Shop", " ", "pim.example.com/api", 0, 11)));

        assertThat(error.violations())
                .extracting(Violation::field)
                .containsExactly("app_id", "name", "api_url", "concurrency_window", "retry_budget");
        assertThat(error.violations())
                .extracting(Violation::message)
                .contains(
                        "concurrency_window must be 1–32 chunks in flight per run, got 0",
                        "retry_budget must be 0–10 retries per entry, got 11");
        assertThat(error.getMessage())
                .startsWith("installation request is invalid: app_id must be");
        assertThat(app.calls()).isEmpty();
    }

    @Test
    void install_whenTheAppIsRetired_refusesSayingSinceWhenAndCallsNoApp() {
        registerApp("1.0.0", List.of("app_uninstalled"));
        Installation before = install("Shop DE").installation();
        registry.retire(APP);
        int calledBefore = app.calls().size();

        assertThatThrownBy(() -> install("Shop AT"))
                .isInstanceOf(SynclineException.Conflict.class)
                .hasMessage("app 'shop-export' was retired at 2026-03-01T10:00:00.750Z and takes no new installations;"
                        + " its existing installations keep working");
        assertThat(app.calls()).hasSize(calledBefore);
        // The installation made before keeps working: it may synchronize, and uninstalling still tells the App.
        service.requireSynchronizable(service.find(before.id()));
        service.uninstall(before.id());
        assertThat(app.calledUrls().subList(calledBefore, app.calls().size()))
                .containsExactly(APP_URL + "/consume/app_uninstalled");
    }

    // --- update

    @Test
    void update_changesOnlyTheFieldsGivenAndKeepsTheRest() {
        registerApp("1.0.0", List.of());
        Installation installed = install("Shop DE").installation();
        clock.advance(Duration.ofHours(1));

        Installation changed = service.update(installed.id(), new InstallationChange(
                null, 8, null, new InstallationRequest.DeletionGuardRequest(50, null, null)));

        assertThat(changed.name()).isEqualTo("Shop DE");
        assertThat(changed.dispatch()).isEqualTo(new DispatchSettings(8, DispatchSettings.DEFAULT.retryBudget(),
                new DeletionGuard(50, DeletionGuard.DEFAULT.minDeletions(), DeletionGuard.DEFAULT.confirmationTimeout())));
        assertThat(changed.updatedAt()).isEqualTo(Instant.parse("2026-03-01T11:00:00.750Z"));
        assertThat(changed.createdAt()).isEqualTo(installed.createdAt());
        assertThat(service.find(installed.id())).isEqualTo(changed);
        // Renaming alone keeps the settings just changed.
        Installation renamed = service.update(installed.id(), new InstallationChange("Shop AT", null, null, null));
        assertThat(renamed.name()).isEqualTo("Shop AT");
        assertThat(renamed.dispatch()).isEqualTo(changed.dispatch());
        assertThat(app.calls()).hasSize(1);
    }

    @Test
    void update_whenChangeBreaksRules_listsEveryViolationAndChangesNothing() {
        registerApp("1.0.0", List.of());
        Installation installed = install("Shop DE").installation();

        SynclineException.Invalid error = catchThrowableOfType(SynclineException.Invalid.class,
                () -> service.update(installed.id(), new InstallationChange(
                        " ", 33, -1, new InstallationRequest.DeletionGuardRequest(101, -1, 0))));

        assertThat(error.violations()).extracting(Violation::field).containsExactly(
                "name", "concurrency_window", "retry_budget", "deletion_guard.threshold_percent",
                "deletion_guard.min_deletions", "deletion_guard.confirmation_timeout_hours");
        assertThat(error.violations()).extracting(Violation::message).contains(
                "concurrency_window must be 1–32 chunks in flight per run, got 33",
                "deletion_guard.threshold_percent must be 0–100 (100 turns the guard off), got 101");
        assertThat(service.find(installed.id())).isEqualTo(installed);
    }

    @Test
    void update_whenUninstalled_isAConflictNamingWhen() {
        registerApp("1.0.0", List.of());
        Installation installed = install("Shop DE").installation();
        Installation uninstalled = service.uninstall(installed.id()).installation();

        assertThatThrownBy(() -> service.update(installed.id(), new InstallationChange("Shop AT", null, null, null)))
                .isInstanceOf(SynclineException.Conflict.class)
                .hasMessageContaining("was uninstalled at " + uninstalled.uninstalledAt());
        assertThat(service.find(installed.id()).name()).isEqualTo("Shop DE");
    }

    @Test
    void update_whenUnknown_isNotFound() {
        UUID unknown = UUID.randomUUID();

        assertThatThrownBy(() -> service.update(unknown, new InstallationChange("Shop AT", null, null, null)))
                .isInstanceOf(SynclineException.NotFound.class)
                .hasMessage("no installation has id " + unknown);
    }

    // --- uninstall

    @Test
    void uninstall_marksUninstalledAndKeepsTheInstallation() {
        registerApp("1.0.0", List.of());
        Installation installed = install("Shop DE").installation();
        clock.advance(Duration.ofDays(3));

        Installation uninstalled = service.uninstall(installed.id()).installation();

        assertThat(uninstalled.status()).isEqualTo(InstallationStatus.UNINSTALLED);
        assertThat(uninstalled.uninstalledAt())
                .isEqualTo(Instant.parse("2026-03-04T10:00:00.750Z"));
        assertThat(service.find(installed.id())).isEqualTo(uninstalled);
        assertThat(service.listByApp(APP)).containsExactly(uninstalled);
    }

    @Test
    void uninstall_whenAppSubscribes_sendsAppUninstalledSignedWithTheInstallationsSecret() {
        registerApp("1.0.0", List.of("app_uninstalled"));
        Installation installed = install("Shop DE").installation();
        SharedSecret handshakeSecret = app.calls().get(0).secret();

        InstallationResult result = service.uninstall(installed.id());

        assertThat(app.calledUrls())
                .containsExactly(APP_URL + "/handshake", APP_URL + "/consume/app_uninstalled");
        ScriptedAppClient.Call appUninstalled = app.calls().get(1);
        assertThat(appUninstalled.secret()).isEqualTo(handshakeSecret);
        assertThat(appUninstalled.claims().appInstallationId()).isEqualTo(installed.id());
        assertThat(result.notice())
                .isEqualTo(
                        new LifecycleNotice.Sent(
                                AppEvent.APP_UNINSTALLED, new AppResponse(200, "")));
    }

    @Test
    void uninstall_whenAppDoesNotSubscribe_sendsNothing() {
        registerApp("1.0.0", List.of("app_installed"));
        Installation installed = install("Shop DE").installation();

        InstallationResult result = service.uninstall(installed.id());

        assertThat(app.calledUrls())
                .containsExactly(APP_URL + "/handshake", APP_URL + "/consume/app_installed");
        assertThat(result.notice())
                .isEqualTo(new LifecycleNotice.NotSubscribed(AppEvent.APP_UNINSTALLED));
    }

    @Test
    void install_whenTheAppHasConfigurationSteps_storesItAsConfigurationRequired() {
        registry.register(
                APP.value(),
                TestManifests.valid()
                        .configurationSchema("[{\"type\":\"object\"},{\"type\":\"object\"}]")
                        .build());

        Installation installation = install("Shop DE").installation();

        assertThat(installations.find(installation.id()).orElseThrow().status())
                .isEqualTo(InstallationStatus.CONFIGURATION_REQUIRED);
        assertThatThrownBy(() -> service.requireSynchronizable(installation))
                .isInstanceOf(SynclineException.Conflict.class)
                .hasMessageContaining("must be configured before it can synchronize")
                .hasMessageContaining("/v1/installations/" + installation.id() + "/configuration");
    }

    @Test
    void uninstall_followsTheAppsLatestUrlAndSubscriptions() {
        registerApp("1.0.0", List.of());
        Installation installed = install("Shop DE").installation();
        registry.register(
                APP.value(),
                TestManifests.valid()
                        .versions("1.1.0", "1.0.0")
                        .url("https://new-home.example.com")
                        .events(List.of("app_uninstalled"))
                        .build());

        service.uninstall(installed.id());

        assertThat(app.calledUrls())
                .last()
                .isEqualTo("https://new-home.example.com/consume/app_uninstalled");
    }

    @Test
    void uninstall_whenAppRefusesTheEvent_stillUninstalls() {
        registerApp("1.0.0", List.of("app_uninstalled"));
        Installation installed = install("Shop DE").installation();
        app.answerLifecycleEventsWith(
                new AppUnreachable(AppUnreachable.Reason.CONNECTION_FAILED, "connection refused"));

        InstallationResult result = service.uninstall(installed.id());

        assertThat(service.find(installed.id()).status()).isEqualTo(InstallationStatus.UNINSTALLED);
        assertThat(result.notice())
                .isEqualTo(
                        new LifecycleNotice.Sent(
                                AppEvent.APP_UNINSTALLED,
                                new AppUnreachable(
                                        AppUnreachable.Reason.CONNECTION_FAILED,
                                        "connection refused")));
    }

    @Test
    void lifecycleEvents_theAppRefuses_areReportedWithoutTheAppsAnswer() {
        List<Signal> reported = new java.util.ArrayList<>();
        InstallationService watched = new InstallationService(apps, installations, app, vault, clock, reported::add);
        registerApp("1.0.0", List.of("app_installed", "app_uninstalled"));
        Installation installed = install("Shop DE").installation();
        assertThat(reported).as("app_installed was accepted").isEmpty();
        app.answerLifecycleEventsWith(new AppResponse(500, "stack trace with internal host db-7.internal"));

        watched.uninstall(installed.id());

        assertThat(reported).containsExactly(new Signal.NotificationFailed(null, installed.id(), "shop-export", "app_uninstalled",
                "answered 500"));
    }

    @Test
    void uninstall_whenAlreadyUninstalled_rejectsAsConflictWithoutNotifyingTheAppAgain() {
        registerApp("1.0.0", List.of("app_uninstalled"));
        Installation installed = install("Shop DE").installation();
        service.uninstall(installed.id());

        assertThatThrownBy(() -> service.uninstall(installed.id()))
                .isInstanceOf(SynclineException.Conflict.class)
                .hasMessage(
                        "installation "
                                + installed.id()
                                + " was already uninstalled at 2026-03-01T10:00:00.750Z");
        assertThat(app.calledUrls()).filteredOn(url -> url.endsWith("app_uninstalled")).hasSize(1);
    }

    @Test
    void uninstall_whenUnknown_rejectsAsNotFound() {
        UUID unknown = UUID.fromString("00000000-0000-4000-8000-000000000001");

        assertThatThrownBy(() -> service.uninstall(unknown))
                .isInstanceOf(SynclineException.NotFound.class)
                .hasMessage("no installation has id 00000000-0000-4000-8000-000000000001");
    }

    @Test
    void listByApp_whenAppNotRegistered_rejectsAsNotFound() {
        assertThatThrownBy(() -> service.listByApp(new AppId("nobody-here")))
                .isInstanceOf(SynclineException.NotFound.class);
    }

    // --- secrets in logs

    @Test
    void install_neverShowsTheSharedSecretInToString() {
        registerApp("1.0.0", List.of("app_installed"));

        InstallationResult result = install("Shop DE");

        SharedSecret secret = app.calls().get(0).secret();
        assertThat(secret.toString()).doesNotContain(secret.reveal());
        assertThat(result.toString()).doesNotContain(secret.reveal());
        assertThat(app.calls().get(0).toString()).doesNotContain(secret.reveal());
    }

    private void registerApp(String version, List<String> events) {
        registry.register(
                APP.value(),
                TestManifests.valid().versions(version, "1.0.0").events(events).build());
    }

    @Test
    void lifecycleEvents_withANotifier_areRetriedWithOneKey_andRecordedForTheInstallation() {
        java.util.List<String> sent = new java.util.ArrayList<>();
        java.util.Deque<Integer> statuses = new java.util.ArrayDeque<>(List.of(503, 204, 500, 500, 500, 500, 500, 500));
        dev.syncline.core.delivery.AppEndpoint endpoint = new dev.syncline.core.delivery.AppEndpoint() {
            @Override
            public dev.syncline.core.delivery.DeliveryAttempt consume(dev.syncline.core.delivery.AppTarget target,
                    dev.syncline.core.delivery.ConsumeRequest request) {
                throw new AssertionError("not used");
            }

            @Override
            public dev.syncline.core.delivery.DeliveryAttempt notify(dev.syncline.core.delivery.AppTarget target, String event,
                    java.util.Map<String, Object> body, String idempotencyKey) {
                assertThat(body).isEqualTo(java.util.Map.of("name", event));
                sent.add(event + " " + idempotencyKey);
                return new dev.syncline.core.delivery.DeliveryAttempt.Answered(statuses.poll(), "busy", null, null);
            }
        };
        java.util.Map<UUID, java.util.List<dev.syncline.core.delivery.Notification>> recorded = new java.util.HashMap<>();
        dev.syncline.core.delivery.Notifications log = new dev.syncline.core.delivery.Notifications() {
            @Override
            public void record(UUID subject, dev.syncline.core.delivery.Notification notification) {
                recorded.computeIfAbsent(subject, k -> new java.util.ArrayList<>()).add(notification);
            }

            @Override
            public java.util.List<dev.syncline.core.delivery.Notification> find(UUID subject) {
                return recorded.getOrDefault(subject, List.of());
            }
        };
        InstallationService notifying = new InstallationService(apps, installations, app, vault, clock,
                dev.syncline.core.telemetry.Telemetry.NONE, new dev.syncline.core.delivery.Notifier(endpoint, log, clock, wait -> { },
                new java.util.Random(1), java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(20)),
                dev.syncline.core.tenant.TenantStore.defaultOnly());
        registerApp("1.0.0", List.of("app_installed", "app_uninstalled"));

        InstallationResult installed = notifying.install(new InstallationRequest("shop-export", "Shop DE", "https://pim.example.com/api",
                null, null));
        UUID id = installed.installation().id();
        String key = dev.syncline.core.delivery.Notifier.idempotencyKey(id, "app_installed");
        assertThat(sent).containsExactly("app_installed " + key, "app_installed " + key);
        assertThat(installed.notice()).isEqualTo(new LifecycleNotice.Sent(AppEvent.APP_INSTALLED, new AppResponse(204, "")));

        InstallationResult uninstalled = notifying.uninstall(id);
        assertThat(sent).as("the default retry budget of 5: six attempts").hasSize(2 + 6).endsWith(
                "app_uninstalled " + dev.syncline.core.delivery.Notifier.idempotencyKey(id, "app_uninstalled"));
        assertThat(uninstalled.notice()).isEqualTo(new LifecycleNotice.Sent(AppEvent.APP_UNINSTALLED,
                new AppResponse(500, "gave up after 6 attempts; last: HTTP 500: busy")));
        assertThat(recorded.get(id)).extracting(dev.syncline.core.delivery.Notification::event,
                dev.syncline.core.delivery.Notification::status, dev.syncline.core.delivery.Notification::attempts).containsExactly(
                org.assertj.core.groups.Tuple.tuple("app_installed", dev.syncline.core.delivery.Notification.Status.DELIVERED, 2),
                org.assertj.core.groups.Tuple.tuple("app_uninstalled", dev.syncline.core.delivery.Notification.Status.FAILED, 6));
    }

    private InstallationResult install(String name) {
        return service.install(
                new InstallationRequest(
                        "shop-export", name, "https://pim.example.com/api", null, null));
    }
}
