package dev.syncline.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every {@code /v1} request needs one of the deployment's API keys as a bearer token. */
@AwsIntegrationTest
class AuthenticationTest {

    private TestDeployment api;

    @BeforeEach
    void deploy(AwsStack stack) {
        api = TestDeployment.allowingLocalApps(stack);
    }

    @AfterEach
    void undeploy() {
        api.close();
    }

    @Test
    void aRequestWithoutAnAuthorizationHeader_answers401AskingForABearerKey() {
        TestDeployment.Response response = api.send(TestDeployment.event("GET", "/v1/apps/shop-export", Map.of(), null));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"syncline\"");
        assertThat(response.json().path("type").asText()).isEqualTo("https://syncline.dev/problems/unauthorized");
        assertThat(response.json().path("detail").asText()).isEqualTo("The request has no Authorization header: send"
                + " 'Authorization: Bearer <api key>' with a key of this deployment.");
    }

    @Test
    void aRequestWithAWrongKey_answers401WithoutRepeatingIt() {
        TestDeployment.Response response = api.send(TestDeployment.event("GET", "/v1/apps/shop-export",
                Map.of("authorization", "Bearer sl_test_guessed-key"), null));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
        assertThat(response.json().path("detail").asText()).startsWith("The API key is not valid for this deployment");
        assertThat(response.body()).doesNotContain("guessed-key");
    }

    @Test
    void aKeyWithAnotherScheme_answers401NamingTheBearerScheme() {
        TestDeployment.Response response = api.send(TestDeployment.event("GET", "/v1/apps/shop-export",
                Map.of("authorization", "Basic " + TestDeployment.API_KEY), null));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().path("detail").asText()).contains("must use the Bearer scheme");
    }

    @Test
    void aKeyThatIsAPrefixOfAValidKey_answers401() {
        String prefix = TestDeployment.API_KEY.substring(0, TestDeployment.API_KEY.length() - 1);

        TestDeployment.Response response = api.send(TestDeployment.event("GET", "/v1/apps/shop-export",
                Map.of("authorization", "Bearer " + prefix), null));

        assertThat(response.status()).isEqualTo(401);
    }

    @Test
    void anyConfiguredKey_isAccepted() {
        TestDeployment.Response first = api.send(TestDeployment.event("GET", "/v1/apps/shop-export",
                Map.of("authorization", "Bearer another-key-of-this-deployment"), null));
        TestDeployment.Response second = api.send(TestDeployment.event("GET", "/v1/apps/shop-export",
                Map.of("authorization", "bearer " + TestDeployment.API_KEY), null));

        assertThat(first.status()).isEqualTo(404);
        assertThat(second.status()).isEqualTo(404);
    }

    @Test
    void anUnknownV1RouteWithoutAKey_answers401RatherThanRevealingItsRoutes() {
        TestDeployment.Response response = api.send(TestDeployment.event("GET", "/v1/secrets", Map.of(), null));

        assertThat(response.status()).isEqualTo(401);
    }

    @Test
    void aWriteWithoutAKey_changesNothing() {
        TestDeployment.Response response = api.send(TestDeployment.event("PUT", "/v1/apps/shop-export",
                Map.of("content-type", "application/json"),
                TestDeployment.JSON.write(Manifests.valid(java.net.URI.create("https://shop.example.com"), "1.0.0"))));

        assertThat(response.status()).isEqualTo(401);
        assertThat(api.get("/v1/apps/shop-export").status()).isEqualTo(404);
    }
}
