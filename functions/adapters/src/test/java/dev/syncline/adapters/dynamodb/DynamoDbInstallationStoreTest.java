package dev.syncline.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.adapters.aws.AwsClientFactory;
import dev.syncline.adapters.aws.EmulatorClients;
import dev.syncline.core.SynclineException;
import dev.syncline.core.app.AppId;
import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.app.Semver;
import dev.syncline.core.installation.DeletionGuard;
import dev.syncline.core.installation.DispatchSettings;
import dev.syncline.core.installation.EncryptedSecret;
import dev.syncline.core.installation.Installation;
import dev.syncline.core.installation.InstallationStatus;
import dev.syncline.core.installation.InstallationStore;
import dev.syncline.core.tenant.TenantId;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@AwsIntegrationTest
class DynamoDbInstallationStoreTest {

    private static final AppId APP = new AppId("shop-export");
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private AwsClientFactory clients;
    private DynamoDbInstallationStore store;

    @BeforeEach
    void setUp(AwsStack stack) {
        clients = EmulatorClients.factory(stack);
        store = new DynamoDbInstallationStore(clients.dynamoDb(), stack.names().table());
    }

    @AfterEach
    void tearDown() {
        clients.close();
    }

    @Test
    void create_thenFind_returnsEveryFieldAsStored() {
        Installation installation = installation(APP, T0.plusNanos(123_456_000));

        store.create(installation);

        assertThat(store.find(installation.id())).contains(installation);
    }

