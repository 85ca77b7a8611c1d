package dev.syncline.core.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.core.SynclineException;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Versioning: 201 the first time, 200 with a higher version, 409 otherwise. */
class AppRegistryTest {

    private static final AppId APP = new AppId("shop-export");

    private final InMemoryAppStore store = new InMemoryAppStore();
    private final TestClock clock = TestClock.at("2026-03-01T10:00:00Z");
    private final List<String> moveRequests = new ArrayList<>();
    private final List<UUID> installationsBelow = new ArrayList<>();
    private final InstalledApps installations =
            (appId, compatible) -> {
                moveRequests.add(appId + " below " + compatible);
                return List.copyOf(installationsBelow);
            };
    private final AppRegistry registry = new AppRegistry(store, installations, clock);

    @Test
    void register_whenAppIsNew_createsItWithoutTouchingInstallations() {
        Registration registration = register("1.0.0", "1.0.0");

        assertThat(registration).isInstanceOf(Registration.Created.class);
        assertThat(registry.latest(APP).version()).isEqualTo(Semver.parse("1.0.0"));
        assertThat(moveRequests).isEmpty();
    }

    @Test
    void register_whenVersionHigher_updatesAndKeepsEveryPreviousVersion() {
        register("1.0.0", "1.0.0");
        clock.advance(Duration.ofDays(1));
        register("1.1.0", "1.0.0");
        clock.advance(Duration.ofDays(1));

        Registration registration = register("2.0.0", "1.0.0");

        assertThat(registration)
                .isInstanceOfSatisfying(
                        Registration.Updated.class,
                        updated ->
                                assertThat(updated.previousVersion())
                                        .isEqualTo(Semver.parse("1.1.0")));
        assertThat(registry.latest(APP).version()).isEqualTo(Semver.parse("2.0.0"));
        assertThat(registry.versions(APP))
                .extracting(manifest -> manifest.version().toString())
                .containsExactly("1.0.0", "1.1.0", "2.0.0");
        assertThat(registry.version(APP, Semver.parse("1.0.0")).registeredAt())
                .isEqualTo(java.time.Instant.parse("2026-03-01T10:00:00Z"));
    }

    @Test
    void register_whenVersionEqual_rejectsAsConflictNamingTheStoredVersion() {
        register("1.2.0", "1.0.0");

        assertThatThrownBy(() -> register("1.2.0", "1.0.0"))
                .isInstanceOf(SynclineException.Conflict.class)
                .hasMessage(
                        "app 'shop-export' is at version 1.2.0 and manifest version 1.2.0 is not"
                            + " higher (same precedence): a manifest takes effect only with a"
                            + " higher version, so raise version to apply it");
    }

    @Test
    void register_whenVersionLower_rejectsAsConflictAndKeepsTheStoredManifest() {
        register("1.2.0", "1.0.0");

        assertThatThrownBy(() -> register("1.1.9", "1.0.0"))
                .isInstanceOf(SynclineException.Conflict.class)
                .hasMessageStartingWith(
                        "app 'shop-export' is at version 1.2.0 and manifest version 1.1.9 is below"
                            + " it");
        assertThat(registry.versions(APP))
                .extracting(m -> m.version().toString())
                .containsExactly("1.2.0");
    }

    @Test
    void register_whenOnlyBuildMetadataDiffers_rejectsAsNotHigher() {
        register("1.2.0+build.1", "1.0.0");

        assertThatThrownBy(() -> register("1.2.0+build.2", "1.0.0"))
                .isInstanceOf(SynclineException.Conflict.class)
                .hasMessageContaining("is at version 1.2.0+build.1");
    }

    @Test
    void register_whenReleaseFollowsItsCandidate_updatesButNotTheOtherWayRound() {
        register("2.0.0-rc.1", "1.0.0");

        assertThat(register("2.0.0", "1.0.0")).isInstanceOf(Registration.Updated.class);
        assertThatThrownBy(() -> register("2.0.0-rc.2", "1.0.0"))
                .isInstanceOf(SynclineException.Conflict.class);
    }

