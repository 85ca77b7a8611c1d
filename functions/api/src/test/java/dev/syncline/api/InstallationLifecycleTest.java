package dev.syncline.api;

import static dev.syncline.api.Manifests.valid;
import static dev.syncline.api.Manifests.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.sampleapp.Faults;
import dev.syncline.sampleapp.ReceivedRequest;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Installing and uninstalling through the handler, with the sample App answering over real HTTP. */
@AwsIntegrationTest
class InstallationLifecycleTest {

    private SampleApp app;
    private TestDeployment api;

    @BeforeEach
    void start(AwsStack stack) throws IOException {
        app = SampleApp.start(0);
        api = TestDeployment.allowingLocalApps(stack);
        api.register("shop-export", valid(app.baseUri(), "1.0.0"));
    }

    @AfterEach
    void stop() {
        api.close();
        app.close();
    }

    @Test
    void install_whenTheAppAcceptsTheHandshake_answers201WithTheActiveInstallation() {
        // Without configuration steps an installation is active at once (with steps: ConfigurationTest).
        api.register("shop-export", with(valid(app.baseUri(), "1.0.1"), "configuration_schema", List.of()));
        TestDeployment.Response response = api.post("/v1/installations", Map.of(
                "app_id", "shop-export", "name", "Shop DE", "api_url", "https://pim.example.com/api"));

        assertThat(response.status()).isEqualTo(201);
        JsonNode installation = response.json();
        String id = installation.path("id").asText();
        assertThat(response.header("Location")).isEqualTo("/v1/installations/" + id);
        assertThat(installation.path("app_id").asText()).isEqualTo("shop-export");
        assertThat(installation.path("app_version").asText()).isEqualTo("1.0.1");
        assertThat(installation.path("name").asText()).isEqualTo("Shop DE");
        assertThat(installation.path("api_url").asText()).isEqualTo("https://pim.example.com/api");
        assertThat(installation.path("status").asText()).isEqualTo("active");
        assertThat(installation.path("concurrency_window").asInt()).isEqualTo(4);
        assertThat(installation.path("uninstalled_at").isNull()).isTrue();
        assertThat(installation.path("lifecycle_event")).isEqualTo(TestDeployment.tree(Map.of(
                "name", "app_installed", "sent", true, "accepted", true,
                "app_answer", "answered 204 with an empty body")));
        assertThat(api.get("/v1/installations/" + id).json().path("status").asText()).isEqualTo("active");
    }

    @Test
    void install_handsTheAppASecretItThenVerifiesAppInstalledWith() {
        String id = api.install("shop-export").path("id").asText();

        ReceivedRequest handshake = app.receivedRequests(request -> request.path().equals("/handshake")).getFirst();
        assertThat(handshake.method()).isEqualTo("POST");
        assertThat(handshake.outcome()).isEqualTo(ReceivedRequest.Outcome.ACCEPTED);
        // The App records the secret redacted; that it was there is what the handshake needs.
        assertThat(handshake.body().path("shared_secret").isTextual()).isTrue();
        assertThat(handshake.installationId()).hasValue(id);
        assertThat(handshake.claims()).containsEntry("api_url", "https://pim.example.com/api")
                .containsKeys("iat", "nbf", "exp").doesNotContainKey("synchronization_id");
        assertThat(((Number) handshake.claims().get("exp")).longValue()
                - ((Number) handshake.claims().get("iat")).longValue()).isEqualTo(300);

        // Accepted means its token verified with the secret stored from the handshake.
        assertThat(app.receivedRequestsForEvent("app_installed")).singleElement().satisfies(appInstalled -> {
            assertThat(appInstalled.method()).isEqualTo("PUT");
            assertThat(appInstalled.outcome()).isEqualTo(ReceivedRequest.Outcome.ACCEPTED);
            assertThat(appInstalled.installationId()).hasValue(id);
            assertThat(appInstalled.body()).isEqualTo(TestDeployment.tree(Map.of("name", "app_installed")));
        });
        assertThat(app.catalog(id).orElseThrow().path("status").asText()).isEqualTo("installed");
    }