    @Test
    void create_whenTheIdExists_isRefused() {
        Installation installation = installation(APP, T0);
        store.create(installation);

        assertThatThrownBy(() -> store.create(installation)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already exists");
    }

    @Test
    void find_whenUnknown_isEmpty() {
        assertThat(store.find(UUID.randomUUID())).isEmpty();
    }

    @Test
    void listByApp_returnsThatAppsInstallationsOldestFirst() {
        // Whole and fractional seconds mixed: in ISO text "10:00:01Z" sorts after "10:00:01.5Z".
        Installation second = installation(APP, T0.plusSeconds(1));
        Installation first = installation(APP, T0.plusMillis(500));
        Installation third = installation(APP, T0.plusMillis(1500));
        store.create(second);
        store.create(third);
        store.create(first);
        store.create(installation(new AppId("other-app"), T0));

        assertThat(store.listByApp(APP)).containsExactly(first, second, third);
        assertThat(store.listByApp(new AppId("nobody-here"))).isEmpty();
    }

    @Test
    void list_pagesEveryInstallationNewestFirst_withTheirCurrentStatus() {
        Installation oldest = installation(APP, T0.plusMillis(500));
        Installation middle = installation(new AppId("other-app"), T0.plusSeconds(1));
        Installation newest = installation(APP, T0.plusMillis(1500));
        store.create(middle);
        store.create(newest);
        store.create(oldest);
        Installation uninstalled = middle.withStatus(InstallationStatus.UNINSTALLED, T0.plusSeconds(9));
        store.updateStatus(uninstalled, InstallationStatus.ACTIVE);

        InstallationStore.Page first = store.list(2, null);
        InstallationStore.Page second = store.list(2, first.nextCursor());

        assertThat(first.installations()).containsExactly(newest, uninstalled);
        assertThat(second.installations()).containsExactly(oldest);
        assertThat(store.list(3, null).installations()).containsExactly(newest, uninstalled, oldest);
    }

    @Test
    void listOfATenant_pagesThatTenantsInstallationsOnlyNewestFirst() {
        TenantId acme = new TenantId("acme-shop");
        Installation oldest = installation(APP, T0.plusMillis(500), acme);
        Installation newest = installation(new AppId("other-app"), T0.plusSeconds(2), acme);
        Installation middle = installation(APP, T0.plusSeconds(1), acme);
        store.create(oldest);
        store.create(newest);
        store.create(middle);
        Installation others = installation(APP, T0.plusSeconds(1), new TenantId("other-shop"));
        store.create(others);
        store.create(installation(APP, T0.plusSeconds(3)));

        InstallationStore.Page first = store.list(acme, 2, null);
        InstallationStore.Page second = store.list(acme, 2, first.nextCursor());

        assertThat(first.installations()).containsExactly(newest, middle);
        assertThat(second.installations()).containsExactly(oldest);
        assertThat(store.list(new TenantId("other-shop"), 10, null).installations()).containsExactly(others);
        assertThat(store.find(others.id()).orElseThrow().tenantId()).isEqualTo(new TenantId("other-shop"));
    }

    @Test
    void find_ofAnInstallationStoredBeforeTenants_readsItAsTheDefaultTenants(AwsStack stack) {
        Installation installation = installation(APP, T0);
        store.create(installation);
        stack.dynamoDb().updateItem(b -> b.tableName(stack.names().table())
                .key(Map.of("pk", AttributeValue.fromS("INSTALLATION#" + installation.id()), "sk", AttributeValue.fromS("INSTALLATION")))
                .updateExpression("REMOVE tenant_id"));

        assertThat(store.find(installation.id()).orElseThrow().tenantId()).isEqualTo(TenantId.DEFAULT);
    }

    @Test
    void installationsStoredBeforeTenantsAndListings_joinTheDefaultTenantsListingAndTheListOfAll(AwsStack stack) {
        Installation before = installation(APP, T0);
        Installation tenants = installation(APP, T0.plusSeconds(1));
        Installation other = installation(APP, T0.plusSeconds(2), new TenantId("other-shop"));
        store.create(before);
        store.create(tenants);
        store.create(other);
        // As stored before tenants and listing items existed: the installation item alone, without tenant_id.
        String table = stack.names().table();
        stack.dynamoDb().updateItem(b -> b.tableName(table).key(key(before.id(), "INSTALLATION")).updateExpression("REMOVE tenant_id"));
        stack.dynamoDb().deleteItem(b -> b.tableName(table).key(key(before.id(), "LISTING")));
        stack.dynamoDb().deleteItem(b -> b.tableName(table).key(key(before.id(), "TENANT_LISTING")));

        assertThat(store.list(TenantId.DEFAULT, 10, null).installations()).containsExactly(tenants, before);
        assertThat(store.list(10, null).installations()).containsExactly(other, tenants, before);
        assertThat(store.list(new TenantId("other-shop"), 10, null).installations()).containsExactly(other);
        assertThat(stack.dynamoDb().getItem(b -> b.tableName(table).key(key(before.id(), "INSTALLATION"))).item().get("tenant_id").s())
                .as("adopted for good, not read as the default tenant's each time").isEqualTo("default");
    }

    @Test
    void list_withACursorItDidNotIssue_isRefusedAsInvalid() {
        assertThatThrownBy(() -> store.list(10, "bm9wZQ")).isInstanceOf(SynclineException.Invalid.class)
                .hasMessageContaining("cursor");
    }

    @Test
    void updateStatus_fromTheExpectedStatus_writesOnlyTheStatusFields() {
        Installation installation = installation(APP, T0);
        store.create(installation);
        Instant later = T0.plusSeconds(60);

        boolean updated = store.updateStatus(installation.withStatus(InstallationStatus.UNINSTALLED, later),
                InstallationStatus.ACTIVE);

        assertThat(updated).isTrue();
        Installation stored = store.find(installation.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(InstallationStatus.UNINSTALLED);
        assertThat(stored.uninstalledAt()).isEqualTo(later);
        assertThat(stored.updatedAt()).isEqualTo(later);
        assertThat(stored.secret()).isEqualTo(installation.secret());
        assertThat(store.listByApp(APP)).containsExactly(stored);
    }

    @Test
    void updateStatus_backFromUninstalled_clearsUninstalledAt() {
        Installation installation = installation(APP, T0);
        store.create(installation);
        Installation uninstalled = installation.withStatus(InstallationStatus.UNINSTALLED, T0.plusSeconds(1));
        store.updateStatus(uninstalled, InstallationStatus.ACTIVE);

        store.updateStatus(uninstalled.withStatus(InstallationStatus.ACTIVE, T0.plusSeconds(2)),
                InstallationStatus.UNINSTALLED);

        assertThat(store.find(installation.id()).orElseThrow().uninstalledAt()).isNull();
    }

    @Test
    void updateStatus_whenTheStatusMovedMeanwhile_writesNothing() {
        Installation installation = installation(APP, T0);
        store.create(installation);
        store.updateStatus(installation.withStatus(InstallationStatus.UNINSTALLED, T0.plusSeconds(1)),
                InstallationStatus.ACTIVE);

        boolean updated = store.updateStatus(
                installation.withStatus(InstallationStatus.CONFIGURATION_REQUIRED, T0.plusSeconds(2)),
                InstallationStatus.ACTIVE);

        assertThat(updated).isFalse();
        assertThat(store.find(installation.id()).orElseThrow().status()).isEqualTo(InstallationStatus.UNINSTALLED);
    }

    @Test
    void updateStatus_whenTheInstallationDoesNotExist_createsNothing(AwsStack stack) {
        Installation ghost = installation(APP, T0);

        assertThat(store.updateStatus(ghost.withStatus(InstallationStatus.UNINSTALLED, T0),
                InstallationStatus.ACTIVE)).isFalse();
        assertThat(stack.dynamoDb().scan(b -> b.tableName(stack.names().table())).count()).isZero();
    }

    @Test
    void updateSettings_fromTheExpectedStatus_writesTheNameAndEveryDispatchSetting() {
        Installation installation = installation(APP, T0);
        store.create(installation);
        Installation changed = installation.withSettings("Shop AT",
                new DispatchSettings(2, 0, new DeletionGuard(35, 100, Duration.ofHours(72))), T0.plusSeconds(60));

        boolean updated = store.updateSettings(changed, InstallationStatus.ACTIVE);

        assertThat(updated).isTrue();
        assertThat(store.find(installation.id())).contains(changed);
        // The listings read the same item.
        assertThat(store.listByApp(APP)).containsExactly(changed);
        assertThat(store.list(10, null).installations()).containsExactly(changed);
    }

    @Test
    void updateSettings_whenTheStatusMovedMeanwhile_writesNothing() {
        Installation installation = installation(APP, T0);
        store.create(installation);
        Installation uninstalled = installation.withStatus(InstallationStatus.UNINSTALLED, T0.plusSeconds(1));
        store.updateStatus(uninstalled, InstallationStatus.ACTIVE);

        boolean updated = store.updateSettings(
                installation.withSettings("Shop AT", new DispatchSettings(1, 1), T0.plusSeconds(2)),
                InstallationStatus.ACTIVE);

        assertThat(updated).isFalse();
        assertThat(store.find(installation.id())).contains(uninstalled);
    }

    @Test
    void updateSettings_whenTheInstallationDoesNotExist_createsNothing(AwsStack stack) {
        Installation ghost = installation(APP, T0);

        assertThat(store.updateSettings(ghost.withSettings("Shop AT", new DispatchSettings(1, 1), T0),
                InstallationStatus.ACTIVE)).isFalse();
        assertThat(stack.dynamoDb().scan(b -> b.tableName(stack.names().table())).count()).isZero();
    }

    private static Installation installation(AppId app, Instant createdAt) {
        return installation(app, createdAt, TenantId.DEFAULT);
    }

    private static Installation installation(AppId app, Instant createdAt, TenantId tenant) {
        return new Installation(UUID.randomUUID(), app, Semver.parse("1.2.0"), "Shop DE",
                HttpUrl.parse("https://pim.example.com/api"), InstallationStatus.ACTIVE, new DispatchSettings(8, 3),
                new EncryptedSecret("local:v1:c2VhbGVk"), createdAt, createdAt, null, tenant);
    }

    private static Map<String, AttributeValue> key(UUID id, String sk) {
        return Map.of("pk", AttributeValue.fromS("INSTALLATION#" + id), "sk", AttributeValue.fromS(sk));
    }
}
