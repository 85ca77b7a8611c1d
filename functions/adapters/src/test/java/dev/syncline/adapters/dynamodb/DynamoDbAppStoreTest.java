package dev.syncline.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.adapters.aws.AwsClientFactory;
import dev.syncline.adapters.aws.EmulatorClients;
import dev.syncline.core.SynclineException;
import dev.syncline.core.app.AppEvent;
import dev.syncline.core.app.AppFeature;
import dev.syncline.core.app.AppId;
import dev.syncline.core.app.AppStore;
import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.app.Manifest;
import dev.syncline.core.app.Semver;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@AwsIntegrationTest
class DynamoDbAppStoreTest {

    private static final AppId APP = new AppId("shop-export");
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private AwsClientFactory clients;
    private DynamoDbAppStore store;

    @BeforeEach
    void setUp(AwsStack stack) {
        clients = EmulatorClients.factory(stack);
        store = new DynamoDbAppStore(clients.dynamoDb(), stack.names().table());
    }

    @AfterEach
    void tearDown() {
        clients.close();
    }

    @Test
    void putFirstVersion_thenFindLatest_returnsEveryFieldAsRegistered() {
        Manifest manifest = manifest("1.0.0", "1.0.0");

        assertThat(store.putFirstVersion(manifest)).isTrue();

        assertThat(store.findLatest(APP)).contains(manifest);
    }

    @Test
    void putFirstVersion_keepsAnAbsentIconAndEmptyListsAsSuch() {
        Manifest bare = new Manifest(APP, "Shop export", "Exports the catalog to the shop.", Semver.parse("1.0.0"),
                Semver.parse("1.0.0"), HttpUrl.parse("https://shop.example.com"), Set.of(), Set.of(), "[]", false,
                null, T0);

        store.putFirstVersion(bare);

        assertThat(store.findLatest(APP)).contains(bare);
    }

    @Test
    void putFirstVersion_whenTheAppHasAVersion_storesNothing() {
        store.putFirstVersion(manifest("1.0.0", "1.0.0"));

        assertThat(store.putFirstVersion(manifest("2.0.0", "1.0.0"))).isFalse();

        assertThat(store.findLatest(APP).orElseThrow().version()).isEqualTo(Semver.parse("1.0.0"));
        assertThat(store.listVersions(APP)).hasSize(1);
    }

    @Test
    void putNextVersion_makesItTheLatestAndKeepsEveryVersion() {
        store.putFirstVersion(manifest("1.0.0", "1.0.0"));
        store.putNextVersion(manifest("1.10.0", "1.0.0"), Semver.parse("1.0.0"));

        assertThat(store.putNextVersion(manifest("1.9.0-rc.1+build.7", "1.0.0"), Semver.parse("1.10.0"))).isTrue();

        assertThat(store.findLatest(APP).orElseThrow().version()).isEqualTo(Semver.parse("1.9.0-rc.1+build.7"));
        // Lowest precedence first, not in text order.
        assertThat(store.listVersions(APP)).extracting(m -> m.version().toString())
                .containsExactly("1.0.0", "1.9.0-rc.1+build.7", "1.10.0");
        assertThat(store.findVersion(APP, Semver.parse("1.0.0"))).contains(manifest("1.0.0", "1.0.0"));
    }

    @Test
    void putNextVersion_whenTheLatestMovedMeanwhile_storesNothing() {
        store.putFirstVersion(manifest("1.0.0", "1.0.0"));
        store.putNextVersion(manifest("1.1.0", "1.0.0"), Semver.parse("1.0.0"));

        assertThat(store.putNextVersion(manifest("1.2.0", "1.0.0"), Semver.parse("1.0.0"))).isFalse();

        assertThat(store.findLatest(APP).orElseThrow().version()).isEqualTo(Semver.parse("1.1.0"));
        assertThat(store.listVersions(APP)).extracting(m -> m.version().toString()).containsExactly("1.0.0", "1.1.0");
    }

    @Test
    void putNextVersion_whenTheAppIsNotRegistered_storesNothing() {
        assertThat(store.putNextVersion(manifest("1.1.0", "1.0.0"), Semver.parse("1.0.0"))).isFalse();

        assertThat(store.findLatest(APP)).isEmpty();
        assertThat(store.listVersions(APP)).isEmpty();
    }

