package dev.syncline.api;

import static dev.syncline.api.Manifests.valid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A deployment for AWS refuses Apps at internal addresses, when registering and again when calling. */
@AwsIntegrationTest
class SsrfTest {

    private AwsStack stack;
    private TestDeployment api;

    @BeforeEach
    void deploy(AwsStack stack) {
        this.stack = stack;
        api = TestDeployment.publicAppsOnly(stack);
    }

    @AfterEach
    void undeploy() {
        api.close();
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
        "http://127.0.0.1:8081/app     | a loopback address       | 127.0.0.1",
        "http://[::1]:8081             | a loopback address       | ::1",
        "http://169.254.1.1            | a link-local address     | 169.254.1.1",
        "http://[fe80::1]              | a link-local address     | fe80::1",
        "http://169.254.169.254/latest | a cloud metadata address | 169.254.169.254",
        "http://[fd00:ec2::254]        | a cloud metadata address | fd00:ec2::254",
        "https://10.0.0.8/app          | a private address        | 10.0.0.8",
        "https://172.20.1.1/app        | a private address        | 172.20.1.1",
        "https://192.168.0.10/app      | a private address        | 192.168.0.10",
        "https://[fd12:3456::1]/app    | a private address        | fd12:3456::1",
        "http://0.0.0.0:8081           | an unspecified address   | 0.0.0.0",
        "http://[::]:8081              | an unspecified address   | ::",
        "http://239.1.2.3              | a multicast address      | 239.1.2.3",
    })
    void register_anAppAtAnInternalAddress_answers422NamingTheAddressClass(String url, String addressClass,
                                                                            String address) {
        TestDeployment.Response response = api.put("/v1/apps/shop-export", valid(URI.create(url), "1.0.0"));

        assertThat(response.status()).isEqualTo(422);
        JsonNode violation = response.json().path("violations").get(0);
        assertThat(violation.path("field").asText()).isEqualTo("url");
        assertThat(violation.path("message").asText()).startsWith("url must not point at " + addressClass + ": "
                + address + ";");
        assertThat(api.get("/v1/apps/shop-export").status()).isEqualTo(404);
    }

    @Test
    void register_aNameThatResolvesToLoopback_isRefusedForWhatItResolvesTo() {
        TestDeployment.Response response = api.put("/v1/apps/shop-export",
                valid(URI.create("http://localhost:8081"), "1.0.0"));

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().path("violations").get(0).path("message").asText())
                .startsWith("url must not point at a loopback address: localhost resolves to ");
    }

    @Test
    void register_cloudMetadata_isRefusedEvenWhereLocalAppsAreAllowed() {
        try (TestDeployment local = TestDeployment.allowingLocalApps(stack)) {
            TestDeployment.Response response = local.put("/v1/apps/shop-export",
                    valid(URI.create("http://169.254.169.254/latest/meta-data"), "1.0.0"));

            assertThat(response.status()).isEqualTo(422);
            assertThat(response.json().path("violations").get(0).path("message").asText()).isEqualTo("url must not"
                    + " point at a cloud metadata address: 169.254.169.254; the engine never calls it");
        }
    }

    @Test
    void install_whenTheAppsUrlIsRefusedAtCallTime_answers502WithoutCallingIt() throws IOException {
        try (SampleApp app = SampleApp.start(0); TestDeployment local = TestDeployment.allowingLocalApps(stack)) {
            // Registered where local Apps are allowed, installed where they are not: the call is checked again.
            local.register("shop-export", valid(app.baseUri(), "1.0.0"));

            TestDeployment.Response response = api.post("/v1/installations",
                    Map.of("app_id", "shop-export", "api_url", "https://pim.example.com/api"));

            assertThat(response.status()).isEqualTo(502);
            assertThat(response.json().path("detail").asText()).contains("it was not called: its URL is refused: the"
                    + " URL must not point at a loopback address: 127.0.0.1;");
            assertThat(response.json().path("app_answer").path("reason").asText()).isEqualTo("url_refused");
            assertThat(app.receivedRequests()).isEmpty();
            assertThat(api.get("/v1/installations?app_id=shop-export").json().path("installations")).isEmpty();
        }
    }
}
