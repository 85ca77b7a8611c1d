package dev.syncline.api;

import static dev.syncline.api.Manifests.valid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code DELETE /v1/apps/{app_id}/versions/{version}} and {@code GET /v1/apps/{app_id}/versions} through the handler,
 * stored in the emulated table, with the sample App answering installs over real HTTP.
 */
@AwsIntegrationTest
class AppVersionRetirementTest {

    private SampleApp app;
    private TestDeployment api;

    @BeforeEach
    void start(AwsStack stack) throws IOException {
        app = SampleApp.start(0);
        api = TestDeployment.allowingLocalApps(stack);
        api.register("shop-export", valid(app.baseUri(), "1.0.0"));
        api.register("shop-export", valid(app.baseUri(), "1.1.0"));
    }

    @AfterEach
    void stop() {
        api.close();
        app.close();
    }

    @Test
    void retiringTheLatestVersion_installsWithThePreviousOne_whileItsInstallationsKeepSynchronizing() {
        String onRetired = api.install("shop-export").path("id").asText();

        TestDeployment.Response retired = api.delete("/v1/apps/shop-export/versions/1.1.0");

        assertThat(retired.status()).as(retired.body()).isEqualTo(200);
        assertThat(retired.json().path("app_id").asText()).isEqualTo("shop-export");
        assertThat(retired.json().path("version").asText()).isEqualTo("1.1.0");
        assertThat(retired.json().path("retired").asBoolean()).isTrue();
        assertThat(retired.json().path("retired_at").asText()).isNotEmpty();
        assertThat(api.get("/v1/apps/shop-export").json().path("version").asText()).as("the latest again").isEqualTo("1.0.0");
        assertThat(api.get("/v1/apps").json().path("apps").get(0).path("version").asText()).isEqualTo("1.0.0");
        assertThat(api.get("/v1/apps/shop-export?version=1.1.0").json().path("version").asText()).as("still readable")
                .isEqualTo("1.1.0");

        JsonNode fresh = api.install("shop-export");
        assertThat(fresh.path("app_version").asText()).isEqualTo("1.0.0");

        JsonNode kept = api.get("/v1/installations/" + onRetired).json();
        assertThat(kept.path("status").asText()).isEqualTo("active");
        assertThat(kept.path("app_version").asText()).isEqualTo("1.1.0");
        assertThat(trigger(onRetired).status()).as("it still synchronizes").isEqualTo(202);
        assertThat(api.configure(onRetired).path("status").asText()).as("its configuration still changes").isEqualTo("active");
    }

    @Test
    void versions_listsEveryVersionLowestFirst_withTheRetiredOnesAsRetired_andTheLatest() {
        api.register("shop-export", valid(app.baseUri(), "1.2.0"));
        api.delete("/v1/apps/shop-export/versions/1.1.0");

        JsonNode listing = api.get("/v1/apps/shop-export/versions").json();

        assertThat(listing.path("latest_version").asText()).isEqualTo("1.2.0");
        assertThat(listing.path("versions").findValuesAsText("version")).containsExactly("1.0.0", "1.1.0", "1.2.0");
        assertThat(listing.path("versions").findValuesAsText("retired")).containsExactly("false", "true", "false");
        assertThat(listing.path("versions").get(0).path("retired_at").isNull()).isTrue();
        assertThat(listing.path("versions").get(1).path("retired_at").asText()).isNotEmpty();
        assertThat(listing.path("versions").get(0).path("registered_at").asText()).isNotEmpty();
        assertThat(api.get("/v1/apps/shop-export").json().path("version").asText()).as("an older version retired: no change")
                .isEqualTo("1.2.0");
    }

    @Test
    void retiringAVersionAgain_answersTheFirstRetirement() {
        TestDeployment.Response first = api.delete("/v1/apps/shop-export/versions/1.0.0");
        TestDeployment.Response again = api.delete("/v1/apps/shop-export/versions/1.0.0");

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(first.json());
    }

    @Test
    void theNumberOfARetiredVersion_isNeverRegisteredAgain() {
        api.delete("/v1/apps/shop-export/versions/1.1.0");

        TestDeployment.Response same = api.put("/v1/apps/shop-export", valid(app.baseUri(), "1.1.0"));
        TestDeployment.Response higher = api.put("/v1/apps/shop-export", valid(app.baseUri(), "1.1.1"));

        assertThat(same.status()).isEqualTo(409);
        assertThat(same.json().path("detail").asText()).startsWith("app 'shop-export' had version 1.1.0, retired at ")
                .endsWith("raise version above 1.1.0");
        assertThat(higher.status()).isEqualTo(200);
        assertThat(higher.json().path("previous_version").asText()).isEqualTo("1.0.0");
    }

    @Test
    void retiringTheLastVersionLeft_answers409SayingToRetireTheApp() {
        api.delete("/v1/apps/shop-export/versions/1.0.0");

        TestDeployment.Response refused = api.delete("/v1/apps/shop-export/versions/1.1.0");

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(refused.json().path("detail").asText()).contains("DELETE /v1/apps/shop-export");
        assertThat(api.install("shop-export").path("app_version").asText()).isEqualTo("1.1.0");
    }

    @Test
    void retiringAVersionThatIsNotRegistered_answers404ListingTheRegisteredOnes() {
        TestDeployment.Response missing = api.delete("/v1/apps/shop-export/versions/2.0.0");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("detail").asText())
                .isEqualTo("app 'shop-export' has no version 2.0.0; registered versions: [1.0.0, 1.1.0]");
        assertThat(api.delete("/v1/apps/nobody-here/versions/1.0.0").status()).isEqualTo(404);
        assertThat(api.get("/v1/apps/nobody-here/versions").status()).isEqualTo(404);
        TestDeployment.Response notSemver = api.delete("/v1/apps/shop-export/versions/latest");
        assertThat(notSemver.status()).isEqualTo(422);
        assertThat(notSemver.json().path("violations").findValuesAsText("field")).containsExactly("version");
    }

    private TestDeployment.Response trigger(String installation) {
        TestDeployment.Response stored = api.send(TestDeployment.event("POST", "/v1/installations/" + installation + "/snapshots",
                Map.of("authorization", "Bearer " + TestDeployment.API_KEY, "content-type", "application/x-ndjson"),
                "{\"type\":\"category\",\"code\":\"shoes\"}\n"));
        assertThat(stored.status()).isEqualTo(201);
        return api.post("/v1/installations/" + installation + "/synchronizations",
                Map.of("mode", "incremental", "snapshot_id", stored.json().path("snapshot_id").asText()));
    }
}
