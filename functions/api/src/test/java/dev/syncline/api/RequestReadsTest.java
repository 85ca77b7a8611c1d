package dev.syncline.api;

import static dev.syncline.api.Manifests.valid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.adapters.metrics.AwsCallCounter;
import dev.syncline.adapters.metrics.AwsCalls;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.sampleapp.SampleConfiguration;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import dev.syncline.core.sync.Phase;
import dev.syncline.core.sync.RunPreview;
import dev.syncline.core.sync.RunStatus;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a request costs in DynamoDB reads when a tenant's key sends it: the check that the installation or run is the
 * tenant's reads what the endpoint then uses, so a tenant's request reads no more than the operator's (which is not
 * checked), but for a run's installation, which only the check needs. And what the request read says in its log line
 * whose installation it touched.
 */
@AwsIntegrationTest
class RequestReadsTest {

    private static final String APP = "shop-export";

    private SampleApp app;
    private TestDeployment api;
    private String key;
    private String installation;

    @BeforeEach
    void start(AwsStack stack) throws IOException {
        app = SampleApp.start(0);
        api = TestDeployment.allowingLocalApps(stack);
        api.register(APP, valid(app.baseUri(), "1.0.0"));
        key = api.tenantKey("acme-shop");
        TestDeployment.Response installed = api.as(key, "POST", "/v1/installations", Map.of("app_id", APP, "name", "Shop DE",
                "api_url", "https://pim.example.com/api"));
        assertThat(installed.status()).as(installed.body()).isEqualTo(201);
        installation = installed.json().path("id").asText();
        for (int index = 0; index < SampleConfiguration.EXAMPLE.size(); index++) {
            assertThat(api.as(key, "POST", "/v1/installations/" + installation + "/configuration", Map.of("index", index,
                    "configuration", TestDeployment.JSON.readTree(SampleConfiguration.EXAMPLE.get(index)))).status()).isEqualTo(200);
        }
    }

    @AfterEach
    void stop() {
        api.close();
        app.close();
    }

    @Test
    void aTenantsGetOfItsInstallation_readsNoMoreThanTheOperatorsGet() {
        String path = "/v1/installations/" + installation;

        long operator = getItems(TestDeployment.API_KEY, path);
        long tenant = getItems(key, path);

        System.out.printf("GetItem calls of GET %s: operator %d, tenant key %d%n", "/v1/installations/{id}", operator, tenant);
        assertThat(tenant).as("the check reads the installation the endpoint shows").isEqualTo(operator);
    }

    @Test
    void aTenantsGetOfItsRun_readsTheRunOnce_andOnlyItsInstallationMore() {
        String path = "/v1/synchronizations/" + triggerRun();

        long operator = getItems(TestDeployment.API_KEY, path);
        long tenant = getItems(key, path);

        System.out.printf("GetItem calls of GET %s: operator %d, tenant key %d%n", "/v1/synchronizations/{id}", operator, tenant);
        assertThat(tenant).as("the run read once; its installation read for the check only").isEqualTo(operator + 1);
    }

    @Test
    void anOperatorsRequest_isLoggedWithTheTenantOfTheInstallationItRead() {
        JsonNode line = logLine(TestDeployment.API_KEY, "/v1/installations/" + installation);

        assertThat(line.path("caller").asText()).isEqualTo("operator");
        assertThat(line.path("tenant_id").asText()).isEqualTo("acme-shop");
        assertThat(line.path("status").asInt()).isEqualTo(200);
    }

    @Test
    void aRunsRequest_isLoggedWithTheInstallationOfTheRun_butNotWhenAnotherTenantAsks() {
        String run = triggerRun();
        String otherKey = api.tenantKey("globex");

        JsonNode operators = logLine(TestDeployment.API_KEY, "/v1/synchronizations/" + run);
        JsonNode owners = logLine(key, "/v1/synchronizations/" + run);
        JsonNode others = logLine(otherKey, "/v1/synchronizations/" + run);

        assertThat(operators.path("installation_id").asText()).isEqualTo(installation);
        assertThat(owners.path("installation_id").asText()).isEqualTo(installation);
        assertThat(owners.path("tenant_id").asText()).isEqualTo("acme-shop");
        assertThat(others.path("status").asInt()).isEqualTo(404);
        assertThat(others.path("tenant_id").asText()).isEqualTo("globex");
        assertThat(others.toString()).as("another tenant's line tells nothing of the run's installation").doesNotContain(installation);
    }

