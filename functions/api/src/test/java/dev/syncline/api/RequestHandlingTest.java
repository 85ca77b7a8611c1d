package dev.syncline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** What every request gets, whatever its route: problems for errors, request ids, logs, event decoding. */
@AwsIntegrationTest
class RequestHandlingTest {

    private AwsStack stack;
    private TestDeployment api;

    @BeforeEach
    void deploy(AwsStack stack) {
        this.stack = stack;
        api = TestDeployment.allowingLocalApps(stack);
    }

    @AfterEach
    void undeploy() {
        api.close();
    }

    @Test
    void anUnknownRoute_answers404ListingTheRoutes() {
        TestDeployment.Response response = api.get("/v1/applications/shop-export");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
        // Routes are added by several features; the answer names each, in the order they were added.
        assertThat(response.json().path("detail").asText()).startsWith("No route matches GET /v1/applications/shop-export. Routes: ")
                .contains("; PUT /v1/apps/{app_id}; GET /v1/apps/{app_id}; POST /v1/installations; GET /v1/installations;"
                        + " GET /v1/installations/{installation_id}; DELETE /v1/installations/{installation_id}; POST /v1/installations/{installation_id}/snapshots; "
                        + "POST /v1/installations/{installation_id}/synchronizations; GET /v1/installations/{installation_id}/synchronizations; "
                        + "GET /v1/synchronizations/{synchronization_id}; GET /v1/synchronizations/{synchronization_id}/entries; "
                        + "POST /v1/synchronizations/{synchronization_id}/cancel")
                .contains("GET /; GET /assets/{version}/{file}");
    }

    @Test
    void aPathOutsideTheApi_answers404WithoutAKey() {
        TestDeployment.Response response = api.send(TestDeployment.event("GET", "/favicon.ico", Map.of(), null));

        assertThat(response.status()).isEqualTo(404);
    }