    @Test
    void install_whenTheAppDoesNotSubscribeToAppInstalled_sendsOnlyTheHandshake() {
        api.register("shop-export", with(valid(app.baseUri(), "1.1.0"), "events", List.of("product_created")));

        JsonNode installation = api.install("shop-export");

        assertThat(installation.path("lifecycle_event").path("sent").asBoolean()).isFalse();
        assertThat(installation.path("lifecycle_event").path("accepted").isNull()).isTrue();
        // Besides configuring (done by the fixture), the App heard only the handshake.
        assertThat(app.receivedRequests()).extracting(ReceivedRequest::path)
                .filteredOn(path -> !path.equals("/configuration")).containsExactly("/handshake");
    }

    @Test
    void install_withoutAName_namesTheInstallationAfterTheApp() {
        TestDeployment.Response response = api.post("/v1/installations",
                Map.of("app_id", "shop-export", "api_url", "https://pim.example.com/api"));

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.json().path("name").asText()).isEqualTo("Shop export");
    }

    @Test
    void install_whenTheAppAcceptsButRefusesAppInstalled_stillInstallsAndSaysWhatTheAppAnswered() {
        app.setFaults(Faults.none().withFailureRate(1.0));

        JsonNode installation = api.install("shop-export");

        assertThat(installation.path("status").asText()).isEqualTo("active");
        assertThat(installation.path("lifecycle_event").path("accepted").asBoolean()).isFalse();
        assertThat(installation.path("lifecycle_event").path("app_answer").asText()).startsWith("answered 503: ");
    }

    @Test
    void install_whenTheRequestBreaksRules_answers422ListingThemAndCallsNoApp() {
        TestDeployment.Response response = api.post("/v1/installations",
                Map.of("app_id", "Shop", "name", " ", "api_url", "pim.example.com", "concurrency_window", 0));

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().path("violations").findValuesAsText("field"))
                .containsExactly("app_id", "name", "api_url", "concurrency_window");
        assertThat(app.receivedRequests()).isEmpty();
    }

    @Test
    void install_whenTheAppIsNotRegistered_answers404() {
        TestDeployment.Response response = api.post("/v1/installations",
                Map.of("app_id", "nobody-here", "api_url", "https://pim.example.com/api"));

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().path("detail").asText()).startsWith("no App is registered as 'nobody-here'");
    }

    @Test
    void uninstall_sendsAppUninstalledAndKeepsTheInstallationAsUninstalled() {
        String id = api.install("shop-export").path("id").asText();

        TestDeployment.Response response = api.delete("/v1/installations/" + id);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("status").asText()).isEqualTo("uninstalled");
        assertThat(response.json().path("uninstalled_at").asText()).isNotEmpty();
        assertThat(response.json().path("lifecycle_event").path("name").asText()).isEqualTo("app_uninstalled");
        assertThat(response.json().path("lifecycle_event").path("accepted").asBoolean()).isTrue();
        assertThat(app.receivedRequestsForEvent("app_uninstalled")).singleElement().satisfies(uninstalled -> {
            assertThat(uninstalled.outcome()).isEqualTo(ReceivedRequest.Outcome.ACCEPTED);
            assertThat(uninstalled.installationId()).hasValue(id);
            assertThat(uninstalled.body()).isEqualTo(TestDeployment.tree(Map.of("name", "app_uninstalled")));
        });
        assertThat(app.catalog(id).orElseThrow().path("status").asText()).isEqualTo("uninstalled");
        assertThat(api.get("/v1/installations/" + id).json().path("status").asText()).isEqualTo("uninstalled");
        assertThat(api.get("/v1/installations?app_id=shop-export").json().path("installations"))
                .singleElement().satisfies(kept -> assertThat(kept.path("id").asText()).isEqualTo(id));
    }

    @Test
    void uninstall_whenTheAppRefusesAppUninstalled_stillUninstalls() {
        String id = api.install("shop-export").path("id").asText();
        app.setFaults(Faults.none().withFailureRate(1.0));

        TestDeployment.Response response = api.delete("/v1/installations/" + id);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("status").asText()).isEqualTo("uninstalled");
        assertThat(response.json().path("lifecycle_event").path("accepted").asBoolean()).isFalse();
        assertThat(response.json().path("lifecycle_event").path("app_answer").asText()).startsWith("answered 503: ");
    }

    @Test
    void uninstall_twice_answers409SayingWhen() {
        String id = api.install("shop-export").path("id").asText();
        String uninstalledAt = api.delete("/v1/installations/" + id).json().path("uninstalled_at").asText();

        TestDeployment.Response again = api.delete("/v1/installations/" + id);

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("detail").asText())
                .isEqualTo("installation " + id + " was already uninstalled at " + uninstalledAt);
        assertThat(app.receivedRequestsForEvent("app_uninstalled")).hasSize(1);
    }

    @Test
    void patch_changesOnlyTheFieldsGivenAndTheInstallationShowsThem() {
        JsonNode installed = api.install("shop-export");
        String id = installed.path("id").asText();

        TestDeployment.Response response = api.patch("/v1/installations/" + id, Map.of(
                "name", "Shop AT", "retry_budget", 2, "deletion_guard", Map.of("threshold_percent", 50)));

        assertThat(response.status()).isEqualTo(200);
        JsonNode changed = response.json();
        assertThat(changed.path("name").asText()).isEqualTo("Shop AT");
        assertThat(changed.path("retry_budget").asInt()).isEqualTo(2);
        assertThat(changed.path("concurrency_window").asInt()).isEqualTo(installed.path("concurrency_window").asInt());
        assertThat(changed.path("deletion_guard")).isEqualTo(TestDeployment.tree(Map.of(
                "threshold_percent", 50, "min_deletions", 10, "confirmation_timeout_hours", 24)));
        assertThat(changed.path("status").asText()).isEqualTo(installed.path("status").asText());
        // Stored, not only answered: a later read and a second patch see the first one.
        api.patch("/v1/installations/" + id, Map.of("concurrency_window", 8));
        JsonNode read = api.get("/v1/installations/" + id).json();
        assertThat(read.path("name").asText()).isEqualTo("Shop AT");
        assertThat(read.path("concurrency_window").asInt()).isEqualTo(8);
        assertThat(read.path("retry_budget").asInt()).isEqualTo(2);
        assertThat(read.path("deletion_guard").path("threshold_percent").asInt()).isEqualTo(50);
        assertThat(app.receivedRequests()).extracting(ReceivedRequest::path).doesNotContain("/consume/app_updated");
    }

    @Test
    void patch_whenTheChangeBreaksRules_answers422ListingEveryFieldAndChangesNothing() {
        String id = api.install("shop-export").path("id").asText();
        JsonNode before = api.get("/v1/installations/" + id).json();

        TestDeployment.Response response = api.patch("/v1/installations/" + id, Map.of("name", "",
                "concurrency_window", 0, "retry_budget", 11, "deletion_guard", Map.of("confirmation_timeout_hours", 0)));

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().path("violations").findValuesAsText("field")).containsExactly(
                "name", "concurrency_window", "retry_budget", "deletion_guard.confirmation_timeout_hours");
        assertThat(api.get("/v1/installations/" + id).json()).isEqualTo(before);
    }

    @Test
    void patch_ofAFieldThatCannotChange_answers422NamingIt() {
        String id = api.install("shop-export").path("id").asText();

        TestDeployment.Response response = api.patch("/v1/installations/" + id,
                Map.of("api_url", "https://other.example.com/api"));

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().path("violations").findValuesAsText("message")).containsExactly(
                "api_url cannot be changed; a PATCH changes only name, concurrency_window, retry_budget, deletion_guard, webhook");
        assertThat(api.get("/v1/installations/" + id).json().path("api_url").asText())
                .isEqualTo("https://pim.example.com/api");
    }

    @Test
    void patch_ofAnUninstalledInstallation_answers409AndOfAnUnknownOne404() {
        String id = api.install("shop-export").path("id").asText();
        String uninstalledAt = api.delete("/v1/installations/" + id).json().path("uninstalled_at").asText();

        TestDeployment.Response uninstalled = api.patch("/v1/installations/" + id, Map.of("name", "Shop AT"));
        TestDeployment.Response unknown = api.patch("/v1/installations/00000000-0000-4000-8000-000000000000",
                Map.of("name", "Shop AT"));

        assertThat(uninstalled.status()).isEqualTo(409);
        assertThat(uninstalled.json().path("detail").asText())
                .startsWith("installation " + id + " was uninstalled at " + uninstalledAt);
        assertThat(api.get("/v1/installations/" + id).json().path("name").asText()).isEqualTo("Shop DE");
        assertThat(unknown.status()).isEqualTo(404);
    }

    @Test
    void retiredApp_refusesNewInstallationsWhileExistingOnesKeepWorking() {
        String id = api.install("shop-export").path("id").asText();
        api.delete("/v1/apps/shop-export");
        int heard = app.receivedRequests().size();

        TestDeployment.Response refused = api.post("/v1/installations", Map.of(
                "app_id", "shop-export", "name", "Shop AT", "api_url", "https://pim.example.com/api"));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("detail").asText()).contains("was retired at")
                .endsWith("and takes no new installations; its existing installations keep working");
        assertThat(app.receivedRequests()).hasSize(heard);
        assertThat(api.get("/v1/installations?app_id=shop-export").json().path("installations")).hasSize(1);
        // The installation made before still changes settings and uninstalls, telling the App.
        assertThat(api.patch("/v1/installations/" + id, Map.of("name", "Shop DE (old)")).status()).isEqualTo(200);
        assertThat(api.delete("/v1/installations/" + id).json().path("lifecycle_event").path("accepted").asBoolean())
                .isTrue();
    }

    @Test
    void list_returnsTheAppsInstallationsOldestFirst() {
        String first = api.install("shop-export").path("id").asText();
        String second = api.install("shop-export").path("id").asText();

        TestDeployment.Response response = api.get("/v1/installations?app_id=shop-export");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("installations").findValuesAsText("id")).containsExactly(first, second);
    }

    @Test
    void list_withoutAnAppId_pagesEveryInstallationNewestFirst() {
        String first = api.install("shop-export").path("id").asText();
        String second = api.install("shop-export").path("id").asText();

        TestDeployment.Response page = api.get("/v1/installations?limit=1");
        TestDeployment.Response next = api.get("/v1/installations?limit=1&cursor=" + page.json().path("next_cursor").asText());

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.json().path("installations").findValuesAsText("id")).containsExactly(second);
        assertThat(next.json().path("installations").findValuesAsText("id")).containsExactly(first);
    }

    @Test
    void list_withAForeignCursor_answers422SayingToPassNextCursor() {
        TestDeployment.Response response = api.get("/v1/installations?cursor=bm9wZQ");

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().path("violations").get(0).path("field").asText()).isEqualTo("cursor");
    }

    @Test
    void list_ofAnUnregisteredApp_answers404() {
        assertThat(api.get("/v1/installations?app_id=nobody-here").status()).isEqualTo(404);
    }

    @Test
    void get_whenUnknown_answers404() {
        TestDeployment.Response response = api.get("/v1/installations/6f1c2f4e-8a59-4f0e-9a43-3d1b8e0c2a71");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().path("detail").asText())
                .isEqualTo("no installation has id 6f1c2f4e-8a59-4f0e-9a43-3d1b8e0c2a71");
    }

    @Test
    void get_whenTheIdIsNotAUuid_answers404SayingWhatIdsLookLike() {
        TestDeployment.Response response = api.get("/v1/installations/shop-de");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().path("detail").asText()).contains("installation ids are UUIDs");
    }

    @Test
    void update_withACompatibleAboveAnInstallationsVersion_movesItToConfigurationRequired() {
        String onOne = api.install("shop-export").path("id").asText();
        api.register("shop-export", valid(app.baseUri(), "1.5.0"));
        String onOneFive = api.install("shop-export").path("id").asText();

        TestDeployment.Response update = api.put("/v1/apps/shop-export",
                with(valid(app.baseUri(), "2.0.0"), "compatible", "1.5.0"));

        assertThat(update.status()).isEqualTo(200);
        assertThat(update.json().path("configuration_required_installations"))
                .extracting(JsonNode::asText).containsExactly(onOne);
        assertThat(api.get("/v1/installations/" + onOne).json().path("status").asText())
                .isEqualTo("configuration_required");
        assertThat(api.get("/v1/installations/" + onOneFive).json().path("status").asText()).isEqualTo("active");
    }
}