    @Test
    void register_whenUpdated_movesInstallationsBelowTheNewCompatibleAndReportsThem() {
        register("1.0.0", "1.0.0");
        UUID outdated = UUID.randomUUID();
        installationsBelow.add(outdated);

        Registration registration = register("2.0.0", "2.0.0");

        assertThat(moveRequests).containsExactly("shop-export below 2.0.0");
        assertThat(registration)
                .isInstanceOfSatisfying(
                        Registration.Updated.class,
                        updated ->
                                assertThat(updated.movedToConfigurationRequired())
                                        .containsExactly(outdated));
    }

    @Test
    void register_whenRejected_leavesInstallationsAlone() {
        register("2.0.0", "1.0.0");

        assertThatThrownBy(() -> register("1.5.0", "1.5.0"))
                .isInstanceOf(SynclineException.Conflict.class);
        assertThat(moveRequests).isEmpty();
    }

    @Test
    void register_whenAnotherRegistrationWinsTheRace_decidesAgainAgainstTheWinner() {
        AppStore racing = new RacingAppStore(store, "1.5.0");
        AppRegistry registryInRace = new AppRegistry(racing, installations, clock);

        Registration registration =
                registryInRace.register(
                        APP.value(), TestManifests.valid().versions("2.0.0", "1.0.0").build());

        assertThat(registration)
                .isInstanceOfSatisfying(
                        Registration.Updated.class,
                        updated ->
                                assertThat(updated.previousVersion())
                                        .isEqualTo(Semver.parse("1.5.0")));
        assertThat(registry.versions(APP))
                .extracting(m -> m.version().toString())
                .containsExactly("1.5.0", "2.0.0");
    }

    @Test
    void register_whenTheRaceWinnerHasTheSameVersion_rejectsAsConflict() {
        AppRegistry registryInRace =
                new AppRegistry(new RacingAppStore(store, "2.0.0"), installations, clock);

        assertThatThrownBy(
                        () ->
                                registryInRace.register(
                                        APP.value(),
                                        TestManifests.valid().versions("2.0.0", "1.0.0").build()))
                .isInstanceOf(SynclineException.Conflict.class)
                .hasMessageContaining("is at version 2.0.0");
    }

    @Test
    void latest_whenAppNotRegistered_saysHowToRegisterIt() {
        assertThatThrownBy(() -> registry.latest(APP))
                .isInstanceOf(SynclineException.NotFound.class)
                .hasMessage(
                        "no App is registered as 'shop-export'; register its manifest with PUT"
                            + " /v1/apps/shop-export first");
    }

    @Test
    void version_whenVersionNeverRegistered_listsTheRegisteredOnes() {
        register("1.0.0", "1.0.0");
        register("1.1.0", "1.0.0");

        assertThatThrownBy(() -> registry.version(APP, Semver.parse("1.0.5")))
                .isInstanceOf(SynclineException.NotFound.class)
                .hasMessage(
                        "app 'shop-export' has no version 1.0.5; registered versions: [1.0.0,"
                            + " 1.1.0]");
    }

    @Test
    void parse_whenAppIdFromAPathBreaksTheRule_rejectsAsInvalid() {
        assertThatThrownBy(() -> AppId.parse("Shop Export"))
                .isInstanceOf(SynclineException.Invalid.class)
                .hasMessageContaining("app_id must be 3–64 characters");
    }

    private Registration register(String version, String compatible) {
        return registry.register(
                APP.value(), TestManifests.valid().versions(version, compatible).build());
    }

    @Test
    void retire_keepsEveryVersionReadableAndRefusesNewVersionsSayingSince() {
        register("1.0.0", "1.0.0");
        clock.advance(Duration.ofDays(1));

        RegisteredApp retired = registry.retire(APP);

        assertThat(retired.retiredAt()).isEqualTo(java.time.Instant.parse("2026-03-02T10:00:00Z"));
        assertThat(registry.latest(APP).version()).isEqualTo(Semver.parse("1.0.0"));
        assertThatThrownBy(() -> register("1.1.0", "1.0.0"))
                .isInstanceOf(SynclineException.Conflict.class)
                .hasMessage("app 'shop-export' was retired at 2026-03-02T10:00:00Z and takes no new versions;"
                        + " its existing installations keep working");
        assertThat(registry.versions(APP)).hasSize(1);
    }

