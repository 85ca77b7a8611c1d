package dev.syncline.api;

import static dev.syncline.api.Manifests.valid;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import dev.syncline.adapters.aws.AwsClientFactory;
import dev.syncline.adapters.config.Config;
import dev.syncline.adapters.crypto.AesGcmSecretVault;
import dev.syncline.adapters.dynamodb.DynamoDbInstallationStore;
import dev.syncline.adapters.http.AppUrlGuard;
import dev.syncline.adapters.http.HttpAppClient;
import dev.syncline.adapters.jwt.JwtAppTokenSigner;
import dev.syncline.core.app.AppId;
import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.app.Semver;
import dev.syncline.core.installation.AppTokenClaims;
import dev.syncline.core.installation.DispatchSettings;
import dev.syncline.core.installation.Installation;
import dev.syncline.core.installation.InstallationStatus;
import dev.syncline.core.installation.SharedSecret;
import dev.syncline.sampleapp.ReceivedRequest;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * The sample events under {@code events/api} (also what {@code sam local invoke} takes), each sent to the handler.
 * They carry the test API key, and the installation they name is the one {@link #seedInstallation} creates.
 */
@AwsIntegrationTest
class SampleEventsTest {

    private static final UUID SEEDED = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");
    private static final URI MANIFEST_URL = URI.create("https://shop-export.example.com/app");

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

    @ParameterizedTest
    @Event(value = "events/api/put-app.json", type = APIGatewayV2HTTPEvent.class)
    void putApp_registersTheManifest(APIGatewayV2HTTPEvent event) {
        TestDeployment.Response response = api.send(event);

        assertThat(response.status()).isEqualTo(201);
        assertThat(api.get("/v1/apps/shop-export").json().path("events")).hasSize(5);
    }

    @ParameterizedTest
    @Event(value = "events/api/put-app-invalid.json", type = APIGatewayV2HTTPEvent.class)
    void putAppInvalid_listsEveryBrokenRule(APIGatewayV2HTTPEvent event) {
        TestDeployment.Response response = api.send(event);

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().path("violations").findValuesAsText("field"))
                .containsExactly("name", "compatible", "events[1]");
    }

    @ParameterizedTest
    @Event(value = "events/api/get-app.json", type = APIGatewayV2HTTPEvent.class)
    void getApp_answersTheLatestManifest(APIGatewayV2HTTPEvent event) {
        api.register("shop-export", valid(MANIFEST_URL, "1.0.0"));
        api.register("shop-export", valid(MANIFEST_URL, "1.1.0"));

        TestDeployment.Response response = api.send(event);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("version").asText()).isEqualTo("1.1.0");
    }

    @ParameterizedTest
    @Event(value = "events/api/get-app-version.json", type = APIGatewayV2HTTPEvent.class)
    void getAppVersion_answersThatVersion(APIGatewayV2HTTPEvent event) {
        api.register("shop-export", valid(MANIFEST_URL, "1.0.0"));
        api.register("shop-export", valid(MANIFEST_URL, "1.1.0"));

        TestDeployment.Response response = api.send(event);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("version").asText()).isEqualTo("1.0.0");
    }

    @ParameterizedTest
    @Event(value = "events/api/post-installation.json", type = APIGatewayV2HTTPEvent.class)
    void postInstallation_installsTheApp(APIGatewayV2HTTPEvent event) {
        api.register("shop-export", valid(app.baseUri(), "1.0.0"));

        TestDeployment.Response response = api.send(event);

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.json().path("name").asText()).isEqualTo("Shop DE");
        assertThat(app.hasInstallation(response.json().path("id").asText())).isTrue();
    }

    @ParameterizedTest
    @Event(value = "events/api/get-installation.json", type = APIGatewayV2HTTPEvent.class)
    void getInstallation_answersIt(APIGatewayV2HTTPEvent event) {
        api.register("shop-export", valid(app.baseUri(), "1.0.0"));
        seedInstallation();

        TestDeployment.Response response = api.send(event);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("id").asText()).isEqualTo(SEEDED.toString());
        assertThat(response.json().path("status").asText()).isEqualTo("active");
    }

    @ParameterizedTest
    @Event(value = "events/api/list-installations.json", type = APIGatewayV2HTTPEvent.class)
    void listInstallations_answersTheAppsInstallations(APIGatewayV2HTTPEvent event) {
        api.register("shop-export", valid(app.baseUri(), "1.0.0"));
        seedInstallation();

        TestDeployment.Response response = api.send(event);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("installations").findValuesAsText("id")).containsExactly(SEEDED.toString());
    }

    @ParameterizedTest
    @Event(value = "events/api/delete-installation.json", type = APIGatewayV2HTTPEvent.class)
    void deleteInstallation_uninstallsAndTellsTheApp(APIGatewayV2HTTPEvent event) {
        api.register("shop-export", valid(app.baseUri(), "1.0.0"));
        seedInstallation();

        TestDeployment.Response response = api.send(event);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("status").asText()).isEqualTo("uninstalled");
        assertThat(app.receivedRequestsForEvent("app_uninstalled")).singleElement()
                .satisfies(request -> assertThat(request.outcome()).isEqualTo(ReceivedRequest.Outcome.ACCEPTED));
    }

    @ParameterizedTest
    @Event(value = "events/api/missing-api-key.json", type = APIGatewayV2HTTPEvent.class)
    void missingApiKey_answers401(APIGatewayV2HTTPEvent event) {
        TestDeployment.Response response = api.send(event);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().path("request_id").asText()).isEqualTo("TqWfzhQ-liAEJ09A=");
    }

    @ParameterizedTest
    @Event(value = "events/api/unknown-route.json", type = APIGatewayV2HTTPEvent.class)
    void unknownRoute_answers404(APIGatewayV2HTTPEvent event) {
        assertThat(api.send(event).status()).isEqualTo(404);
    }

    @Test
    void everySampleEvent_isSentByATestHere() throws IOException, URISyntaxException {
        Path directory = Path.of(Objects.requireNonNull(getClass().getClassLoader().getResource("events/api")).toURI());
        Set<String> fixtures;
        try (Stream<Path> files = Files.list(directory)) {
            fixtures = files.map(file -> "events/api/" + file.getFileName()).collect(Collectors.toSet());
        }

        Set<String> used = Arrays.stream(getClass().getDeclaredMethods())
                .map(method -> method.getAnnotation(Event.class))
                .filter(Objects::nonNull)
                .map(Event::value)
                .collect(Collectors.toSet());

        assertThat(used).containsExactlyInAnyOrderElementsOf(fixtures);
    }

    /**
     * Creates the installation the sample events name, as an install would have: handshake with the App, secret
     * encrypted with the deployment's key, item stored.
     */
    private void seedInstallation() {
        SharedSecret secret = SharedSecret.generate(new SecureRandom());
        Instant now = Instant.now();
        Installation installation = new Installation(SEEDED, new AppId("shop-export"), Semver.parse("1.0.0"),
                "Shop DE", HttpUrl.parse("https://pim.example.com/api"), InstallationStatus.ACTIVE,
                DispatchSettings.DEFAULT,
                AesGcmSecretVault.create(Base64.getDecoder().decode(TestDeployment.SECRETS_KEY)).encrypt(secret, SEEDED),
                now, now, null);
        HttpAppClient engine = HttpAppClient.create(AppUrlGuard.create(true), JwtAppTokenSigner.create(),
                TestDeployment.JSON, Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(engine.handshake(HttpUrl.parse(app.baseUri().toString()),
                AppTokenClaims.forInstallation(installation, now), secret).succeeded()).isTrue();
        try (AwsClientFactory clients = AwsClientFactory.create(Config.from(stack.environment()))) {
            new DynamoDbInstallationStore(clients.dynamoDb(), stack.names().table()).create(installation);
        }
        app.reset();
    }
}
