package dev.syncline.core.installation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.core.SynclineException;
import dev.syncline.core.app.AppId;
import dev.syncline.core.app.AppRegistry;
import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.app.InMemoryAppStore;
import dev.syncline.core.app.Registration;
import dev.syncline.core.app.Semver;
import dev.syncline.core.app.TestClock;
import dev.syncline.core.app.TestManifests;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Which installations may synchronize, and how an App update with a higher compatible stops them.
 */
class SynchronizabilityTest {

    private static final AppId APP = new AppId("shop-export");

    private final InMemoryAppStore apps = new InMemoryAppStore();
    private final InMemoryInstallationStore installations = new InMemoryInstallationStore();
    private final TestClock clock = TestClock.at("2026-03-01T10:00:00Z");
    private final InstallationService service =
            new InstallationService(
                    apps, installations, new ScriptedAppClient(), new InMemorySecretVault(), clock);
    private final AppRegistry registry = new AppRegistry(apps, service, clock);

    @Test
    void register_whenCompatibleRisesAboveConfiguredVersions_movesExactlyThoseInstallations() {
        register("1.0.0", "1.0.0");
        Installation onOne = installOn("1.0.0");
        Installation uninstalledOnOne = installOn("1.0.0");
        service.uninstall(uninstalledOnOne.id());
        register("1.5.0", "1.0.0");
        Installation onOneFive = installOn("1.5.0");
        clock.advance(Duration.ofHours(1));

        Registration registration = register("2.0.0", "1.5.0");

        assertThat(registration)
                .isInstanceOfSatisfying(
                        Registration.Updated.class,
                        updated ->
                                assertThat(updated.movedToConfigurationRequired())
                                        .containsExactly(onOne.id()));
        assertThat(statusOf(onOne)).isEqualTo(InstallationStatus.CONFIGURATION_REQUIRED);
        assertThat(service.find(onOne.id()).updatedAt())
                .isEqualTo(Instant.parse("2026-03-01T11:00:00Z"));
        assertThat(statusOf(onOneFive)).isEqualTo(InstallationStatus.ACTIVE);
        assertThat(statusOf(uninstalledOnOne)).isEqualTo(InstallationStatus.UNINSTALLED);
    }

    @Test
    void register_whenCompatibleUnchanged_movesNothing() {
        register("1.0.0", "1.0.0");
        Installation installation = installOn("1.0.0");

        Registration registration = register("1.1.0", "1.0.0");

        assertThat(((Registration.Updated) registration).movedToConfigurationRequired()).isEmpty();
        assertThat(statusOf(installation)).isEqualTo(InstallationStatus.ACTIVE);
    }

    @Test
    void requireSynchronizable_whenActiveAndCompatible_letsItThrough() {
        register("1.0.0", "1.0.0");
        Installation installation = installOn("1.0.0");
        register("1.1.0", "1.0.0");

        assertThatCode(() -> service.requireSynchronizable(installation))
                .doesNotThrowAnyException();
    }

    @Test
    void requireSynchronizable_whenUninstalled_refusesSayingWhenAndWhatToDo() {
        register("1.0.0", "1.0.0");
        Installation installation = installOn("1.0.0");
        Installation uninstalled = service.uninstall(installation.id()).installation();

        assertThatThrownBy(() -> service.requireSynchronizable(uninstalled))
                .isInstanceOf(SynclineException.Conflict.class)
                .hasMessage(
                        "installation "
                                + installation.id()
                                + " was uninstalled at 2026-03-01T10:00:00Z and can no longer"
                                + " synchronize; install app 'shop-export' again to synchronize");
    }

    @Test
    void requireSynchronizable_whenConfigurationRequired_refusesNamingTheVersions() {
        register("1.0.0", "1.0.0");
        Installation installation = installOn("1.0.0");
        register("2.1.0", "2.0.0");

        assertThatThrownBy(() -> service.requireSynchronizable(service.find(installation.id())))
                .isInstanceOf(SynclineException.Conflict.class)
                .hasMessage(
                        "installation "
                                + installation.id()
                                + " must be reconfigured before it can synchronize: it was"
                                + " configured with app 'shop-export' 1.0.0, and app 'shop-export'"
                                + " 2.1.0 accepts only configurations from version 2.0.0 on. Submit"
                                + " every configuration step with POST /v1/installations/"
                                + installation.id()
                                + "/configuration");
    }

    @Test
    void requireSynchronizable_whenActiveButBelowCompatible_refusesAndCorrectsTheStatus() {
        // An installation stored while an update was registered: the update did not see it.
        register("1.0.0", "1.0.0");
        register("2.0.0", "2.0.0");
        Installation stale = seedActiveOn("1.0.0");

        assertThatThrownBy(() -> service.requireSynchronizable(stale))
                .isInstanceOf(SynclineException.Conflict.class)
                .hasMessageContaining("configured with app 'shop-export' 1.0.0");
        assertThat(statusOf(stale)).isEqualTo(InstallationStatus.CONFIGURATION_REQUIRED);
    }

    private Registration register(String version, String compatible) {
        return registry.register(
                APP.value(),
                TestManifests.valid().versions(version, compatible).events(List.of()).build());
    }

    /** Installs against the App's latest version, which the caller has set to {@code version}. */
    private Installation installOn(String version) {
        Installation installation =
                service.install(
                                new InstallationRequest(
                                        APP.value(), "Shop", "https://pim.example.com", null, null))
                        .installation();
        assertThat(installation.appVersion()).isEqualTo(Semver.parse(version));
        return installation;
    }

    private Installation seedActiveOn(String version) {
        UUID id = UUID.randomUUID();
        Installation installation =
                new Installation(
                        id,
                        APP,
                        Semver.parse(version),
                        "Shop",
                        HttpUrl.parse("https://pim.example.com"),
                        InstallationStatus.ACTIVE,
                        DispatchSettings.DEFAULT,
                        new EncryptedSecret("sealed"),
                        clock.instant(),
                        clock.instant(),
                        null);
        installations.put(installation);
        return installation;
    }

    private InstallationStatus statusOf(Installation installation) {
        return service.find(installation.id()).status();
    }
}
