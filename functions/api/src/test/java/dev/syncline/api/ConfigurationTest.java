package dev.syncline.api;

import static dev.syncline.api.Manifests.valid;
import static dev.syncline.api.Manifests.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.sampleapp.ReceivedRequest;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.sampleapp.SampleConfiguration;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An installation's configuration form through the handler, with the sample App storing the steps. */
@AwsIntegrationTest
class ConfigurationTest {

    private static final String SNAPSHOT = """
            {"type":"attribute","code":"name","attribute_type":"TEXT","scope":"local","name":{"en_GB":"Name","de_DE":"Name"}}
            {"type":"attribute","code":"description","attribute_type":"TEXT_AREA","scope":"local","name":{"en_GB":"Description"}}
            {"type":"attribute","code":"color","attribute_type":"SELECT","scope":"global","name":{"en_GB":"Colour"},"options":[{"code":"red","name":{"en_GB":"Red"}}]}
            {"type":"category","code":"shoes","name":{"pl_PL":"Buty"}}
            """;

    private SampleApp app;
    private TestDeployment api;
    private String id;

    @BeforeEach
    void start(AwsStack stack) throws IOException {
        app = SampleApp.start(0);
        api = TestDeployment.allowingLocalApps(stack);
        api.register("shop-export", valid(app.baseUri(), "1.0.0"));
        TestDeployment.Response installed = api.post("/v1/installations", Map.of("app_id", "shop-export",
                "name", "Shop DE", "api_url", "https://pim.example.com/api"));
        assertThat(installed.status()).isEqualTo(201);
        id = installed.json().path("id").asText();
    }

    @AfterEach
    void stop() {
        api.close();
        app.close();
    }

    @Test
    void install_ofAnAppWithSteps_isConfigurationRequiredAndRefusesRuns() {
        assertThat(api.get("/v1/installations/" + id).json().path("status").asText())
                .isEqualTo("configuration_required");

        TestDeployment.Response run = trigger();

        assertThat(run.status()).isEqualTo(409);
        assertThat(run.json().path("detail").asText())
                .contains("must be configured before it can synchronize")
                .contains("POST /v1/installations/" + id + "/configuration");
    }

    @Test
    void get_showsTheStepsAndWhatTheAppStores() {
        submit(0, SampleConfiguration.EXAMPLE.get(0));

        JsonNode configuration = api.get("/v1/installations/" + id + "/configuration").json();

        assertThat(configuration.path("status").asText()).isEqualTo("configuration_required");
        assertThat(configuration.path("steps").asInt()).isEqualTo(2);
        assertThat(configuration.path("configuration_schema"))
                .isEqualTo(TestDeployment.JSON.readTree(SampleConfiguration.SCHEMA));
        // The App's stored step, but never its secret (the api_key field is a password widget).
        assertThat(configuration.path("configuration").path(0)).isEqualTo(TestDeployment.JSON.readTree(
                "{\"channel\":\"web\",\"shop_url\":\"https://shop.example.com\"}"));
        assertThat(configuration.path("configuration").path(1).isNull()).isTrue();
        assertThat(api.get("/v1/installations/" + id + "/configuration").body()).doesNotContain("shop-key-1");
    }

    @Test
    void submit_leavingOutAStoredSecret_keepsTheOneTheAppStores() {
        submit(0, SampleConfiguration.EXAMPLE.get(0));

        TestDeployment.Response again = submit(0,
                "{\"channel\":\"marketplace\",\"shop_url\":\"https://shop.example.com\"}");

        assertThat(again.status()).isEqualTo(200);
        JsonNode stored = app.configuration(id).orElseThrow().path(0);
        assertThat(stored.path("channel").asText()).isEqualTo("marketplace");
        assertThat(stored.path("api_key").asText()).isEqualTo("shop-key-1");
    }

    @Test
    void submit_everyStep_makesTheInstallationActiveAndRunsAllowed() {
        JsonNode afterFirst = submit(0, SampleConfiguration.EXAMPLE.get(0)).json();
        assertThat(afterFirst.path("status").asText()).isEqualTo("configuration_required");

        TestDeployment.Response afterSecond = submit(1, SampleConfiguration.EXAMPLE.get(1));

        assertThat(afterSecond.status()).isEqualTo(200);
        assertThat(afterSecond.json().path("status").asText()).isEqualTo("active");
        assertThat(app.isConfigured(id)).isTrue();
        assertThat(app.receivedRequests(request -> request.path().equals("/configuration")
                && request.method().equals("POST"))).extracting(request -> request.body().path("index").asInt())
                .containsExactly(0, 1);
        assertThat(trigger().status()).isEqualTo(202);
    }

    @Test
    void submit_breakingTheStepsSchema_answers422PerFieldWithoutCallingTheApp() {
        TestDeployment.Response response = submit(0, "{\"channel\": 7}");

        assertThat(response.status()).isEqualTo(422);
        JsonNode problem = response.json();
        assertThat(problem.path("type").asText()).isEqualTo("https://syncline.dev/problems/configuration-rejected");
        assertThat(problem.path("refused_by").asText()).isEqualTo("schema");
        assertThat(problem.path("violations").findValuesAsText("propertyPath"))
                .containsExactlyInAnyOrder("channel", "shop_url");
        assertThat(problem.path("violations")).allSatisfy(violation -> {
            assertThat(violation.path("title").asText()).isNotBlank();
            assertThat(violation.path("template").asText()).isNotBlank();
            assertThat(violation.path("parameters").isObject()).isTrue();
        });
        assertThat(app.receivedRequests(request -> request.method().equals("POST")
                && request.path().equals("/configuration"))).isEmpty();
    }