    @Test
    void aMethodTheRouteDoesNotSupport_answers405WithTheAllowedOnes() {
        TestDeployment.Response response = api.send(TestDeployment.event("PATCH", "/v1/apps/shop-export", "{}"));

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.header("Allow")).isEqualTo("PUT, GET, DELETE");
        assertThat(response.json().path("detail").asText())
                .isEqualTo("/v1/apps/{app_id} does not support PATCH; it supports PUT, GET, DELETE.");
    }

    @Test
    void everyProblem_carriesTheRequestIdAndPath() {
        APIGatewayV2HTTPEvent event = TestDeployment.event("GET", "/v1/apps/nobody-here", null);

        TestDeployment.Response response = api.send(event);

        JsonNode problem = response.json();
        String requestId = event.getRequestContext().getRequestId();
        assertThat(problem.path("status").asInt()).isEqualTo(404);
        assertThat(problem.path("title").asText()).isEqualTo("Not found");
        assertThat(problem.path("instance").asText()).isEqualTo("/v1/apps/nobody-here");
        assertThat(problem.path("request_id").asText()).isEqualTo(requestId);
        assertThat(response.header("X-Request-Id")).isEqualTo(requestId);
    }

    @Test
    void aPathUnderANamedStage_isServedWithoutTheStage() {
        APIGatewayV2HTTPEvent event = TestDeployment.event("GET", "/prod/v1/apps/nobody-here", null);
        event.getRequestContext().setStage("prod");

        TestDeployment.Response response = api.send(event);

        assertThat(response.json().path("instance").asText()).isEqualTo("/v1/apps/nobody-here");
    }

    @Test
    void aBase64EncodedBody_isDecoded() {
        APIGatewayV2HTTPEvent event = TestDeployment.event("PUT", "/v1/apps/shop-export",
                Manifests.valid(java.net.URI.create("https://shop-export.example.com"), "1.0.0"));
        event.setBody(Base64.getEncoder().encodeToString(event.getBody().getBytes(StandardCharsets.UTF_8)));
        event.setIsBase64Encoded(true);

        assertThat(api.send(event).status()).isEqualTo(201);
    }

    @Test
    void aBug_answers500WithTheRequestIdAndNothingInternal() {
        UUID id = UUID.randomUUID();
        // A stored installation this version cannot read: the kind of bug only a 500 can answer.
        stack.dynamoDb().putItem(b -> b.tableName(stack.names().table()).item(Map.of(
                "pk", AttributeValue.fromS("INSTALLATION#" + id),
                "sk", AttributeValue.fromS("INSTALLATION"),
                "installation_id", AttributeValue.fromS(id.toString()),
                "status", AttributeValue.fromS("exploded"))));
        APIGatewayV2HTTPEvent event = TestDeployment.event("GET", "/v1/installations/" + id, null);

        TestDeployment.Response response;
        String logs;
        try (CapturedOutput output = CapturedOutput.start()) {
            response = api.send(event);
            logs = output.text();
        }

        String requestId = event.getRequestContext().getRequestId();
        assertThat(response.status()).isEqualTo(500);
        assertThat(response.json().path("type").asText()).isEqualTo("https://syncline.dev/problems/internal-error");
        assertThat(response.json().path("detail").asText()).contains("report request id " + requestId);
        assertThat(response.body()).doesNotContain("exploded", "Exception", "dev.syncline");
        assertThat(logs).contains("\"request_id\":\"" + requestId + "\"", "\"status\":500", "\"stack_trace\":");
    }

    @Test
    void everyRequest_isLoggedAsOneJsonLineWithItsRouteStatusAndLatency() {
        APIGatewayV2HTTPEvent event = TestDeployment.event("PUT", "/v1/apps/shop-export",
                Manifests.valid(java.net.URI.create("https://shop-export.example.com"), "1.0.0"));

        String logs;
        try (CapturedOutput output = CapturedOutput.start()) {
            api.send(event);
            logs = output.text();
        }

        String line = logs.lines().filter(l -> l.contains("\"event\":\"api_request\"")).findFirst().orElseThrow();
        JsonNode fields = TestDeployment.JSON.readTree(line);
        assertThat(fields.path("level").asText()).isEqualTo("INFO");
        assertThat(fields.path("logger").asText()).isEqualTo(RequestLog.class.getName());
        assertThat(fields.path("timestamp").asText()).isNotEmpty();
        assertThat(fields.path("request_id").asText()).isEqualTo(event.getRequestContext().getRequestId());
        assertThat(fields.path("method").asText()).isEqualTo("PUT");
        assertThat(fields.path("route").asText()).isEqualTo("/v1/apps/{app_id}");
        assertThat(fields.path("app_id").asText()).isEqualTo("shop-export");
        assertThat(fields.path("status").asInt()).isEqualTo(201);
        assertThat(fields.path("latency_ms").isIntegralNumber()).isTrue();
        assertThat(fields.path("location").asText()).isEqualTo("/v1/apps/shop-export");
        assertThat(fields.path("caller").asText()).isEqualTo("operator");
        assertThat(fields.has("tenant_id")).isFalse();
        assertThat(line).doesNotContain("Exports the catalog", TestDeployment.API_KEY);
    }

    @Test
    void aTenantsRequest_isLoggedWithItsTenant_andNotItsKey() {
        String key = api.tenantKey("acme-shop");
        APIGatewayV2HTTPEvent event = TestDeployment.event("GET", "/v1/installations", Map.of("authorization", "Bearer " + key), null);

        String logs;
        try (CapturedOutput output = CapturedOutput.start()) {
            assertThat(api.send(event).status()).isEqualTo(200);
            logs = output.text();
        }

        String line = logs.lines().filter(l -> l.contains("\"event\":\"api_request\"")).findFirst().orElseThrow();
        JsonNode fields = TestDeployment.JSON.readTree(line);
        assertThat(fields.path("caller").asText()).isEqualTo("tenant");
        assertThat(fields.path("tenant_id").asText()).isEqualTo("acme-shop");
        assertThat(line).doesNotContain(key);
    }
}
