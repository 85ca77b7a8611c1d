package dev.syncline.api;

import static dev.syncline.api.Manifests.valid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.adapters.config.Config;
import dev.syncline.sampleapp.Faults;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** An install whose handshake the App does not accept: 502 naming the answer, and nothing installed. */
@AwsIntegrationTest
class HandshakeFailureTest {

    private static final Map<String, String> INSTALL =
            Map.of("app_id", "shop-export", "name", "Shop DE", "api_url", "https://pim.example.com/api");

    private AwsStack stack;
    private SampleApp app;
    private TestDeployment api;

    @BeforeEach
    void start(AwsStack stack) throws IOException {
        this.stack = stack;
        app = SampleApp.start(0);
        api = TestDeployment.start(stack, Map.of(Config.ALLOW_PRIVATE_APP_URLS, "true",
                Config.APP_REQUEST_TIMEOUT_MS, "500"));
    }

    @AfterEach
    void stop() {
        api.close();
        app.close();
    }

    @Test
    void install_whenTheAppAnswersTheHandshakeWithAnError_answers502NamingTheAnswer() {
        api.register("shop-export", valid(app.baseUri(), "1.0.0"));
        app.setFaults(Faults.none().withFailureRate(1.0).withHandshakeIncluded(true));

        TestDeployment.Response response = api.post("/v1/installations", INSTALL);

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.path("type").asText()).isEqualTo("https://syncline.dev/problems/app-call-failed");
        assertThat(problem.path("detail").asText())
                .startsWith("app 'shop-export' did not accept the handshake at " + app.uri("/handshake")
                        + ": it answered 503: '")
                .contains("injected fault: transient failure, try again")
                .endsWith("Nothing was installed; the App must answer 2xx to POST /handshake, then install again");
        assertThat(problem.path("app_answer").path("kind").asText()).isEqualTo("response");
        assertThat(problem.path("app_answer").path("status").asInt()).isEqualTo(503);
        assertThat(problem.path("app_answer").path("body_excerpt").asText()).contains("injected fault");
        assertNothingInstalled();
    }

    @Test
    void install_whenNothingListensAtTheAppsUrl_answers502SayingItCouldNotBeReached() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        api.register("shop-export", valid(URI.create("http://127.0.0.1:" + closedPort), "1.0.0"));

        TestDeployment.Response response = api.post("/v1/installations", INSTALL);

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.json().path("detail").asText()).contains(
                "did not accept the handshake at http://127.0.0.1:" + closedPort + "/handshake: it could not be"
                        + " reached: connection to 127.0.0.1:" + closedPort + " refused");
        assertThat(response.json().path("app_answer")).isEqualTo(TestDeployment.tree(Map.of("kind", "unreachable",
                "reason", "connection_failed", "detail", "connection to 127.0.0.1:" + closedPort + " refused")));
        assertNothingInstalled();
    }

    @Test
    void install_whenTheAppAnswersTooLate_answers502SayingItTimedOut() {
        api.register("shop-export", valid(app.baseUri(), "1.0.0"));
        app.setFaults(Faults.none().withLatency(Duration.ofSeconds(2)).withHandshakeIncluded(true));

        TestDeployment.Response response = api.post("/v1/installations", INSTALL);

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.json().path("detail").asText()).contains("it timed out: no answer within 500 ms");
        assertThat(response.json().path("app_answer").path("reason").asText()).isEqualTo("timeout");
        assertNothingInstalled();
    }

    private void assertNothingInstalled() {
        assertThat(api.get("/v1/installations?app_id=shop-export").json().path("installations")).isEmpty();
        assertThat(stack.dynamoDb().scan(b -> b.tableName(stack.names().table())).items())
                .noneMatch(item -> item.getOrDefault("pk", AttributeValue.fromS("")).s().startsWith("INSTALLATION#"));
        assertThat(app.receivedRequestsForEvent("app_installed")).isEmpty();
    }
}
