package dev.syncline.api;

import static dev.syncline.api.Manifests.valid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A PIM sets, rotates and removes its installation's webhook; the signing secret is shown once and nowhere else, and
 * a URL the deployment would not call is refused before anything is stored.
 */
@AwsIntegrationTest
class WebhookSettingsTest {

    private static final String HOOK = "http://127.0.0.1:9/hooks";

    private AwsStack stack;
    private SampleApp app;
    private TestDeployment api;

    @BeforeEach
    void start(AwsStack stack) throws IOException {
        this.stack = stack;
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
    void install_withAWebhook_showsItsSigningSecretOnce_andNeverAgain() {
        String secret;
        String logs;
        String id;
        TestDeployment.Response read;
        TestDeployment.Response listed;
        TestDeployment.Response renamed;
        try (CapturedOutput output = CapturedOutput.start()) {
            TestDeployment.Response installed = api.post("/v1/installations", Map.of("app_id", "shop-export",
                    "api_url", "https://pim.example.com/api", "webhook", Map.of("url", HOOK)));
            assertThat(installed.status()).as(installed.body()).isEqualTo(201);
            id = installed.json().path("id").asText();
            JsonNode webhook = installed.json().path("webhook");
            assertThat(webhook.path("url").asText()).isEqualTo(HOOK);
            assertThat(webhook.path("events")).extracting(JsonNode::asText).containsExactly("synchronization.ended");
            secret = webhook.path("signing_secret").asText();
            read = api.get("/v1/installations/" + id);
            listed = api.get("/v1/installations?app_id=shop-export");
            renamed = api.patch("/v1/installations/" + id, Map.of("name", "Shop DE"));
            logs = output.text();
        }

        assertThat(secret).matches("[0-9a-f]{64}");
        assertThat(read.json().path("webhook").path("url").asText()).isEqualTo(HOOK);
        assertThat(renamed.json().path("webhook").path("url").asText()).as("a patch without webhook keeps it").isEqualTo(HOOK);
        assertThat(List.of(read, listed, renamed)).allSatisfy(response -> assertThat(response.body())
                .doesNotContain(secret).doesNotContain("signing_secret"));
        assertThat(logs).contains("\"route\":\"/v1/installations\"").doesNotContain(secret);
        assertThat(storedWebhook(UUID.fromString(id)).toString()).as("kept encrypted").doesNotContain(secret);
    }

    @Test
    void patch_setsTheWebhookWithANewSecret_andNullRemovesIt() {
        String id = api.install("shop-export").path("id").asText();
        assertThat(api.get("/v1/installations/" + id).json().has("webhook")).isFalse();

        TestDeployment.Response first = api.patch("/v1/installations/" + id, Map.of("webhook",
                Map.of("url", HOOK, "events", List.of("synchronization.awaiting_confirmation", "synchronization.ended"))));
        TestDeployment.Response second = api.patch("/v1/installations/" + id, Map.of("webhook", Map.of("url", HOOK)));

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().path("webhook").path("events")).extracting(JsonNode::asText)
                .containsExactly("synchronization.awaiting_confirmation", "synchronization.ended");
        assertThat(second.json().path("webhook").path("signing_secret").asText()).as("setting it again rotates the secret")
                .matches("[0-9a-f]{64}").isNotEqualTo(first.json().path("webhook").path("signing_secret").asText());

        TestDeployment.Response removed = api.patch("/v1/installations/" + id, Collections.singletonMap("webhook", null));

        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.json().has("webhook")).isFalse();
        assertThat(api.get("/v1/installations/" + id).json().has("webhook")).isFalse();
        assertThat(storedWebhook(UUID.fromString(id))).isEmpty();
    }

    @Test
    void patch_withAnUnknownEvent_answers422_andChangesNothing() {
        String id = api.install("shop-export").path("id").asText();

        TestDeployment.Response response = api.patch("/v1/installations/" + id, Map.of("name", "Renamed",
                "webhook", Map.of("url", HOOK, "events", List.of("synchronization.finished"))));

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().path("violations").get(0).path("field").asText()).isEqualTo("webhook.events[0]");
        assertThat(response.json().path("violations").get(0).path("message").asText())
                .startsWith("webhook.events[0] 'synchronization.finished' is not an event; use synchronization.started,");
        JsonNode unchanged = api.get("/v1/installations/" + id).json();
        assertThat(unchanged.path("name").asText()).isEqualTo("Shop DE");
        assertThat(unchanged.has("webhook")).isFalse();
    }

    @Test
    void install_withAPrivateOrPlainHttpWebhook_answers422_whereOnlyPublicUrlsAreAllowed_andInstallsNothing() {
        try (TestDeployment aws = TestDeployment.publicAppsOnly(stack)) {
            TestDeployment.Response plain = aws.post("/v1/installations", Map.of("app_id", "shop-export",
                    "api_url", "https://pim.example.com/api", "webhook", Map.of("url", "http://hooks.example.com/syncline")));
            TestDeployment.Response internal = aws.post("/v1/installations", Map.of("app_id", "shop-export",
                    "api_url", "https://pim.example.com/api", "webhook", Map.of("url", "https://10.0.0.8/hooks")));

            assertThat(plain.status()).isEqualTo(422);
            assertThat(plain.json().path("violations").get(0).path("field").asText()).isEqualTo("webhook.url");
            assertThat(plain.json().path("violations").get(0).path("message").asText())
                    .isEqualTo("webhook.url must use https; got 'http://hooks.example.com/syncline'");
            assertThat(internal.status()).isEqualTo(422);
            assertThat(internal.json().path("violations").get(0).path("message").asText())
                    .startsWith("webhook.url must not point at a private address: 10.0.0.8");
            assertThat(app.receivedRequests()).as("the App never heard of these installations").isEmpty();
            assertThat(aws.get("/v1/installations?app_id=shop-export").json().path("installations")).isEmpty();
        }
    }

    @Test
    void deliveries_ofAnUnknownInstallation_answer404_andOfANewOne_anEmptyLastPage() {
        String id = api.install("shop-export").path("id").asText();

        TestDeployment.Response none = api.get("/v1/installations/" + id + "/webhook-deliveries");
        TestDeployment.Response unknown = api.get("/v1/installations/" + UUID.randomUUID() + "/webhook-deliveries");
        TestDeployment.Response forged = api.get("/v1/installations/" + id + "/webhook-deliveries?cursor=AAAAAAAAAAAAAAAAAAAAAAAAAA");

        assertThat(none.status()).isEqualTo(200);
        assertThat(none.json().path("deliveries")).isEmpty();
        assertThat(none.json().path("next_cursor").isNull()).isTrue();
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(forged.status()).isEqualTo(422);
    }

    private Map<String, AttributeValue> storedWebhook(UUID installation) {
        Map<String, AttributeValue> item = stack.dynamoDb().getItem(b -> b.tableName(stack.names().table()).key(Map.of(
                "pk", AttributeValue.fromS("WEBHOOKS#" + installation),
                "sk", AttributeValue.fromS("WEBHOOK")))).item();
        return item == null ? Map.of() : item;
    }
}
