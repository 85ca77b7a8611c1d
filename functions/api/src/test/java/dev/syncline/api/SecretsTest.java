package dev.syncline.api;

import static dev.syncline.api.Manifests.valid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.sampleapp.Faults;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Shared secrets, tokens and API keys appear in no response and no log line. */
@AwsIntegrationTest
class SecretsTest {

    private AwsStack stack;
    private SampleApp app;
    private TestDeployment api;

    @BeforeEach
    void start(AwsStack stack) throws IOException {
        this.stack = stack;
        app = SampleApp.start(0);
        api = TestDeployment.allowingLocalApps(stack);
    }

    @AfterEach
    void stop() {
        api.close();
        app.close();
    }

    @Test
    void aWholeLifecycle_neverShowsASecretATokenOrTheApiKey() {
        List<TestDeployment.Response> responses = new ArrayList<>();
        String logs;
        String id;
        try (CapturedOutput output = CapturedOutput.start()) {
            api.register("shop-export", valid(app.baseUri(), "1.0.0"));
            TestDeployment.Response installed = api.post("/v1/installations",
                    Map.of("app_id", "shop-export", "api_url", "https://pim.example.com/api"));
            responses.add(installed);
            id = installed.json().path("id").asText();
            responses.add(api.get("/v1/installations/" + id));
            responses.add(api.get("/v1/installations?app_id=shop-export"));
            responses.add(api.delete("/v1/installations/" + id));
            app.setFaults(Faults.none().withFailureRate(1.0).withHandshakeIncluded(true));
            responses.add(api.post("/v1/installations",
                    Map.of("app_id", "shop-export", "api_url", "https://pim.example.com/api")));
            logs = output.text();
        }

        String secret = storedSecret(UUID.fromString(id));
        String ciphertext = storedCiphertext(UUID.fromString(id));
        assertThat(responses).extracting(TestDeployment.Response::status).containsExactly(201, 200, 200, 200, 502);
        assertThat(responses).allSatisfy(response -> assertThat(response.body())
                .doesNotContain(secret, ciphertext, "secret", "eyJ"));
        assertThat(logs).contains("\"route\":\"/v1/installations\"")
                .doesNotContain(secret, ciphertext, "eyJ", TestDeployment.API_KEY, "Bearer");
    }

    private String storedCiphertext(UUID installation) {
        return stack.dynamoDb().getItem(b -> b.tableName(stack.names().table()).key(Map.of(
                        "pk", AttributeValue.fromS("INSTALLATION#" + installation),
                        "sk", AttributeValue.fromS("INSTALLATION"))))
                .item().get("secret").s();
    }

    private String storedSecret(UUID installation) {
        return TestDeployment.storedSecret(stack, installation).reveal();
    }
}