    @Test
    void retire_marksTheAppOnceAndRefusesItsNextVersion() {
        store.putFirstVersion(manifest("1.0.0", "1.0.0"));

        assertThat(store.retire(APP, T0.plusSeconds(60))).isTrue();
        assertThat(store.retire(APP, T0.plusSeconds(120))).isFalse();

        assertThat(store.findApp(APP).orElseThrow().retiredAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(store.putNextVersion(manifest("1.1.0", "1.0.0"), Semver.parse("1.0.0"))).isFalse();
        assertThat(store.findLatest(APP)).contains(manifest("1.0.0", "1.0.0"));
        assertThat(store.listVersions(APP)).hasSize(1);
    }

    @Test
    void retire_whenTheAppIsNotRegistered_storesNothing(AwsStack stack) {
        assertThat(store.retire(APP, T0)).isFalse();

        assertThat(store.findApp(APP)).isEmpty();
        assertThat(stack.dynamoDb().scan(b -> b.tableName(stack.names().table())).count()).isZero();
    }

    @Test
    void list_pagesEveryAppsLatestVersionByAppId() {
        store.putFirstVersion(manifest("1.0.0", "1.0.0"));
        store.putNextVersion(manifest("1.1.0", "1.0.0"), Semver.parse("1.0.0"));
        store.putFirstVersion(manifestOf(new AppId("b-export"), "2.0.0"));
        store.putFirstVersion(manifestOf(new AppId("mail-export"), "0.1.0"));
        store.retire(new AppId("mail-export"), T0);

        AppStore.Page first = store.list(2, null);
        AppStore.Page second = store.list(2, first.nextCursor());

        assertThat(first.apps()).extracting(app -> app.latest().appId().value() + " " + app.latest().version())
                .containsExactly("b-export 2.0.0", "mail-export 0.1.0");
        assertThat(first.apps().get(1).retiredAt()).isEqualTo(T0);
        assertThat(second.apps()).singleElement().satisfies(app -> {
            assertThat(app.latest()).isEqualTo(manifest("1.1.0", "1.0.0"));
            assertThat(app.retired()).isFalse();
        });
        // The emulator, like DynamoDB, may end a full page with a key: the page after it is then empty.
        if (second.nextCursor() != null) {
            assertThat(store.list(2, second.nextCursor()).apps()).isEmpty();
        }
    }

    @Test
    void list_withACursorItDidNotIssue_isRefusedAsInvalid() {
        // "bm9wZQ" is base64url for "nope", a valid app id but no cursor of this listing.
        assertThatThrownBy(() -> store.list(10, "bm9wZQ")).isInstanceOf(SynclineException.Invalid.class)
                .hasMessageContaining("cursor");
    }

    @Test
    void registrationsRacingForOneVersion_haveExactlyOneWinner() throws Exception {
        store.putFirstVersion(manifest("1.0.0", "1.0.0"));

        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 8; i++) {
                String version = "1.1." + i;
                results.add(pool.submit(() -> store.putNextVersion(manifest(version, "1.0.0"), Semver.parse("1.0.0"))));
            }
        }

