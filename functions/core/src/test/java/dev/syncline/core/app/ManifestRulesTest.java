package dev.syncline.core.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.syncline.core.SynclineException;
import dev.syncline.core.SynclineException.Violation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** Every manifest rule of the protocol, as an App author meets it on {@code PUT /v1/apps/{id}}. */
class ManifestRulesTest {

    private static final String APP = "shop-export";

    private final InMemoryAppStore store = new InMemoryAppStore();
    private final TestClock clock = TestClock.at("2026-03-01T10:00:00Z");
    private final AppRegistry registry =
            new AppRegistry(store, (app, compatible) -> List.of(), clock);

    @Test
    void register_whenManifestValid_keepsEveryFieldAsGiven() {
        Manifest manifest =
                registry.register(
                                APP,
                                TestManifests.valid()
                                        .versions("1.2.0", "1.0.0")
                                        .features(
                                                List.of("synchronization_full", "synchronization"))
                                        .events(List.of("product_created", "app_installed"))
                                        .configurationSchema(
                                                "[{\"type\":\"object\",\"title\":\"Shop\"}]")
                                        .writeAccess(true)
                                        .icon("data:image/svg+xml;base64,PHN2Zz4=")
                                        .build())
                        .manifest();

        assertThat(manifest.appId()).isEqualTo(new AppId(APP));
        assertThat(manifest.name()).isEqualTo("Shop export");
        assertThat(manifest.description()).isEqualTo("Exports the catalog to the shop.");
        assertThat(manifest.version()).isEqualTo(Semver.parse("1.2.0"));
        assertThat(manifest.compatible()).isEqualTo(Semver.parse("1.0.0"));
        assertThat(manifest.url().uri())
                .isEqualTo(URI.create("https://shop-export.example.com/app"));
        assertThat(manifest.features())
                .containsExactly(AppFeature.SYNCHRONIZATION, AppFeature.SYNCHRONIZATION_FULL);
        assertThat(manifest.subscribes(AppEvent.APP_INSTALLED)).isTrue();
        assertThat(manifest.subscribes(AppEvent.APP_UNINSTALLED)).isFalse();
        assertThat(manifest.configurationSchema())
                .isEqualTo("[{\"type\":\"object\",\"title\":\"Shop\"}]");
        assertThat(manifest.writeAccess()).isTrue();
        assertThat(manifest.icon()).isEqualTo("data:image/svg+xml;base64,PHN2Zz4=");
        assertThat(manifest.registeredAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(store.findLatest(new AppId(APP))).contains(manifest);
    }

    @Test
    void register_whenOptionalFieldsAbsent_storesNoFeaturesNoEventsNoStepsAndNoWriteAccess() {
        Manifest manifest =
                registry.register(
                                APP,
                                TestManifests.valid()
                                        .features(null)
                                        .events(null)
                                        .configurationSchema(null)
                                        .writeAccess(null)
                                        .icon(null)
                                        .build())
                        .manifest();

        assertThat(manifest.features()).isEmpty();
        assertThat(manifest.events()).isEmpty();
        assertThat(manifest.configurationSchema()).isEqualTo("[]");
        assertThat(manifest.writeAccess()).isFalse();
        assertThat(manifest.icon()).isNull();
    }

    @Test
    void register_whenNameTooShort_rejectsNamingTheLengthRule() {
        assertThat(violations(TestManifests.valid().name("ab")))
                .containsExactly(new Violation("name", "name must be 3–30 characters, got 2"));
    }

    @Test
    void register_whenNameTooLong_rejectsNamingTheLengthRule() {
        assertThat(violations(TestManifests.valid().name("x".repeat(31))))
                .containsExactly(new Violation("name", "name must be 3–30 characters, got 31"));
    }

    @Test
    void register_whenNameHasAccentsAndEmoji_countsCharactersNotBytes() {
        // 30 characters, 34 UTF-16 units and more UTF-8 bytes.
        String name = "Café Exporteur 🛒🛒🛒🛒 Zürich ÄÖÜ";

        assertThat(
                        registry.register(APP, TestManifests.valid().name(name).build())
                                .manifest()
                                .name())
                .isEqualTo(name);
    }

    @Test
    void register_whenNameBlank_rejectsAsBlank() {
        assertThat(violations(TestManifests.valid().name("     ")))
                .containsExactly(new Violation("name", "name must not be blank: 3–30 characters"));
    }

    @Test
    void register_whenDescriptionTooShort_rejectsNamingTheLengthRule() {
        assertThat(violations(TestManifests.valid().description("Exports all.")))
                .containsExactly(
                        new Violation(
                                "description", "description must be 20–200 characters, got 12"));
    }

    @Test
    void register_whenDescriptionTooLong_rejectsNamingTheLengthRule() {
        assertThat(violations(TestManifests.valid().description("d".repeat(201))))
                .containsExactly(
                        new Violation(
                                "description", "description must be 20–200 characters, got 201"));
    }

    @Test
    void register_whenRequiredFieldsMissing_namesEachMissingField() {
        ManifestDocument empty =
                new ManifestDocument(null, null, null, null, null, null, null, null, null, null);

        assertThat(violations(empty))
                .extracting(Violation::field)
                .containsExactly("name", "description", "version", "compatible", "url");
        assertThat(violations(empty))
                .extracting(Violation::message)
                .allSatisfy(message -> assertThat(message).contains("is required"));
    }

    @Test
    void register_whenVersionNotSemver_rejectsShowingTheExpectedForm() {
        assertThat(violations(TestManifests.valid().versions("v1.4", "1.0.0")))
                .singleElement()
                .satisfies(
                        violation -> {
                            assertThat(violation.field()).isEqualTo("version");
                            assertThat(violation.message())
                                    .startsWith(
                                            "version must be a semantic version MAJOR.MINOR.PATCH"
                                                + " such as 1.4.0")
                                    .endsWith("got 'v1.4'");
                        });
    }

    @Test
    void register_whenCompatibleNotSemver_rejectsTheCompatibleField() {
        assertThat(violations(TestManifests.valid().compatible("1.0")))
                .extracting(Violation::field)
                .containsExactly("compatible");
    }

    @Test
    void register_whenCompatibleAboveVersion_rejectsNamingBothVersions() {
        assertThat(violations(TestManifests.valid().versions("1.5.0", "2.0.0")))
                .singleElement()
                .satisfies(
                        violation -> {
                            assertThat(violation.field()).isEqualTo("compatible");
                            assertThat(violation.message())
                                    .startsWith("compatible must not be above version")
                                    .endsWith("got compatible 2.0.0 and version 1.5.0");
                        });
    }

    @Test
    void register_whenCompatibleIsAPreReleaseOfVersion_accepts() {
        assertThat(
                        registry.register(
                                        APP,
                                        TestManifests.valid()
                                                .versions("2.0.0", "2.0.0-rc.1")
                                                .build())
                                .manifest()
                                .compatible())
                .isEqualTo(Semver.parse("2.0.0-rc.1"));
    }

    @Test
    void register_whenFeatureUnknown_rejectsNamingItsPositionAndTheKnownFeatures() {
        assertThat(violations(TestManifests.valid().features(List.of("synchronization", "sync"))))
                .containsExactly(
                        new Violation(
                                "features[1]",
                                "features[1] 'sync' is not one of: synchronization,"
                                    + " synchronization_full, synchronization_file_download,"
                                    + " synchronization_file_download_latest,"
                                    + " synchronization_scheduler"));
    }

    @Test
    void register_whenEventUnknownOrNull_rejectsEachByPosition() {
        assertThat(
                        violations(
                                TestManifests.valid()
                                        .events(
                                                Arrays.asList(
                                                        "product_changed", "app_installed", null))))
                .satisfiesExactly(
                        unknown -> {
                            assertThat(unknown.field()).isEqualTo("events[0]");
                            assertThat(unknown.message())
                                    .startsWith(
                                            "events[0] 'product_changed' is not one of:"
                                                + " app_installed,")
                                    .contains("product_updated");
                        },
                        missing -> assertThat(missing.field()).isEqualTo("events[2]"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ftp://shop-export.example.com",
                "shop-export.example.com/app",
                "/app",
                "https://",
                "https://user:secret@shop-export.example.com",
                "https://shop-export.example.com/app?token=1",
                "https://shop-export.example.com/app#top",
                "https://shop export.example.com"
            })
    void register_whenUrlNotAnAbsoluteHttpBaseUrl_rejectsTheUrl(String url) {
        assertThat(violations(TestManifests.valid().url(url)))
                .singleElement()
                .satisfies(
                        violation -> {
                            assertThat(violation.field()).isEqualTo("url");
                            assertThat(violation.message()).startsWith("url must");
                        });
    }

    @Test
    void register_whenUrlHasCredentials_rejectsWithoutRepeatingThem() {
        assertThat(violations(TestManifests.valid().url("https://user:s3cret@shop.example.com")))
                .singleElement()
                .satisfies(
                        violation ->
                                assertThat(violation.message())
                                        .contains("credentials")
                                        .doesNotContain("s3cret"));
    }

    @Test
    void register_whenIconNotADataUri_rejectsShowingTheExpectedForm() {
        assertThat(violations(TestManifests.valid().icon("https://cdn.example.com/icon.png")))
                .containsExactly(
                        new Violation(
                                "icon",
                                "icon must be a data URI such as data:image/png;base64,iVBORw0...,"
                                        + " got 'https://cdn.example.com/icon.png'"));
    }

    @Test
    void register_whenIconTooLarge_rejectsAskingForASmallerImage() {
        String icon = "data:image/png;base64," + "A".repeat(Manifest.ICON_MAX_LENGTH);

        assertThat(violations(TestManifests.valid().icon(icon)))
                .singleElement()
                .satisfies(
                        violation ->
                                assertThat(violation.message())
                                        .startsWith("icon must be at most 100000 characters")
                                        .endsWith("use a smaller image"));
    }

    @Test
    void register_whenConfigurationSchemaNotAList_rejectsAskingForOneSchemaPerStep() {
        assertThat(violations(TestManifests.valid().configurationSchema("{\"type\":\"object\"}")))
                .containsExactly(
                        new Violation(
                                "configuration_schema",
                                "configuration_schema must be a JSON array with one JSON Schema per"
                                    + " configuration step"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Shop-Export", "shop_export", "ab", "shop-export-", "1shop", ""})
    void register_whenAppIdBreaksTheRule_rejectsStatingTheRule(String appId) {
        SynclineException.Invalid error =
                catchThrowableOfType(
                        SynclineException.Invalid.class,
                        () -> registry.register(appId, TestManifests.valid().build()));

        assertThat(error.violations())
                .singleElement()
                .satisfies(
                        violation -> {
                            assertThat(violation.field()).isEqualTo("app_id");
                            assertThat(violation.message())
                                    .isEqualTo(
                                            "app_id must be 3–64 characters of lowercase letters,"
                                                + " digits and dashes, starting with a letter and"
                                                + " not ending with a dash (e.g. shop-export), got"
                                                + " '"
                                                    + appId
                                                    + "'");
                        });
    }

    @Test
    void register_whenManyRulesBroken_reportsThemAllInOneErrorAndStoresNothing() {
        SynclineException.Invalid error =
                catchThrowableOfType(
                        SynclineException.Invalid.class,
                        () ->
                                registry.register(
                                        APP,
                                        TestManifests.valid()
                                                .name("ab")
                                                .description("too short")
                                                .versions("1.0", "2.0.0")
                                                .url("ftp://x")
                                                .features(List.of("teleport"))
                                                .build()));

        assertThat(error.violations())
                .extracting(Violation::field)
                .containsExactly("name", "description", "version", "url", "features[0]");
        assertThat(error.getMessage())
                .startsWith(
                        "manifest of app 'shop-export' is invalid: name must be 3–30 characters,"
                            + " got 2; description must be 20–200 characters, got 9;");
        assertThat(store.listVersions(new AppId(APP))).isEmpty();
    }

    private List<Violation> violations(TestManifests.Builder manifest) {
        return violations(manifest.build());
    }

    private List<Violation> violations(ManifestDocument document) {
        SynclineException.Invalid error =
                catchThrowableOfType(
                        SynclineException.Invalid.class, () -> registry.register(APP, document));
        assertThat(error).as("the manifest should be rejected").isNotNull();
        return error.violations();
    }
}
