package dev.syncline.core.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.syncline.core.SynclineException;
import dev.syncline.core.SynclineException.Violation;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A manifest whose URL the deployment refuses to call is rejected like any other broken rule. */
class AppUrlPolicyTest {

    private final InMemoryAppStore store = new InMemoryAppStore();
    private final List<HttpUrl> asked = new ArrayList<>();
    private final AppUrlPolicy refusesInternalHosts =
            url -> {
                asked.add(url);
                return url.uri().getHost().endsWith(".internal")
                        ? Optional.of("must not point at a private address: 10.0.0.7")
                        : Optional.empty();
            };
    private final AppRegistry registry =
            new AppRegistry(
                    store,
                    (app, compatible) -> List.of(),
                    TestClock.at("2026-03-01T10:00:00Z"),
                    refusesInternalHosts);

    @Test
    void register_whenPolicyRefusesTheUrl_rejectsItWithTheOtherViolationsAndStoresNothing() {
        SynclineException.Invalid invalid =
                catchThrowableOfType(
                        SynclineException.Invalid.class,
                        () ->
                                registry.register(
                                        "shop-export",
                                        TestManifests.valid()
                                                .name("x")
                                                .url("https://billing.internal/app")
                                                .build()));

        assertThat(invalid.violations())
                .containsExactly(
                        new Violation("name", "name must be 3–30 characters, got 1"),
                        new Violation(
                                "url", "url must not point at a private address: 10.0.0.7"));
        assertThat(store.findLatest(new AppId("shop-export"))).isEmpty();
    }

    @Test
    void register_whenPolicyAcceptsTheUrl_registersAfterAskingAboutThatUrl() {
        Registration registration =
                registry.register(
                        "shop-export",
                        TestManifests.valid().url("https://shop-export.example.com/app").build());

        assertThat(registration).isInstanceOf(Registration.Created.class);
        assertThat(asked).containsExactly(HttpUrl.parse("https://shop-export.example.com/app"));
    }

    @Test
    void register_whenUrlMalformed_neverAsksThePolicy() {
        catchThrowableOfType(
                SynclineException.Invalid.class,
                () ->
                        registry.register(
                                "shop-export",
                                TestManifests.valid().url("ftp://x.internal").build()));

        assertThat(asked).isEmpty();
    }
}
