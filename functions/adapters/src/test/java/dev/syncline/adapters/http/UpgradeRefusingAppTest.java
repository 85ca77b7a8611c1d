package dev.syncline.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.jwt.JwtAppTokenSigner;
import dev.syncline.core.app.AppCallOutcome;
import dev.syncline.core.app.AppResponse;
import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.delivery.AppTarget;
import dev.syncline.core.delivery.ConsumeRequest;
import dev.syncline.core.delivery.DeliveryAttempt;
import dev.syncline.core.file.AppFileSource;
import dev.syncline.core.file.RunFile;
import dev.syncline.core.installation.AppTokenClaims;
import dev.syncline.core.installation.SharedSecret;
import dev.syncline.core.plan.ChangeEvent;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.ResourceType;
import dev.syncline.testing.http.UpgradeRefusingServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every App-facing call against a server that refuses HTTP/2 upgrade attempts exactly like uvicorn does: the
 * handshake, an event delivery and a file download must all be answered by the App, and none of them may carry an
 * upgrade on the wire.
 */
class UpgradeRefusingAppTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final byte[] FILE = "sku;name\nSKU-1;Red shoe\n".getBytes(StandardCharsets.UTF_8);

    private final JsonCodec json = JsonCodec.create();
    private final JwtAppTokenSigner tokens = JwtAppTokenSigner.create();
    private final SharedSecret secret = SharedSecret.generate(new SecureRandom());
    private final AppUrlGuard loopbackAllowed = AppUrlGuard.create(true);
    private UpgradeRefusingServer app;
    private HttpUrl appUrl;

    @BeforeEach
    void startApp() {
        app = UpgradeRefusingServer.start(request -> switch (request.path()) {
            case "/app/handshake" -> UpgradeRefusingServer.Response.json(200, "{}");
            case "/app/consume/product_created" -> UpgradeRefusingServer.Response.json(200, "{\"resource_customs\":{\"id\":7}}");
            case "/app/download-file" -> new UpgradeRefusingServer.Response(200, Map.of("Content-Type", "text/csv"), FILE);
            default -> UpgradeRefusingServer.Response.json(404, "{}");
        });
        appUrl = HttpUrl.parse(app.baseUrl() + "/app");
    }

    @AfterEach
    void stopApp() {
        app.close();
    }

    @Test
    void theTestServer_refusesAnUpgradeAttemptLikeUvicorn() throws IOException, InterruptedException {
        // What a default java.net.http client sends to a cleartext URL: the failure this test class guards against.
        HttpClient defaults = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();

        HttpResponse<String> answer = defaults.send(
                HttpRequest.newBuilder(URI.create(app.baseUrl() + "/app/handshake"))
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).isEqualTo("Unsupported upgrade request.");
        assertThat(app.received()).singleElement()
                .satisfies(request -> assertThat(request.header("Upgrade")).contains("h2c"));
    }

    @Test
    void handshake_isAnsweredByAnAppThatRefusesUpgrades() {
        HttpAppClient client = HttpAppClient.create(loopbackAllowed, tokens, json, TIMEOUT, TIMEOUT);

        AppCallOutcome outcome = client.handshake(appUrl, claims(null), secret);

        assertThat(outcome).isEqualTo(new AppResponse(200, "{}"));
        assertPlainHttp11(app.received());
        assertThat(app.received().getFirst().bodyText()).isEqualTo("{\"shared_secret\":\"" + secret.reveal() + "\"}");
    }

    @Test
    void eventDelivery_isAnsweredByAnAppThatRefusesUpgrades() {
        HttpAppEndpoint endpoint = HttpAppEndpoint.create(loopbackAllowed, tokens, json, Clock.systemUTC(), TIMEOUT, TIMEOUT);
        ConsumeRequest request = new ConsumeRequest("product_created", new ResourceKey(ResourceType.PRODUCT, "SKU-1"),
                List.of(new ChangeEvent("product_created", Map.of("sku", "SKU-1", "type", "SIMPLE"))), null, "run-1/entry-1");

        DeliveryAttempt attempt = endpoint.consume(target(UUID.randomUUID()), request);

        assertThat(attempt).isInstanceOfSatisfying(DeliveryAttempt.Answered.class, answered -> {
            assertThat(answered.status()).isEqualTo(200);
            assertThat(answered.customs()).containsEntry("id", 7);
        });
        assertPlainHttp11(app.received());
        assertThat(app.received().getFirst().method()).isEqualTo("PUT");
    }

    @Test
    void fileDownload_isAnsweredByAnAppThatRefusesUpgrades() {
        HttpFileDownload download = HttpFileDownload.create(loopbackAllowed, tokens, Clock.systemUTC(), TIMEOUT, TIMEOUT);
        UUID run = UUID.randomUUID();

        AppFileSource.Fetch fetch = download.fetch(target(run), (contentType, length, name, body) -> {
            try {
                byte[] bytes = body.readAllBytes();
                assertThat(bytes).isEqualTo(FILE);
                return new RunFile(run, UUID.randomUUID(), "files/x", "export.csv", bytes.length, "0".repeat(64), contentType,
                        Instant.now());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });

        assertThat(fetch).isInstanceOfSatisfying(AppFileSource.Fetch.Stored.class, stored -> {
            assertThat(stored.file().contentType()).isEqualTo("text/csv");
            assertThat(stored.file().sizeBytes()).isEqualTo(FILE.length);
        });
        assertPlainHttp11(app.received());
        assertThat(app.received().getFirst().method()).isEqualTo("GET");
    }

    @Test
    void tlsUrls_stillOfferHttp2ThroughAlpn() {
        HttpRequest request = AppHttpClient.request(URI.create("https://app.example.com/consume/x")).GET().build();
        HttpRequest cleartext = AppHttpClient.request(URI.create("http://app.example.com/consume/x")).GET().build();

        assertThat(request.version()).contains(HttpClient.Version.HTTP_2);
        // Left to the client, whose own version is HTTP/1.1.
        assertThat(cleartext.version()).isEmpty();
        assertThat(AppHttpClient.create(TIMEOUT).version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }

    /** One request, as HTTP/1.1, with no trace of an upgrade in its head. */
    private static void assertPlainHttp11(List<UpgradeRefusingServer.Request> received) {
        assertThat(received).singleElement().satisfies(request -> {
            assertThat(request.protocol()).isEqualTo("HTTP/1.1");
            assertThat(request.headerNames()).doesNotContain("upgrade", "http2-settings");
            assertThat(request.header("Connection").orElse("").toLowerCase(Locale.ROOT)).doesNotContain("upgrade");
        });
    }

    private AppTarget target(UUID synchronizationId) {
        return new AppTarget(appUrl, claims(synchronizationId), secret);
    }

    private static AppTokenClaims claims(UUID synchronizationId) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new AppTokenClaims(UUID.randomUUID(), HttpUrl.parse("https://pim.example.com/api"), now, now,
                now.plus(AppTokenClaims.LIFETIME), synchronizationId);
    }
}