        int winners = 0;
        for (Future<Boolean> result : results) {
            winners += result.get() ? 1 : 0;
        }
        assertThat(winners).isEqualTo(1);
        assertThat(store.listVersions(APP)).hasSize(2);
    }

    @Test
    void findVersion_matchesTheVersionExactly() {
        store.putFirstVersion(manifest("1.0.0+build.1", "1.0.0"));

        assertThat(store.findVersion(APP, Semver.parse("1.0.0+build.1"))).isPresent();
        assertThat(store.findVersion(APP, Semver.parse("1.0.0+build.2"))).isEmpty();
        assertThat(store.findVersion(APP, Semver.parse("1.0.0"))).isEmpty();
    }

    @Test
    void reads_whenACrashLeftTheLatestVersionOutOfTheHistory_stillShowIt(AwsStack stack) {
        store.putFirstVersion(manifest("1.0.0", "1.0.0"));
        store.putNextVersion(manifest("1.1.0", "1.0.0"), Semver.parse("1.0.0"));
        stack.dynamoDb().deleteItem(b -> b.tableName(stack.names().table())
                .key(Map.of("pk", AttributeValue.fromS("APP#shop-export"), "sk", AttributeValue.fromS("VERSION#1.1.0"))));

        assertThat(store.findVersion(APP, Semver.parse("1.1.0"))).isPresent();
        assertThat(store.listVersions(APP)).extracting(m -> m.version().toString()).containsExactly("1.0.0", "1.1.0");

        store.putNextVersion(manifest("1.2.0", "1.0.0"), Semver.parse("1.1.0"));
        assertThat(stack.dynamoDb().getItem(b -> b.tableName(stack.names().table())
                        .key(Map.of("pk", AttributeValue.fromS("APP#shop-export"),
                                "sk", AttributeValue.fromS("VERSION#1.1.0"))))
                .hasItem()).isTrue();
    }

    @Test
    void retireVersion_marksThatVersionOnce_andTheHistoryShowsIt() {
        store.putFirstVersion(manifest("1.0.0", "1.0.0"));
        store.putNextVersion(manifest("1.1.0", "1.0.0"), Semver.parse("1.0.0"));

        assertThat(store.retireVersion(APP, Semver.parse("1.0.0"), T0.plusSeconds(60))).isTrue();
        assertThat(store.retireVersion(APP, Semver.parse("1.0.0"), T0.plusSeconds(120))).as("already retired").isFalse();
        assertThat(store.retireVersion(APP, Semver.parse("3.0.0"), T0)).as("never registered").isFalse();

        assertThat(store.history(APP)).extracting(version -> version.version() + " " + version.retiredAt())
                .containsExactly("1.0.0 " + T0.plusSeconds(60), "1.1.0 null");
        assertThat(store.findLatest(APP).orElseThrow().version()).isEqualTo(Semver.parse("1.1.0"));
    }

    @Test
    void rollBackLatest_makesThePreviousVersionTheLatest_unlessTheLatestMovedMeanwhile() {
        Manifest first = manifest("1.0.0", "1.0.0");
        store.putFirstVersion(first);
        store.putNextVersion(manifest("1.1.0", "1.0.0"), Semver.parse("1.0.0"));
        store.retireVersion(APP, Semver.parse("1.1.0"), T0);

        assertThat(store.rollBackLatest(APP, Semver.parse("1.2.0"), first)).as("1.1.0 is the latest, not 1.2.0").isFalse();
        assertThat(store.rollBackLatest(APP, Semver.parse("1.1.0"), first)).isTrue();

        assertThat(store.findLatest(APP)).contains(first);
        assertThat(store.list(10, null).apps()).singleElement().satisfies(app -> assertThat(app.latest()).isEqualTo(first));
        assertThat(store.history(APP)).extracting(version -> version.version() + " " + version.retired())
                .containsExactly("1.0.0 false", "1.1.0 true");
        assertThat(store.putNextVersion(manifest("1.2.0", "1.0.0"), Semver.parse("1.0.0"))).isTrue();
    }

    @Test
    void retireVersion_ofALatestACrashLeftOutOfTheHistory_writesItThenMarksIt(AwsStack stack) {
        store.putFirstVersion(manifest("1.0.0", "1.0.0"));
        store.putNextVersion(manifest("1.1.0", "1.0.0"), Semver.parse("1.0.0"));
        stack.dynamoDb().deleteItem(b -> b.tableName(stack.names().table())
                .key(Map.of("pk", AttributeValue.fromS("APP#shop-export"), "sk", AttributeValue.fromS("VERSION#1.1.0"))));

        assertThat(store.retireVersion(APP, Semver.parse("1.1.0"), T0)).isTrue();

        assertThat(store.history(APP)).extracting(version -> version.version() + " " + version.retired())
                .containsExactly("1.0.0 false", "1.1.0 true");
    }

    private static Manifest manifestOf(AppId app, String version) {
        Manifest like = manifest(version, version);
        return new Manifest(app, like.name(), like.description(), like.version(), like.compatible(), like.url(),
                like.features(), like.events(), like.configurationSchema(), like.writeAccess(), like.icon(),
                like.registeredAt());
    }

    private static Manifest manifest(String version, String compatible) {
        return new Manifest(
                APP,
                "Shop export",
                "Exports the catalog to the shop.",
                Semver.parse(version),
                Semver.parse(compatible),
                HttpUrl.parse("https://shop-export.example.com/app"),
                Set.of(AppFeature.SYNCHRONIZATION, AppFeature.SYNCHRONIZATION_FILE_DOWNLOAD),
                Set.of(AppEvent.APP_INSTALLED, AppEvent.PRODUCT_CREATED),
                "[{\"type\":\"object\",\"properties\":{\"shop_url\":{\"type\":\"string\"}}}]",
                true,
                "data:image/png;base64,iVBORw0KGgo=",
                T0);
    }
}