    @Test
    void retire_twice_keepsTheFirstRetirement() {
        register("1.0.0", "1.0.0");
        registry.retire(APP);
        clock.advance(Duration.ofDays(1));

        RegisteredApp again = registry.retire(APP);

        assertThat(again.retiredAt()).isEqualTo(java.time.Instant.parse("2026-03-01T10:00:00Z"));
    }

    @Test
    void retire_whenNotRegistered_isNotFound() {
        assertThatThrownBy(() -> registry.retire(APP))
                .isInstanceOf(SynclineException.NotFound.class)
                .hasMessageStartingWith("no App is registered as 'shop-export'");
    }

    @Test
    void list_pagesEveryAppByIdWithItsLatestVersionAndRetirement() {
        register("1.0.0", "1.0.0");
        register("1.2.0", "1.0.0");
        registry.register("mail-export", TestManifests.valid().build());
        registry.register("b-export", TestManifests.valid().build());
        registry.retire(new AppId("b-export"));

        AppStore.Page first = registry.list(2, null);
        AppStore.Page second = registry.list(2, first.nextCursor());

        assertThat(first.apps()).extracting(app -> app.latest().appId().value()).containsExactly("b-export", "mail-export");
        assertThat(first.apps().get(0).retired()).isTrue();
        assertThat(second.apps()).singleElement().satisfies(app -> {
            assertThat(app.latest().version()).isEqualTo(Semver.parse("1.2.0"));
            assertThat(app.retired()).isFalse();
        });
        assertThat(second.nextCursor()).isNull();
    }

    @Test
    void retireVersion_ofTheLatest_makesTheNewestVersionNotRetiredTheLatestAgain() {
        register("1.0.0", "1.0.0");
        register("1.1.0", "1.0.0");
        register("1.2.0", "1.0.0");
        registry.retireVersion(APP, Semver.parse("1.1.0"));
        clock.advance(Duration.ofDays(1));

        AppVersion retired = registry.retireVersion(APP, Semver.parse("1.2.0"));

        assertThat(retired.retiredAt()).isEqualTo(java.time.Instant.parse("2026-03-02T10:00:00Z"));
        assertThat(registry.latest(APP).version()).isEqualTo(Semver.parse("1.0.0"));
        assertThat(registry.history(APP)).extracting(version -> version.version() + " " + version.retired())
                .containsExactly("1.0.0 false", "1.1.0 true", "1.2.0 true");
        assertThat(registry.version(APP, Semver.parse("1.2.0")).version()).as("still readable").isEqualTo(Semver.parse("1.2.0"));
    }