    @Test
    void submit_refusedByTheApp_answers422WithTheAppsViolationsUnchanged() {
        TestDeployment.Response response = submit(0, "{\"channel\":\"moon\",\"shop_url\":\"https://shop.example.com\"}");

        assertThat(response.status()).isEqualTo(422);
        JsonNode problem = response.json();
        assertThat(problem.path("refused_by").asText()).isEqualTo("app");
        ReceivedRequest refused = app.receivedRequests(request -> request.path().equals("/configuration")
                && request.method().equals("POST")).getFirst();
        assertThat(refused.status()).isEqualTo(422);
        assertThat(problem.path("violations")).isEqualTo(TestDeployment.JSON.readTree(
                "[{\"propertyPath\":\"channel\",\"title\":\"The sales channel \\\"moon\\\" does not exist.\","
                        + "\"template\":\"The sales channel {{ channel }} does not exist.\","
                        + "\"parameters\":{\"{{ channel }}\":\"\\\"moon\\\"\"}}]"));
        assertThat(api.get("/v1/installations/" + id).json().path("status").asText())
                .isEqualTo("configuration_required");
    }

    @Test
    void submit_whenTheAppIsDown_answers502SayingWhatFailed() {
        app.close();

        TestDeployment.Response response = submit(0, SampleConfiguration.EXAMPLE.get(0));

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.json().path("type").asText()).isEqualTo("https://syncline.dev/problems/app-call-failed");
        // The step has a secret field, so the App's stored step is asked for first: that call fails.
        assertThat(response.json().path("detail").asText()).contains("did not answer GET").contains("/configuration");
        assertThat(response.json().path("app_answer").path("kind").asText()).isEqualTo("unreachable");
    }

    @Test
    void submit_ofAStepTheAppDoesNotHave_answers422OnIndex() {
        TestDeployment.Response response = submit(2, "{}");

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().path("violations").path(0).path("field").asText()).isEqualTo("index");
    }

    @Test
    void update_raisingCompatible_requiresReconfiguring_andReconfiguringMakesItActiveOnTheNewVersion() {
        api.configure(id);
        api.put("/v1/apps/shop-export", with(valid(app.baseUri(), "2.0.0"), "compatible", "2.0.0"));
        assertThat(api.get("/v1/installations/" + id).json().path("status").asText())
                .isEqualTo("configuration_required");
        assertThat(trigger().status()).isEqualTo(409);

        JsonNode reconfigured = submit(0, SampleConfiguration.EXAMPLE.get(0)).json();

        assertThat(reconfigured.path("status").asText()).isEqualTo("active");
        assertThat(reconfigured.path("app_version").asText()).isEqualTo("2.0.0");
        assertThat(trigger().status()).isEqualTo(202);
    }

    @Test
    void dictionary_fromTheApp_listsItsEntries() {
        TestDeployment.Response response = api.get("/v1/installations/" + id + "/dictionaries/app:channels");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("dictionary").findValuesAsText("id"))
                .containsExactly("web", "marketplace", "retail");
        assertThat(response.json().path("complete").asBoolean()).isTrue();
    }

    @Test
    void dictionary_fromThePim_isReadFromTheLatestSnapshot() {
        assertThat(api.get("/v1/installations/" + id + "/dictionaries/ergonode:languages").status()).isEqualTo(404);
        uploadSnapshot();

        JsonNode textAttributes = api.get("/v1/installations/" + id
                + "/dictionaries/ergonode:attributes?type=TEXT,TEXT_AREA").json();
        JsonNode categories = api.get("/v1/installations/" + id + "/dictionaries/ergonode:categories").json();
        JsonNode languages = api.get("/v1/installations/" + id + "/dictionaries/ergonode:languages").json();

        assertThat(textAttributes.path("dictionary")).isEqualTo(TestDeployment.JSON.readTree(
                "[{\"id\":\"description\",\"label\":\"Description\",\"type\":\"TEXT_AREA\"},"
                        + "{\"id\":\"name\",\"label\":\"Name\",\"type\":\"TEXT\"}]"));
        assertThat(categories.path("dictionary")).isEqualTo(TestDeployment.JSON.readTree(
                "[{\"id\":\"shoes\",\"label\":\"Buty\"}]"));
        assertThat(languages.path("dictionary").findValuesAsText("id")).containsExactly("de_DE", "en_GB", "pl_PL");
    }

    @Test
    void dictionary_withAnUnknownName_answers422SayingWhichNamesExist() {
        TestDeployment.Response response = api.get("/v1/installations/" + id + "/dictionaries/channels");

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().path("detail").asText()).contains("app:<name>").contains("ergonode:attributes");
    }

    private TestDeployment.Response submit(int index, String configuration) {
        return api.post("/v1/installations/" + id + "/configuration",
                Map.of("index", index, "configuration", TestDeployment.JSON.readTree(configuration)));
    }

    private TestDeployment.Response trigger() {
        String snapshot = uploadSnapshot();
        return api.post("/v1/installations/" + id + "/synchronizations", Map.of("snapshot_id", snapshot,
                "mode", "full"));
    }

    private String uploadSnapshot() {
        TestDeployment.Response stored = api.send(TestDeployment.event("POST", "/v1/installations/" + id + "/snapshots",
                Map.of("authorization", "Bearer " + TestDeployment.API_KEY, "content-type", "application/x-ndjson"),
                SNAPSHOT));
        assertThat(stored.status()).isEqualTo(201);
        return stored.json().path("snapshot_id").asText();
    }
}
