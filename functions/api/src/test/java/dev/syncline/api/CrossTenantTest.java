package dev.syncline.api;

import static dev.syncline.api.Manifests.valid;
import static dev.syncline.api.Manifests.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.adapters.config.Config;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.sampleapp.SampleConfiguration;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Two tenants on one deployment: tenant B's key, sent to every route with tenant A's ids, learns nothing of A (404
 * exactly as for an id that names nothing, or 403 on the operator's routes) and changes nothing of A; A's key sees
 * its own, the operator sees both and filters by tenant, and one tenant's active runs are capped without holding up
 * another's.
 */
@AwsIntegrationTest
class CrossTenantTest {

    private static final String APP = "shop-feed";
    private static final List<String> FEATURES = List.of("synchronization", "synchronization_full", "synchronization_file_download",
            "synchronization_file_download_latest", "synchronization_scheduler");
    private static final String SNAPSHOT = """
            {"type":"product","sku":"SKU-1","product_type":"SIMPLE"}
            """;

    private AwsStack stack;
    private SampleApp app;
    private TestDeployment api;
    private String keyA;
    private String keyB;

    /** What tenant A has, by the ids its paths name. */
    private String installationA;
    private String snapshotA;
    private String runA;
    private String feedUrlA;

    @BeforeEach
    void start(AwsStack stack) throws IOException {
        this.stack = stack;
        app = SampleApp.start(0);
        api = TestDeployment.allowingLocalApps(stack);
        api.register(APP, with(valid(app.baseUri(), "1.0.0"), "features", FEATURES));
        keyA = api.tenantKey("tenant-a");
        keyB = api.tenantKey("tenant-b");
    }

    @AfterEach
    void stop() {
        api.close();
        app.close();
    }

    /** One request of the corpus: a route, and the concrete request tenant B sends on it. */
    private record Case(String route, String method, String path, Object body) {
    }

    @Test
    void tenantB_onEveryRouteWithTenantAsIds_learnsNothingAndChangesNothing() throws IOException, URISyntaxException {
        givenTenantAWithAnInstallationASnapshotARunAScheduleAndAFeed();
        String installationB = installAs(keyB);
        JsonNode installationBefore = operatorView(installationA);
        JsonNode scheduleBefore = api.get("/v1/installations/" + installationA + "/schedule").json();
        String tokenA = appTokenOf(installationA);
        String inA = "/v1/installations/" + installationA;
        String runPath = "/v1/synchronizations/" + runA;

        List<Case> scoped = List.of(
                new Case("GET /v1/installations/{installation_id}", "GET", inA, null),
                new Case("DELETE /v1/installations/{installation_id}", "DELETE", inA, null),
                new Case("PATCH /v1/installations/{installation_id}", "PATCH", inA, Map.of("name", "Taken over")),
                new Case("POST /v1/installations/{installation_id}/snapshots", "POST", inA + "/snapshots", SNAPSHOT),
                new Case("GET /v1/installations/{installation_id}/snapshots", "GET", inA + "/snapshots", null),
                new Case("GET /v1/installations/{installation_id}/snapshots/{snapshot_id}", "GET", inA + "/snapshots/" + snapshotA, null),
                new Case("DELETE /v1/installations/{installation_id}/snapshots/{snapshot_id}", "DELETE", inA + "/snapshots/" + snapshotA, null),
                new Case("POST /v1/installations/{installation_id}/synchronizations", "POST", inA + "/synchronizations",
                        Map.of("snapshot_id", snapshotA, "mode", "full")),
                new Case("POST /v1/installations/{installation_id}/plans", "POST", inA + "/plans",
                        Map.of("snapshot_id", snapshotA, "mode", "full")),
                new Case("GET /v1/installations/{installation_id}/synchronizations", "GET", inA + "/synchronizations", null),
                new Case("GET /v1/synchronizations/{synchronization_id}", "GET", runPath, null),
                new Case("GET /v1/synchronizations/{synchronization_id}/entries", "GET", runPath + "/entries", null),
                new Case("POST /v1/synchronizations/{synchronization_id}/cancel", "POST", runPath + "/cancel", Map.of()),
                new Case("POST /v1/synchronizations/{synchronization_id}/confirm", "POST", runPath + "/confirm", Map.of()),
                new Case("GET /v1/synchronizations/{synchronization_id}/file", "GET", runPath + "/file", null),
                new Case("GET /v1/installations/{installation_id}/feed", "GET", inA + "/feed", null),
                new Case("POST /v1/installations/{installation_id}/feed-token", "POST", inA + "/feed-token", null),
                new Case("PUT /v1/installations/{installation_id}/feed/basic-auth", "PUT", inA + "/feed/basic-auth",
                        Map.of("username", "intruder", "password", "a-long-password")),
                new Case("DELETE /v1/installations/{installation_id}/feed/basic-auth", "DELETE", inA + "/feed/basic-auth", null),
                new Case("GET /v1/installations/{installation_id}/configuration", "GET", inA + "/configuration", null),
                new Case("POST /v1/installations/{installation_id}/configuration", "POST", inA + "/configuration",
                        Map.of("index", 0, "configuration", TestDeployment.JSON.readTree(SampleConfiguration.EXAMPLE.get(0)))),
                new Case("GET /v1/installations/{installation_id}/dictionaries/{name}", "GET", inA + "/dictionaries/ergonode:attributes", null),
                new Case("PUT /v1/installations/{installation_id}/schedule", "PUT", inA + "/schedule",
                        Map.of("expression", "rate(5 minutes)", "mode", "full")),
                new Case("GET /v1/installations/{installation_id}/schedule", "GET", inA + "/schedule", null),
                new Case("DELETE /v1/installations/{installation_id}/schedule", "DELETE", inA + "/schedule", null),
                new Case("GET /v1/installations/{installation_id}/webhook-deliveries", "GET", inA + "/webhook-deliveries", null),
                new Case("GET /v1/installations/{installation_id}/costs", "GET", inA + "/costs", null));
        List<Case> operatorOnly = List.of(
                new Case("PUT /v1/apps/{app_id}", "PUT", "/v1/apps/" + APP,
                        with(with(valid(app.baseUri(), "9.0.0"), "features", FEATURES), "url", "https://intruder.example.com")),
                new Case("DELETE /v1/apps/{app_id}", "DELETE", "/v1/apps/" + APP, null),
                new Case("DELETE /v1/apps/{app_id}/versions/{version}", "DELETE", "/v1/apps/" + APP + "/versions/1.0.0", null),
                new Case("GET /v1/metrics", "GET", "/v1/metrics?installation_id=" + installationA, null),
                new Case("POST /v1/tenants", "POST", "/v1/tenants", Map.of("id", "tenant-c", "name", "Planted")),
                new Case("GET /v1/tenants", "GET", "/v1/tenants", null),
                new Case("DELETE /v1/tenants/{tenant_id}", "DELETE", "/v1/tenants/tenant-a", null));
        JsonNode keysOfA = api.get("/v1/tenants/tenant-a/api-keys").json().path("api_keys");
        String tenantA = "/v1/tenants/tenant-a";
        List<Case> ownTenant = List.of(
                new Case("GET /v1/tenants/{tenant_id}", "GET", tenantA, null),
                new Case("POST /v1/tenants/{tenant_id}/api-keys", "POST", tenantA + "/api-keys", Map.of("name", "planted")),
                new Case("GET /v1/tenants/{tenant_id}/api-keys", "GET", tenantA + "/api-keys", null),
                new Case("DELETE /v1/tenants/{tenant_id}/api-keys/{key_id}", "DELETE",
                        tenantA + "/api-keys/" + keysOfA.path(0).path("key_id").asText(), null));
        List<String> covered = new ArrayList<>();

        for (Case attempt : scoped) {
            TestDeployment.Response answer = asB(attempt.method(), attempt.path(), attempt.body());
            // The same request with ids that name nothing: the answer must not tell the two apart.
            String stranger = UUID.randomUUID().toString();
            TestDeployment.Response unknown = asB(attempt.method(),
                    attempt.path().replace(installationA, stranger).replace(runA, stranger), attempt.body());
            assertThat(answer.status()).as(attempt.route()).isEqualTo(404);
            assertThat(comparable(answer, installationA, runA)).as(attempt.route() + " answers as for an unknown id")
                    .isEqualTo(comparable(unknown, stranger, stranger));
            covered.add(attempt.route());
        }
        for (Case attempt : operatorOnly) {
            TestDeployment.Response answer = asB(attempt.method(), attempt.path(), attempt.body());
            assertThat(answer.status()).as(attempt.route()).isEqualTo(403);
            assertThat(answer.json().path("type").asText()).isEqualTo("https://syncline.dev/problems/forbidden");
            assertThat(answer.json().path("detail").asText()).contains("needs the operator's API key");
            assertThat(answer.body()).doesNotContain(installationA);
            covered.add(attempt.route());
        }

        for (Case attempt : ownTenant) {
            // Another tenant's id below /v1/tenants answers as an id of no tenant.
            TestDeployment.Response answer = asB(attempt.method(), attempt.path(), attempt.body());
            TestDeployment.Response unknown = asB(attempt.method(), attempt.path().replace("tenant-a", "tenant-unknown"), attempt.body());
            assertThat(answer.status()).as(attempt.route()).isEqualTo(404);
            assertThat(comparable(answer, "tenant-a", "tenant-a")).as(attempt.route() + " answers as for an unknown tenant")
                    .isEqualTo(comparable(unknown, "tenant-unknown", "tenant-unknown"));
            covered.add(attempt.route());
        }

        // Listings show B its own only; naming A's tenant is refused.
        TestDeployment.Response listed = asB("GET", "/v1/installations", null);
        assertThat(ids(listed.json().path("installations"))).containsExactly(installationB);
        TestDeployment.Response byApp = asB("GET", "/v1/installations?app_id=" + APP, null);
        assertThat(ids(byApp.json().path("installations"))).containsExactly(installationB);
        TestDeployment.Response naming = asB("GET", "/v1/installations?tenant_id=tenant-a", null);
        assertThat(naming.status()).isEqualTo(422);
        assertThat(naming.json().path("violations").path(0).path("field").asText()).isEqualTo("tenant_id");
        covered.add("GET /v1/installations");
        // Installing into A's tenant is refused, and nothing is installed.
        TestDeployment.Response intoA = asB("POST", "/v1/installations", Map.of("app_id", APP, "name", "Planted",
                "api_url", "https://pim.example.com/api", "tenant_id", "tenant-a"));
        assertThat(intoA.status()).isEqualTo(422);
        assertThat(intoA.json().path("violations").path(0).path("message").asText())
                .isEqualTo("a tenant's key installs for its own tenant only (tenant-b): leave tenant_id out");
        covered.add("POST /v1/installations");
        // A's App token, asked about with B's key, is refused exactly as a token of no installation.
        UUID stranger = UUID.randomUUID();
        TestDeployment.Response verified = asB("POST", "/v1/app-tokens/verify", Map.of("token", tokenA));
        assertThat(verified.status()).isEqualTo(401);
        assertThat(verified.json().path("reason").asText()).isEqualTo("unknown_installation");
        assertThat(verified.json().path("detail").asText().replace(installationA, "{id}")).isEqualTo(
                asB("POST", "/v1/app-tokens/verify", Map.of("token", appTokenSignedFor(stranger))).json().path("detail").asText()
                        .replace(stranger.toString(), "{id}"));
        assertThat(asA("POST", "/v1/app-tokens/verify", Map.of("token", tokenA)).status()).as("A's own token").isEqualTo(200);
        covered.add("POST /v1/app-tokens/verify");
        // The catalog is every tenant's to read; it holds nothing of a tenant.
        for (String route : List.of("GET /v1/apps", "GET /v1/apps/{app_id}", "GET /v1/apps/{app_id}/versions")) {
            String path = route.substring(4).replace("{app_id}", APP);
            TestDeployment.Response read = asB("GET", path, null);
            assertThat(read.status()).as(route).isEqualTo(200);
            assertThat(read.body()).doesNotContain(installationA).doesNotContain("intruder");
            covered.add(route);
        }
        // Routes without a key: the dashboard, its assets and the contract hold no tenant's data.
        for (String route : List.of("GET /", "GET /assets/{version}/{file}", "GET /v1/openapi.json")) {
            String path = route.substring(4).replace("{version}", "v1").replace("{file}", "app.js");
            assertThat(asB("GET", path, null).body()).as(route).doesNotContain(installationA);
            covered.add(route);
        }
        // A feed URL is its own credential: B's key gets no other URL from it, and B's feed is not A's.
        String feedPath = feedUrlA.substring(feedUrlA.indexOf("/feeds/"));
        String feedB = asB("GET", "/v1/installations/" + installationB + "/feed", null).json().path("feed_url").asText();
        assertThat(feedB).isNotEqualTo(feedUrlA);
        for (String method : List.of("GET", "HEAD")) {
            TestDeployment.Response guessed = asB(method, "/feeds/" + "0".repeat(64), null);
            assertThat(guessed.status()).as(method + " of a token nobody was given").isEqualTo(404);
            TestDeployment.Response served = asB(method, feedPath, null);
            assertThat(served.body() == null ? "" : served.body()).doesNotContain(installationA);
            covered.add(method + " /feeds/{feed_token}");
        }

        assertThat(covered).as("every route has a case: add one for a new route").containsExactlyInAnyOrderElementsOf(api.routes());
        // So every call the dashboard makes is in the corpus: each names one of those routes.
        List<String> dashboardCalls = dashboardCalls();
        assertThat(dashboardCalls).as("the dashboard's scripts were read").hasSizeGreaterThan(10);
        assertThat(dashboardCalls).allSatisfy(call -> assertThat(api.routes()).as(call)
                .anyMatch(route -> names(call, route.substring(route.indexOf(' ') + 1))));

        // Nothing of A changed.
        assertThat(operatorView(installationA)).isEqualTo(installationBefore);
        assertThat(api.get("/v1/installations/" + installationA + "/feed").json().path("feed_url").asText()).isEqualTo(feedUrlA);
        assertThat(api.get("/v1/installations/" + installationA + "/feed").json().path("basic_auth").asBoolean(false)).isFalse();
        assertThat(api.get("/v1/synchronizations/" + runA).json().path("status").asText()).isEqualTo("preparing");
        assertThat(api.get(inA + "/synchronizations").json().path("synchronizations")).hasSize(1);
        assertThat(api.get(inA + "/snapshots/" + snapshotA).status()).isEqualTo(200);
        assertThat(api.get(inA + "/snapshots").json().path("snapshots")).hasSize(1);
        assertThat(api.get(inA + "/schedule").json()).isEqualTo(scheduleBefore);
        JsonNode catalog = api.get("/v1/apps/" + APP).json();
        assertThat(catalog.path("version").asText()).isEqualTo("1.0.0");
        assertThat(catalog.path("url").asText()).isEqualTo(valid(app.baseUri(), "1.0.0").get("url"));
        assertThat(api.get("/v1/apps/" + APP + "/versions").body()).doesNotContain("\"retired\":true").doesNotContain("9.0.0");
        assertThat(ids(api.get("/v1/installations?tenant_id=tenant-a").json().path("installations"))).containsExactly(installationA);
        JsonNode keysAfter = api.get(tenantA + "/api-keys").json().path("api_keys");
        assertThat(keysAfter).hasSameSizeAs(keysOfA);
        assertThat(keysAfter.path(0).hasNonNull("revoked_at")).as("A's key is not revoked").isFalse();
        assertThat(api.get(tenantA).json().path("status").asText()).isEqualTo("active");
        assertThat(api.get("/v1/tenants/tenant-c").status()).as("no tenant planted").isEqualTo(404);
    }

    @Test
    void tenantA_seesItsOwn_andTheOperatorSeesBothAndFiltersByTenant() {
        String a = installAs(keyA);
        String b = installAs(keyB);
        String operators = api.install(APP).path("id").asText();

        assertThat(asA("GET", "/v1/installations/" + a, null).json().path("tenant_id").asText()).isEqualTo("tenant-a");
        assertThat(ids(asA("GET", "/v1/installations", null).json().path("installations"))).containsExactly(a);
        assertThat(ids(asA("GET", "/v1/installations?tenant_id=tenant-a", null).json().path("installations"))).containsExactly(a);
        assertThat(ids(api.get("/v1/installations").json().path("installations"))).contains(a, b, operators);
        assertThat(ids(api.get("/v1/installations?tenant_id=tenant-b").json().path("installations"))).containsExactly(b);
        assertThat(ids(api.get("/v1/installations?tenant_id=default").json().path("installations"))).containsExactly(operators);
        assertThat(ids(api.get("/v1/installations?app_id=" + APP + "&tenant_id=tenant-a").json().path("installations")))
                .containsExactly(a);
        assertThat(api.get("/v1/installations/" + b).json().path("tenant_id").asText()).isEqualTo("tenant-b");
        assertThat(api.get("/v1/installations/" + operators).json().path("tenant_id").asText()).isEqualTo("default");
    }

    @Test
    void anInstallationStoredBeforeTenants_isListedAsTheDefaultTenants_forTheOperatorAndTheDefaultTenantsKey() {
        String before = api.install(APP).path("id").asText();
        String a = installAs(keyA);
        // As stored before tenants and listing items existed: the installation item alone, without tenant_id.
        String table = stack.names().table();
        Map<String, AttributeValue> item = Map.of("pk", AttributeValue.fromS("INSTALLATION#" + before), "sk", AttributeValue.fromS("INSTALLATION"));
        stack.dynamoDb().updateItem(b -> b.tableName(table).key(item).updateExpression("REMOVE tenant_id"));
        for (String listing : List.of("LISTING", "TENANT_LISTING")) {
            stack.dynamoDb().deleteItem(b -> b.tableName(table)
                    .key(Map.of("pk", AttributeValue.fromS("INSTALLATION#" + before), "sk", AttributeValue.fromS(listing))));
        }
        String defaultKey = api.tenantKey("default");

        assertThat(ids(api.get("/v1/installations?tenant_id=default").json().path("installations"))).containsExactly(before);
        assertThat(ids(api.as(defaultKey, "GET", "/v1/installations", null).json().path("installations"))).containsExactly(before);
        assertThat(ids(api.get("/v1/installations").json().path("installations"))).containsExactly(a, before);
        assertThat(api.as(defaultKey, "GET", "/v1/installations/" + before, null).json().path("tenant_id").asText()).isEqualTo("default");
        assertThat(ids(asA("GET", "/v1/installations", null).json().path("installations"))).containsExactly(a);
    }

    @Test
    void aTenantsListing_pagesThroughItsOwnOnly_andACursorDoesNotCrossToAnotherTenant() {
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            mine.add(installAs(keyA));
            installAs(keyB);
        }
        JsonNode first = asA("GET", "/v1/installations?limit=2", null).json();
        String cursor = first.path("next_cursor").asText();
        JsonNode second = asA("GET", "/v1/installations?limit=2&cursor=" + cursor, null).json();

        List<String> paged = new ArrayList<>(ids(first.path("installations")));
        paged.addAll(ids(second.path("installations")));
        assertThat(paged).containsExactlyElementsOf(mine.reversed());
        assertThat(second.path("next_cursor").isNull()).isTrue();
        TestDeployment.Response crossed = asB("GET", "/v1/installations?limit=2&cursor=" + cursor, null);
        assertThat(crossed.status()).isEqualTo(422);
        assertThat(crossed.json().path("violations").path(0).path("field").asText()).isEqualTo("cursor");
    }

    @Test
    void theOperator_installsForTheDefaultTenant_andARefusedTenantIdNamesTheField() {
        TestDeployment.Response unknown = api.post("/v1/installations", Map.of("app_id", APP, "name", "Shop DE",
                "api_url", "https://pim.example.com/api", "tenant_id", "never-created"));
        TestDeployment.Response malformed = api.post("/v1/installations", Map.of("app_id", APP, "name", "Shop DE",
                "api_url", "https://pim.example.com/api", "tenant_id", "Not A Tenant"));

        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.json().path("violations").path(0).path("field").asText()).isEqualTo("tenant_id");
        assertThat(unknown.json().path("violations").path(0).path("message").asText())
                .startsWith("tenant_id 'never-created' names no active tenant of this deployment");
        assertThat(malformed.status()).isEqualTo(422);
        assertThat(malformed.json().path("violations").path(0).path("message").asText()).startsWith("tenant_id must be 3–64 characters");
        assertThat(api.get("/v1/installations").json().path("installations")).isEmpty();
        assertThat(app.receivedRequests()).as("no App heard of a refused install").isEmpty();
    }

    @Test
    void theRunLimit_refusesATenantsTriggerBeyondIt_whileAnotherTenantStillTriggers() {
        // This deployment allows two active runs per tenant; closed after the test as usual.
        api.close();
        api = TestDeployment.start(stack, Map.of(Config.ALLOW_PRIVATE_APP_URLS, "true", Config.TENANT_MAX_ACTIVE_RUNS, "2"));
        {
            List<String> triggered = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                TestDeployment.Response accepted = trigger(keyA, installAs(keyA));
                assertThat(accepted.status()).isEqualTo(202);
                triggered.add(accepted.json().path("synchronization").path("id").asText());
            }
            String third = installAs(keyA);

            TestDeployment.Response refused = trigger(keyA, third);
            TestDeployment.Response other = trigger(keyB, installAs(keyB));

            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.json().path("type").asText()).isEqualTo("https://syncline.dev/problems/tenant-run-limit");
            assertThat(refused.json().path("detail").asText()).isEqualTo("Tenant tenant-a has 2 active synchronizations, and this"
                    + " deployment allows at most 2 per tenant; wait for one to end (or cancel one) and trigger again.");
            assertThat(asA("GET", "/v1/installations/" + third + "/synchronizations", null).json().path("synchronizations"))
                    .as("the refused trigger started nothing").isEmpty();
            assertThat(other.status()).as("another tenant is not held up").isEqualTo(202);
            // A scheduled run beyond the limit is not started either, and the schedule records why.
            snapshot(keyA, third);
            assertThat(asA("PUT", "/v1/installations/" + third + "/schedule", Map.of("expression", "rate(5 minutes)", "mode", "full"))
                    .status()).isEqualTo(200);
            api.services().schedules().fire(UUID.fromString(third), Instant.now());
            JsonNode outcome = asA("GET", "/v1/installations/" + third + "/schedule", null).json().path("last_outcome");
            assertThat(outcome.path("outcome").asText()).isEqualTo("failed");
            assertThat(outcome.path("reason").asText()).isEqualTo(refused.json().path("detail").asText());
            assertThat(asA("GET", "/v1/installations/" + third + "/synchronizations", null).json().path("synchronizations")).isEmpty();
            assertThat(asA("POST", "/v1/synchronizations/" + triggered.get(0) + "/cancel", Map.of()).status()).isEqualTo(200);
            assertThat(trigger(keyA, third).status()).as("a place freed by a cancel").isEqualTo(202);
        }
    }

    @Test
    void aDisabledTenant_startsNoRunByTriggerOrSchedule_whileItsActiveRunIsLeftToEnd_andAnotherTenantRunsOn() {
        String active = installAs(keyA);
        TestDeployment.Response running = trigger(keyA, active);
        assertThat(running.status()).isEqualTo(202);
        String activeRun = running.json().path("synchronization").path("id").asText();
        String scheduled = installAs(keyA);
        String snapshot = snapshot(keyA, scheduled);
        assertThat(asA("PUT", "/v1/installations/" + scheduled + "/schedule", Map.of("expression", "rate(5 minutes)", "mode", "full"))
                .status()).isEqualTo(200);

        assertThat(api.delete("/v1/tenants/tenant-a").status()).isEqualTo(200);

        TestDeployment.Response refused = api.post("/v1/installations/" + scheduled + "/synchronizations",
                Map.of("snapshot_id", snapshot, "mode", "full"));
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.json().path("detail").asText()).startsWith("installation " + scheduled + " belongs to tenant 'tenant-a', disabled at ")
                .endsWith(": a disabled tenant's installations start no synchronizations; its data stays for the operator to read");
        api.services().schedules().fire(UUID.fromString(scheduled), Instant.now());
        JsonNode outcome = api.get("/v1/installations/" + scheduled + "/schedule").json().path("last_outcome");
        assertThat(outcome.path("outcome").asText()).isEqualTo("failed");
        assertThat(outcome.path("reason").asText()).isEqualTo(refused.json().path("detail").asText());
        assertThat(api.get("/v1/installations/" + scheduled + "/synchronizations").json().path("synchronizations"))
                .as("neither the operator's trigger nor the schedule started a run").isEmpty();
        assertThat(api.get("/v1/synchronizations/" + activeRun).json().path("status").asText())
                .as("the run active at disable is not cancelled").isNotEqualTo("cancelled");
        assertThat(trigger(keyB, installAs(keyB)).status()).as("another tenant is not held up").isEqualTo(202);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private void givenTenantAWithAnInstallationASnapshotARunAScheduleAndAFeed() {
        installationA = installAs(keyA);
        snapshotA = snapshot(keyA, installationA);
        TestDeployment.Response run = asA("POST", "/v1/installations/" + installationA + "/synchronizations",
                Map.of("snapshot_id", snapshotA, "mode", "full"));
        assertThat(run.status()).isEqualTo(202);
        runA = run.json().path("synchronization").path("id").asText();
        assertThat(asA("PUT", "/v1/installations/" + installationA + "/schedule", Map.of("expression", "cron(0 3 * * ? *)", "mode", "full")).status())
                .isEqualTo(200);
        feedUrlA = asA("GET", "/v1/installations/" + installationA + "/feed", null).json().path("feed_url").asText();
        assertThat(feedUrlA).contains("/feeds/");
    }

    /** Installs the App with {@code key} and submits the sample App's configuration, as that tenant's PIM would. */
    private String installAs(String key) {
        TestDeployment.Response installed = api.as(key, "POST", "/v1/installations", Map.of("app_id", APP, "name", "Shop DE",
                "api_url", "https://pim.example.com/api"));
        assertThat(installed.status()).as(installed.body()).isEqualTo(201);
        String id = installed.json().path("id").asText();
        for (int index = 0; index < SampleConfiguration.EXAMPLE.size(); index++) {
            TestDeployment.Response step = api.as(key, "POST", "/v1/installations/" + id + "/configuration", Map.of("index", index,
                    "configuration", TestDeployment.JSON.readTree(SampleConfiguration.EXAMPLE.get(index))));
            assertThat(step.status()).as(step.body()).isEqualTo(200);
        }
        return id;
    }

    private String snapshot(String key, String installation) {
        TestDeployment.Response stored = api.send(TestDeployment.event("POST", "/v1/installations/" + installation + "/snapshots",
                Map.of("authorization", "Bearer " + key, "content-type", "application/x-ndjson"), SNAPSHOT));
        assertThat(stored.status()).as(stored.body()).isEqualTo(201);
        return stored.json().path("snapshot_id").asText();
    }

    private TestDeployment.Response trigger(String key, String installation) {
        return api.as(key, "POST", "/v1/installations/" + installation + "/synchronizations",
                Map.of("snapshot_id", snapshot(key, installation), "mode", "full"));
    }

    private TestDeployment.Response asA(String method, String path, Object body) {
        return api.as(keyA, method, path, body);
    }

    private TestDeployment.Response asB(String method, String path, Object body) {
        if (body instanceof String text) {
            // A snapshot: NDJSON, as a PIM uploads it.
            return api.send(TestDeployment.event(method, path, Map.of("authorization", "Bearer " + keyB,
                    "content-type", "application/x-ndjson"), text));
        }
        return api.as(keyB, method, path, body);
    }

    /**
     * The API paths the dashboard's scripts call, with each interpolated segment as {@code x} and without the query:
     * {@code `v1/installations/${id}/schedule`} is {@code /v1/installations/x/schedule}.
     */
    private static List<String> dashboardCalls() throws IOException, URISyntaxException {
        List<String> calls = new ArrayList<>();
        try (Stream<Path> scripts = Files.list(Path.of(CrossTenantTest.class.getResource("/dashboard/assets").toURI()))) {
            for (Path script : scripts.filter(file -> file.toString().endsWith(".js")).toList()) {
                String text = Files.readString(script);
                for (int at = text.indexOf("`v1/"); at >= 0; at = text.indexOf("`v1/", at + 1)) {
                    calls.add(pathAt(text, at + 1));
                }
            }
        }
        return calls;
    }

    /** Whether a dashboard call can be a request of the route {@code template}: {@code x} is any segment, as is {@code {name}}. */
    private static boolean names(String call, String template) {
        String[] calls = call.split("/", -1);
        String[] templates = template.split("/", -1);
        if (calls.length != templates.length) {
            return false;
        }
        for (int i = 0; i < calls.length; i++) {
            if (!calls[i].equals(templates[i]) && !calls[i].equals("x") && !templates[i].startsWith("{")) {
                return false;
            }
        }
        return true;
    }

    private static String pathAt(String text, int from) {
        StringBuilder path = new StringBuilder("/");
        int i = from;
        while (i < text.length() && "`'?".indexOf(text.charAt(i)) < 0) {
            if (!text.startsWith("${", i)) {
                path.append(text.charAt(i++));
                continue;
            }
            if (path.charAt(path.length() - 1) != '/') {
                break; // an interpolated query string
            }
            path.append('x');
            int depth = 0;
            do {
                char c = text.charAt(++i);
                depth += c == '{' ? 1 : c == '}' ? -1 : 0;
            } while (depth > 0);
            i++;
        }
        return path.toString();
    }

    private JsonNode operatorView(String installation) {
        return api.get("/v1/installations/" + installation).json();
    }

    /** A problem answer with the ids it names and its request id taken out: what must not differ. */
    private static JsonNode comparable(TestDeployment.Response answer, String installation, String run) {
        ObjectNode problem = (ObjectNode) TestDeployment.JSON.readTree(answer.body()
                .replace(installation, "{id}").replace(run, "{id}"));
        problem.remove("request_id");
        problem.put("status_line", answer.status());
        return problem;
    }

    private static List<String> ids(JsonNode installations) {
        List<String> ids = new ArrayList<>();
        installations.forEach(installation -> ids.add(installation.path("id").asText()));
        return ids;
    }

    private String appTokenOf(String installation) {
        return appTokenSignedFor(UUID.fromString(installation));
    }

    /** A token naming {@code installation}, signed with A's secret: a stranger has none of its own. */
    private String appTokenSignedFor(UUID installation) {
        return AppTokenVerificationTest.appToken(installation, TestDeployment.storedSecret(stack, UUID.fromString(installationA)),
                Instant.now(), token -> token);
    }
}
