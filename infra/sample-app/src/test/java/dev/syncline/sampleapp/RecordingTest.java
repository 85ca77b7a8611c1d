package dev.syncline.sampleapp;

import static dev.syncline.sampleapp.Events.created;
import static dev.syncline.sampleapp.Events.lifecycle;
import static dev.syncline.sampleapp.Events.product;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.sampleapp.ReceivedRequest.Outcome;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RecordingTest {

    private SampleApp app;
    private FakeEngine engine;
    private FakeEngine.Installed shop;

    @BeforeEach
    void start() throws IOException {
        app = SampleApp.start(0);
        engine = new FakeEngine(app);
        shop = engine.install("shop-1");
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void receivedRequests_recordWhatArrivedAndWhatWasAnswered() {
        Instant before = Instant.now();
        String token = shop.tokenForRun("run-1");

        engine.consume(token, product("product_created", "SKU-1", created("SKU-1", "SIMPLE")), "run-1:SKU-1");

        ReceivedRequest recorded = app.receivedRequestsForEvent("product_created").getFirst();
        assertThat(recorded.method()).isEqualTo("PUT");
        assertThat(recorded.path()).isEqualTo("/consume/product_created");
        assertThat(recorded.event()).isEqualTo("product_created");
        assertThat(recorded.resourceId()).hasValue("SKU-1");
        assertThat(recorded.changeTypes()).containsExactly("product_created");
        assertThat(recorded.installationId()).hasValue("shop-1");
        assertThat(recorded.synchronizationId()).hasValue("run-1");
        assertThat(recorded.claims()).containsEntry("api_url", FakeEngine.API_URL).containsKey("exp");
        assertThat(recorded.idempotencyKey()).hasValue("run-1:SKU-1");
        assertThat(recorded.header("x-app-token")).hasValue("[redacted]");
        assertThat(recorded.headers().toString()).doesNotContain(token);
        assertThat(recorded.receivedAt()).isBetween(before, Instant.now());
        assertThat(recorded.status()).isEqualTo(200);
        assertThat(recorded.outcome()).isEqualTo(Outcome.ACCEPTED);
    }

    @Test
    void anAppStartedToKeepFewerRequests_keepsTheNewestOfThem() throws IOException {
        try (SampleApp small = SampleApp.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 3)) {
            FakeEngine toSmall = new FakeEngine(small);
            FakeEngine.Installed installed = toSmall.install("shop-1"); // the handshake and two configuration steps
            for (String sku : List.of("SKU-1", "SKU-2", "SKU-3")) {
                toSmall.consume(installed.token(), product("product_created", sku, created(sku, "SIMPLE")));
            }

            assertThat(small.receivedRequests(request -> true)).extracting(request -> request.resourceId().orElseThrow())
                    .containsExactly("SKU-1", "SKU-2", "SKU-3");
        }
        assertThatThrownBy(() -> SampleApp.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void receivedRequests_canBeFilteredByEventAndInstallation() {
        var other = engine.install("shop-2");
        engine.consume(shop.token(), lifecycle("app_installed"));
        engine.consume(other.token(), lifecycle("app_installed"));
        engine.consume(other.token(), product("product_created", "SKU-1", created("SKU-1", "SIMPLE")));

        assertThat(app.receivedRequestsForEvent("app_installed")).extracting(r -> r.installationId().orElseThrow())
                .containsExactly("shop-1", "shop-2");
        assertThat(app.receivedRequestsForInstallation("shop-2")).extracting(ReceivedRequest::path)
                .containsExactly("/handshake", "/configuration", "/configuration", "/consume/app_installed",
                        "/consume/product_created");
        assertThat(app.receivedRequests(request -> request.resourceId().isPresent())).hasSize(1);
    }

    @Test
    void requestsEndpoint_listsRecordedRequestsAsJson_filteredByQuery() {
        var other = engine.install("shop-2");
        engine.consume(shop.token(), lifecycle("app_installed"));
        engine.consume(other.token(), lifecycle("app_installed"));
        engine.consume("forged", lifecycle("app_installed"));

        JsonNode all = FakeEngine.json(engine.get("/_sample/requests").body());
        JsonNode installedOnShop2 = FakeEngine.json(
                engine.get("/_sample/requests?event=app_installed&installation=shop-2").body());
        JsonNode rejected = FakeEngine.json(engine.get("/_sample/requests?outcome=rejected").body());

        // Per installation a handshake and two configuration steps, then the three events.
        assertThat(all.size()).isEqualTo(9);
        assertThat(installedOnShop2.size()).isEqualTo(1);
        assertThat(installedOnShop2.get(0).path("status").asInt()).isEqualTo(204);
        assertThat(installedOnShop2.get(0).at("/body/name").asText()).isEqualTo("app_installed");
        assertThat(installedOnShop2.get(0).at("/claims/app_installation_id").asText()).isEqualTo("shop-2");
        assertThat(rejected.size()).isEqualTo(1);
        assertThat(rejected.get(0).path("reason").asText()).contains("not a JWT");
    }

    @Test
    void sampleEndpoints_areNeitherRecordedNorProtectedByTokens() {
        var health = engine.get("/_sample/health");
        engine.get("/_sample/requests");
        engine.get("/_sample/catalog/shop-1");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(app.receivedRequests()).extracting(ReceivedRequest::path)
                .containsExactly("/handshake", "/configuration", "/configuration");
    }

    @Test
    void catalogEndpoint_answersTheModelOrA404ForAnUnknownInstallation() {
        engine.consume(shop.token(), product("product_created", "SKU-1", created("SKU-1", "SIMPLE")));

        var known = engine.get("/_sample/catalog/shop-1");
        var unknown = engine.get("/_sample/catalog/shop-9");

        assertThat(FakeEngine.json(known.body()).at("/products/SKU-1/type").asText()).isEqualTo("SIMPLE");
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void reset_forgetsRecordingsButKeepsInstallations() {
        engine.consume(shop.token(), lifecycle("app_installed"));

        app.reset();

        assertThat(app.receivedRequests()).isEmpty();
        assertThat(engine.consume(shop.token(), lifecycle("app_installed")).statusCode()).isEqualTo(204);
    }

    @Test
    void awaitReceivedRequests_returnsOnceEnoughHaveArrived() throws Exception {
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<List<ReceivedRequest>> awaited = threads.submit(() -> app.awaitReceivedRequests(
                    request -> "app_installed".equals(request.event()), 2, Duration.ofSeconds(5)));
            engine.consume(shop.token(), lifecycle("app_installed"));
            engine.consume(shop.token(), lifecycle("app_installed"));

            assertThat(awaited.get()).hasSize(2);
        }
    }

    @Test
    void awaitReceivedRequests_whenTooFewArrive_saysHowManyDid() {
        engine.consume(shop.token(), lifecycle("app_installed"));

        assertThatThrownBy(() -> app.awaitReceivedRequests(request -> "app_installed".equals(request.event()), 2,
                Duration.ofMillis(200)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("but 1 arrived");
    }
}