    @Test
    void aWaitingPreview_answersThePriceItWasPlannedWith_andItsReadReadsNoHistory() {
        String ended = triggerRun();
        assertThat(api.as(key, "POST", "/v1/synchronizations/" + ended + "/cancel", Map.of()).status()).isEqualTo(200);
        UUID preview = UUID.fromString(triggerRun("/plans"));
        String path = "/v1/synchronizations/" + preview;
        AwsCalls whilePlanned = calls(key, path);
        // What the planner keeps of a preview it planned, priced then; this test has no planner.
        api.services().previews().save(preview, new RunPreview(List.of(new RunPreview.Change(Phase.PRODUCTS, "product_created", 1,
                List.of())), 0, List.of(), 0, 0, false, new RunPreview.Estimate(1, RunPreview.Basis.DEFAULT, 0, 4).priced(0.0000476),
                Instant.now().plus(Duration.ofHours(24))));
        api.services().runs().transition(preview, RunStatus.PREPARING, RunStatus.AWAITING_CONFIRMATION, "Preview", Instant.now());

        AwsCalls waiting = calls(key, path);

        System.out.printf("DynamoDB calls of GET %s: while it is planned %s; a waiting preview %s%n", "/v1/synchronizations/{id}",
                whilePlanned.operations(), waiting.operations());
        assertThat(api.as(key, "GET", path, null).json().path("preview").path("estimate").path("estimated_usd").asDouble())
                .as("the price it was planned with (the installation's one ended run sent nothing: priced now, it would have none)")
                .isEqualTo(0.0000476);
        assertThat(waiting.of("DynamoDb", "GetItem").calls()).as("the preview's record").isEqualTo(whilePlanned.of("DynamoDb", "GetItem").calls() + 1);
        assertThat(waiting.of("DynamoDb", "Query").calls()).as("no history read to price it").isEqualTo(whilePlanned.of("DynamoDb", "Query").calls());
        assertThat(waiting.of("DynamoDb", "BatchGetItem").calls()).as("no usage of recent runs read to price it").isZero();
    }

    private String triggerRun() {
        return triggerRun("/synchronizations");
    }

    /** A run triggered through {@code /synchronizations} or previewed through {@code /plans}: its id. */
    private String triggerRun(String route) {
        String snapshot = api.send(TestDeployment.event("POST", "/v1/installations/" + installation + "/snapshots",
                Map.of("authorization", "Bearer " + key, "content-type", "application/x-ndjson"),
                "{\"type\":\"product\",\"sku\":\"SKU-1\",\"product_type\":\"SIMPLE\"}\n")).json().path("snapshot_id").asText();
        TestDeployment.Response triggered = api.as(key, "POST", "/v1/installations/" + installation + route,
                Map.of("snapshot_id", snapshot, "mode", "full"));
        assertThat(triggered.status()).as(triggered.body()).isEqualTo(202);
        return triggered.json().path("synchronization").path("id").asText();
    }

    /** The request log line of a GET of {@code path} with {@code apiKey}. */
    private JsonNode logLine(String apiKey, String path) {
        String logs;
        try (CapturedOutput output = CapturedOutput.start()) {
            api.as(apiKey, "GET", path, null);
            logs = output.text();
        }
        String line = logs.lines().filter(l -> l.contains("\"event\":\"api_request\"")).findFirst().orElseThrow();
        assertThat(line).doesNotContain(apiKey);
        return TestDeployment.JSON.readTree(line);
    }

    /** The DynamoDB GetItem calls of one GET of {@code path} with {@code apiKey}, its key already known to the function. */
    private long getItems(String apiKey, String path) {
        return calls(apiKey, path).of("DynamoDb", "GetItem").calls();
    }

    /** The AWS calls of one GET of {@code path} with {@code apiKey}, its key already known to the function. */
    private AwsCalls calls(String apiKey, String path) {
        // The first request with a key reads the key; later ones, within the key cache's time, do not.
        assertThat(api.as(apiKey, "GET", path, null).status()).isEqualTo(200);
        // The process-wide counter: the function counts each request's calls apart in a stretch of its own.
        AwsCalls before = AwsCallCounter.shared().snapshot();
        assertThat(api.as(apiKey, "GET", path, null).status()).isEqualTo(200);
        return AwsCallCounter.shared().snapshot().minus(before);
    }
}
