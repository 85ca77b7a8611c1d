package dev.syncline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.adapters.config.Config;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Tenants and their API keys: the operator manages tenants; a tenant's key is shown once, stored as a digest, works
 * for its tenant only, and stops working within the key cache's time once revoked or its tenant disabled.
 */
@AwsIntegrationTest
class TenantsTest {

    /** Long enough for any cached lookup of a 1 s cache to have expired, short enough for a test. */
    private static final Duration REFUSAL_DEADLINE = Duration.ofSeconds(10);

    private AwsStack stack;
    private TestDeployment api;

    @BeforeEach
    void deploy(AwsStack stack) {
        this.stack = stack;
        api = TestDeployment.start(stack, Map.of(Config.ALLOW_PRIVATE_APP_URLS, "true", Config.API_KEY_CACHE_SECONDS, "1"));
    }

    @AfterEach
    void undeploy() {
        api.close();
    }

    @Test
    void operator_createsListsReadsAndDisablesTenants_andIdsAreNeverReused() {
        TestDeployment.Response created = api.post("/v1/tenants", Map.of("id", "acme", "name", "Acme PIM"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/v1/tenants/acme");
        assertThat(created.json().path("id").asText()).isEqualTo("acme");
        assertThat(created.json().path("name").asText()).isEqualTo("Acme PIM");
        assertThat(created.json().path("status").asText()).isEqualTo("active");

        assertThat(api.post("/v1/tenants", Map.of("id", "acme", "name", "Other")).status()).isEqualTo(409);
        assertThat(api.get("/v1/tenants/acme").json().path("name").asText()).isEqualTo("Acme PIM");

        TestDeployment.Response disabled = api.delete("/v1/tenants/acme");
        assertThat(disabled.status()).isEqualTo(200);
        assertThat(disabled.json().path("status").asText()).isEqualTo("disabled");
        assertThat(disabled.json().path("disabled_at").asText()).isNotEmpty();
        assertThat(api.delete("/v1/tenants/acme").json().path("disabled_at").asText())
                .as("disabling again keeps the first time").isEqualTo(disabled.json().path("disabled_at").asText());

        JsonNode listed = api.get("/v1/tenants").json().path("tenants");
        assertThat(listed.findValuesAsText("id")).containsExactly("acme", "default");
        assertThat(listed.get(0).path("status").asText()).isEqualTo("disabled");
        TestDeployment.Response reused = api.post("/v1/tenants", Map.of("id", "acme", "name", "Acme again"));
        assertThat(reused.status()).isEqualTo(409);
        assertThat(reused.json().path("detail").asText()).contains("never reused");
    }

    @Test
    void tenantsListing_pagesWithACursor() {
        for (String id : List.of("alpha", "bravo", "charlie")) {
            assertThat(api.post("/v1/tenants", Map.of("id", id, "name", id)).status()).isEqualTo(201);
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 10; page++) {
            JsonNode body = api.get("/v1/tenants?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            seen.addAll(body.path("tenants").findValuesAsText("id"));
            cursor = body.path("next_cursor").isNull() ? null : body.path("next_cursor").asText();
            if (cursor == null) {
                break;
            }
        }
        assertThat(seen).containsExactly("alpha", "bravo", "charlie", "default");
    }

    @Test
    void badTenantRequests_answerWhatToFix() {
        TestDeployment.Response badId = api.post("/v1/tenants", Map.of("id", "Acme PIM", "name", "Acme"));
        assertThat(badId.status()).isEqualTo(422);
        assertThat(badId.json().path("detail").asText()).contains("tenant_id must be 3–64 characters");
        TestDeployment.Response noName = api.post("/v1/tenants", Map.of("id", "acme"));
        assertThat(noName.status()).isEqualTo(422);
        assertThat(noName.json().path("detail").asText()).contains("name is required");
        TestDeployment.Response defaultTenant = api.delete("/v1/tenants/default");
        assertThat(defaultTenant.status()).isEqualTo(409);
        assertThat(defaultTenant.json().path("detail").asText()).contains("default tenant cannot be disabled");
        assertThat(api.get("/v1/tenants/nobody").status()).isEqualTo(404);
    }

    @Test
    void issuedKey_isShownOnce_listedWithoutItsSecret_andStoredAsItsDigestOnly() {
        api.post("/v1/tenants", Map.of("id", "acme", "name", "Acme PIM"));

        TestDeployment.Response issued = api.post("/v1/tenants/acme/api-keys", Map.of("name", "PIM production"));

        assertThat(issued.status()).isEqualTo(201);
        assertThat(issued.header("Cache-Control")).isEqualTo("no-store");
        String key = issued.json().path("key").asText();
        String keyId = issued.json().path("key_id").asText();
        assertThat(key).matches("sl_[a-z0-9]{12}_[A-Za-z0-9_-]{43}").startsWith("sl_" + keyId + "_");
        assertThat(issued.json().path("prefix").asText()).isEqualTo("sl_" + keyId + "_");
        assertThat(issued.json().path("name").asText()).isEqualTo("PIM production");

        TestDeployment.Response listed = api.get("/v1/tenants/acme/api-keys");
        assertThat(listed.status()).isEqualTo(200);
        JsonNode only = listed.json().path("api_keys").get(0);
        assertThat(only.path("key_id").asText()).isEqualTo(keyId);
        assertThat(only.path("prefix").asText()).isEqualTo("sl_" + keyId + "_");
        assertThat(only.has("key")).isFalse();
        assertThat(listed.body()).doesNotContain(key.substring(("sl_" + keyId + "_").length()));

        Map<String, AttributeValue> item = stack.dynamoDb().getItem(b -> b.tableName(stack.names().table())
                .key(Map.of("pk", AttributeValue.fromS("APIKEY#" + keyId), "sk", AttributeValue.fromS("APIKEY")))).item();
        assertThat(item.get("digest").s()).isEqualTo(TestDeployment.sha256(key));
        assertThat(item.get("tenant_id").s()).isEqualTo("acme");
        assertThat(item.values()).noneMatch(value -> value.toString().contains(key.substring(16)));
    }

    @Test
    void tenantKey_readsItsTenant_andItsUseIsRecorded() {
        String key = api.tenantKey("acme");

        TestDeployment.Response own = api.as(key, "GET", "/v1/tenants/acme", null);

        assertThat(own.status()).isEqualTo(200);
        assertThat(own.json().path("id").asText()).isEqualTo("acme");
        assertThat(api.get("/v1/tenants/acme/api-keys").json().path("api_keys").get(0).path("last_used_at").asText())
                .isNotEmpty();
    }

    @Test
    void revokedKey_isRefusedWithinTheCacheTime_andRevokingAgainChangesNothing() {
        String key = api.tenantKey("acme");
        assertThat(api.as(key, "GET", "/v1/tenants/acme", null).status()).isEqualTo(200);
        String keyId = key.substring(3, 15);

        assertThat(api.delete("/v1/tenants/acme/api-keys/" + keyId).status()).isEqualTo(204);
        String revokedAt = api.get("/v1/tenants/acme/api-keys").json().path("api_keys").get(0).path("revoked_at").asText();
        assertThat(revokedAt).isNotEmpty();
        assertThat(api.delete("/v1/tenants/acme/api-keys/" + keyId).status()).isEqualTo(204);
        assertThat(api.get("/v1/tenants/acme/api-keys").json().path("api_keys").get(0).path("revoked_at").asText())
                .isEqualTo(revokedAt);

        TestDeployment.Response refused = untilRefused(() -> api.as(key, "GET", "/v1/tenants/acme", null));
        assertThat(refused.json().path("type").asText()).isEqualTo("https://syncline.dev/problems/unauthorized");
        assertThat(refused.body()).doesNotContain(key).doesNotContain("revoked_at");
    }

    @Test
    void disabledTenantsKey_isRefusedWithinTheCacheTime() {
        String key = api.tenantKey("acme");
        assertThat(api.as(key, "GET", "/v1/apps", null).status()).isEqualTo(200);

        assertThat(api.delete("/v1/tenants/acme").status()).isEqualTo(200);

        TestDeployment.Response refused = untilRefused(() -> api.as(key, "GET", "/v1/apps", null));
        assertThat(refused.json().path("detail").asText()).startsWith("The API key is not valid for this deployment");
        assertThat(api.post("/v1/tenants/acme/api-keys", Map.of()).status())
                .as("a disabled tenant gets no new keys").isEqualTo(409);
    }

    @Test
    void unknownTenantShapedKeys_areRefused() {
        String key = api.tenantKey("acme");
        String wrongSecret = key.substring(0, key.length() - 2) + (key.endsWith("AA") ? "BB" : "AA");

        for (String presented : List.of("sl_abcdefghijkl_" + "x".repeat(43), wrongSecret, key.substring(0, 16), "sl_" + key)) {
            TestDeployment.Response response = api.as(presented, "GET", "/v1/apps", null);
            assertThat(response.status()).as(presented).isEqualTo(401);
            assertThat(response.body()).doesNotContain(presented);
        }
    }

    @Test
    void tenantKey_getsForbidden_onTheOperatorsRoutes_butReadsTheCatalog() {
        String key = api.tenantKey("acme");
        api.register("shop-export", Manifests.valid(java.net.URI.create("https://apps.example.com/shop-export"), "1.0.0"));

        List<String[]> operatorOnly = List.of(
                new String[] {"PUT", "/v1/apps/shop-export"},
                new String[] {"DELETE", "/v1/apps/shop-export"},
                new String[] {"DELETE", "/v1/apps/shop-export/versions/1.0.0"},
                new String[] {"POST", "/v1/tenants"},
                new String[] {"GET", "/v1/tenants"},
                new String[] {"DELETE", "/v1/tenants/acme"});
        for (String[] route : operatorOnly) {
            Object body = route[0].equals("GET") || route[0].equals("DELETE") ? null : Map.of("id", "other", "name", "x");
            TestDeployment.Response response = api.as(key, route[0], route[1], body);
            assertThat(response.status()).as(route[0] + " " + route[1]).isEqualTo(403);
            assertThat(response.json().path("type").asText()).isEqualTo("https://syncline.dev/problems/forbidden");
            assertThat(response.json().path("detail").asText()).contains("needs the operator's API key");
        }
        assertThat(api.get("/v1/apps/shop-export").json().path("retired").asBoolean(false)).isFalse();
        assertThat(api.get("/v1/tenants/acme").json().path("status").asText()).isEqualTo("active");
        assertThat(api.get("/v1/tenants/other").status()).isEqualTo(404);

        assertThat(api.as(key, "GET", "/v1/apps", null).status()).isEqualTo(200);
        assertThat(api.as(key, "GET", "/v1/apps/shop-export", null).status()).isEqualTo(200);
        assertThat(api.as(key, "GET", "/v1/apps/shop-export/versions", null).status()).isEqualTo(200);
    }

    @Test
    void tenantKey_seesAnotherTenantExactlyAsAnUnknownOne_andChangesNothingOfIt() {
        String acme = api.tenantKey("acme");
        String globexKey = api.tenantKey("globex");
        String globexKeyId = globexKey.substring(3, 15);

        for (String[] route : List.of(
                new String[] {"GET", "/v1/tenants/%s"},
                new String[] {"GET", "/v1/tenants/%s/api-keys"},
                new String[] {"POST", "/v1/tenants/%s/api-keys"},
                new String[] {"DELETE", "/v1/tenants/%s/api-keys/" + globexKeyId})) {
            TestDeployment.Response other = api.as(acme, route[0], route[1].formatted("globex"), null);
            TestDeployment.Response unknown = api.as(acme, route[0], route[1].formatted("nobody"), null);
            assertThat(other.status()).as(route[0] + " " + route[1]).isEqualTo(404);
            assertThat(other.json().path("detail").asText().replace("globex", "nobody"))
                    .isEqualTo(unknown.json().path("detail").asText());
        }
        JsonNode globexKeys = api.get("/v1/tenants/globex/api-keys").json().path("api_keys");
        assertThat(globexKeys).hasSize(1);
        assertThat(globexKeys.get(0).path("revoked_at").isNull()).isTrue();
        assertThat(api.as(globexKey, "GET", "/v1/tenants/globex", null).status()).isEqualTo(200);
    }

    @Test
    void tenant_rotatesItsOwnKey_withoutTheOperator() {
        String old = api.tenantKey("acme");

        TestDeployment.Response issued = api.as(old, "POST", "/v1/tenants/acme/api-keys", Map.of("name", "next"));
        assertThat(issued.status()).isEqualTo(201);
        String next = issued.json().path("key").asText();
        assertThat(api.as(next, "DELETE", "/v1/tenants/acme/api-keys/" + old.substring(3, 15), null).status()).isEqualTo(204);

        untilRefused(() -> api.as(old, "GET", "/v1/tenants/acme", null));
        assertThat(api.as(next, "GET", "/v1/tenants/acme/api-keys", null).json().path("api_keys").findValuesAsText("name"))
                .containsExactly("next", "tests");
    }

    @Test
    void operatorKey_keepsWorkingForEveryRoute_nextToTenantKeys() {
        api.tenantKey("acme");

        assertThat(api.get("/v1/tenants").status()).isEqualTo(200);
        assertThat(api.get("/v1/tenants/acme").status()).isEqualTo(200);
        assertThat(api.post("/v1/tenants/acme/api-keys", null).status()).isEqualTo(201);
        assertThat(api.get("/v1/apps").status()).isEqualTo(200);
        assertThat(api.register("shop-export", Manifests.valid(java.net.URI.create("https://apps.example.com/shop-export"), "1.0.0"))
                .path("app_id").asText()).isEqualTo("shop-export");
    }

    /** Sends until the answer is 401, within {@link #REFUSAL_DEADLINE}; fails if it never is. */
    private static TestDeployment.Response untilRefused(Supplier<TestDeployment.Response> request) {
        Instant deadline = Instant.now().plus(REFUSAL_DEADLINE);
        TestDeployment.Response response = request.get();
        while (response.status() != 401 && Instant.now().isBefore(deadline)) {
            sleep(Duration.ofMillis(100));
            response = request.get();
        }
        assertThat(response.status()).as("the key is refused within " + REFUSAL_DEADLINE.toSeconds() + " s").isEqualTo(401);
        return response;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