    @Test
    void retireVersion_twice_keepsTheFirstRetirement() {
        register("1.0.0", "1.0.0");
        register("1.1.0", "1.0.0");
        registry.retireVersion(APP, Semver.parse("1.0.0"));
        clock.advance(Duration.ofDays(1));

        AppVersion again = registry.retireVersion(APP, Semver.parse("1.0.0"));

        assertThat(again.retiredAt()).isEqualTo(java.time.Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(registry.latest(APP).version()).isEqualTo(Semver.parse("1.1.0"));
    }

    @Test
    void retireVersion_ofTheOnlyVersionNotRetired_isRefusedSayingToRetireTheApp() {
        register("1.0.0", "1.0.0");
        register("1.1.0", "1.0.0");
        registry.retireVersion(APP, Semver.parse("1.0.0"));

        assertThatThrownBy(() -> registry.retireVersion(APP, Semver.parse("1.1.0")))
                .isInstanceOf(SynclineException.Conflict.class)
                .hasMessageContaining("only version of app 'shop-export' that is not retired")
                .hasMessageContaining("DELETE /v1/apps/shop-export");
        assertThat(registry.latest(APP).version()).isEqualTo(Semver.parse("1.1.0"));
        assertThat(registry.history(APP).getLast().retired()).isFalse();
    }

    @Test
    void retireVersion_ofAVersionNeverRegistered_isNotFoundListingTheRegisteredOnes() {
        register("1.0.0", "1.0.0");

        assertThatThrownBy(() -> registry.retireVersion(APP, Semver.parse("2.0.0")))
                .isInstanceOf(SynclineException.NotFound.class)
                .hasMessage("app 'shop-export' has no version 2.0.0; registered versions: [1.0.0]");
    }

    @Test
    void register_afterTheLatestWasRetired_refusesItsNumberAgainButTakesAHigherOne() {
        register("1.0.0", "1.0.0");
        register("2.0.0", "1.0.0");
        registry.retireVersion(APP, Semver.parse("2.0.0"));

        assertThatThrownBy(() -> register("2.0.0", "1.0.0"))
                .isInstanceOf(SynclineException.Conflict.class)
                .hasMessage("app 'shop-export' had version 2.0.0, retired at 2026-03-01T10:00:00Z; a version number names one"
                        + " manifest for good, so raise version above 2.0.0");
        assertThatThrownBy(() -> register("1.5.0", "1.0.0")).isInstanceOf(SynclineException.Conflict.class);
        Registration next = register("2.0.1", "1.0.0");

        assertThat(next).isInstanceOfSatisfying(Registration.Updated.class,
                updated -> assertThat(updated.previousVersion()).isEqualTo(Semver.parse("1.0.0")));
        assertThat(registry.latest(APP).version()).isEqualTo(Semver.parse("2.0.1"));
    }

    @Test
    void retireVersion_ofARetiredApp_isRefused() {
        register("1.0.0", "1.0.0");
        register("1.1.0", "1.0.0");
        registry.retire(APP);

        assertThatThrownBy(() -> registry.retireVersion(APP, Semver.parse("1.0.0")))
                .isInstanceOf(SynclineException.Conflict.class)
                .hasMessageContaining("its versions stay as they are");
    }

    /** A store where another registration of {@code winner} lands just before our first write. */
    private static final class RacingAppStore implements AppStore {
        private final InMemoryAppStore delegate;
        private final String winner;
        private boolean raced;

        RacingAppStore(InMemoryAppStore delegate, String winner) {
            this.delegate = delegate;
            this.winner = winner;
        }

        @Override
        public boolean putFirstVersion(Manifest manifest) {
            if (!raced) {
                raced = true;
                delegate.putFirstVersion(withVersion(manifest, winner));
            }
            return delegate.putFirstVersion(manifest);
        }

        @Override
        public boolean putNextVersion(Manifest manifest, Semver expectedLatest) {
            return delegate.putNextVersion(manifest, expectedLatest);
        }

        @Override
        public java.util.Optional<RegisteredApp> findApp(AppId appId) {
            return delegate.findApp(appId);
        }

        @Override
        public boolean retire(AppId appId, java.time.Instant at) {
            return delegate.retire(appId, at);
        }

        @Override
        public Page list(int limit, String cursor) {
            return delegate.list(limit, cursor);
        }

        @Override
        public java.util.Optional<Manifest> findVersion(AppId appId, Semver version) {
            return delegate.findVersion(appId, version);
        }

        @Override
        public List<AppVersion> history(AppId appId) {
            return delegate.history(appId);
        }

        @Override
        public boolean retireVersion(AppId appId, Semver version, java.time.Instant at) {
            return delegate.retireVersion(appId, version, at);
        }

        @Override
        public boolean rollBackLatest(AppId appId, Semver retiredLatest, Manifest previous) {
            return delegate.rollBackLatest(appId, retiredLatest, previous);
        }

        private static Manifest withVersion(Manifest manifest, String version) {
            return new Manifest(
                    manifest.appId(),
                    manifest.name(),
                    manifest.description(),
                    Semver.parse(version),
                    manifest.compatible(),
                    manifest.url(),
                    manifest.features(),
                    manifest.events(),
                    manifest.configurationSchema(),
                    manifest.writeAccess(),
                    manifest.icon(),
                    manifest.registeredAt());
        }
    }
}
