package dev.syncline.sampleapp;

import static dev.syncline.sampleapp.Events.created;
import static dev.syncline.sampleapp.Events.lifecycle;
import static dev.syncline.sampleapp.Events.product;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.sampleapp.ReceivedRequest.Outcome;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {

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
    void failureRate_answers503ToRoughlyThatShareOfRequests_andFaultedOnesChangeNothing() {
        app.setFaults(Faults.none().withFailureRate(0.3).withSeed(42));

        List<Integer> statuses = createProducts(200);

        long unavailable = statuses.stream().filter(status -> status == 503).count();
        assertThat(unavailable).isBetween(40L, 80L);
        assertThat(statuses).containsOnly(200, 503);
        assertThat(app.catalog("shop-1").orElseThrow().path("products").size())
                .as("only the products answered 200 are held").isEqualTo(200 - (int) unavailable);
        assertThat(app.receivedRequests(request -> request.outcome() == Outcome.FAULTED)).hasSize((int) unavailable)
                .allSatisfy(request -> assertThat(request.status()).isEqualTo(503));
    }

    @Test
    void failureRate_withTheSameSeed_failsTheSameRequests() {
        app.setFaults(Faults.none().withFailureRate(0.5).withSeed(7));
        List<Integer> first = createProducts(40);

        app.setFaults(Faults.none().withFailureRate(0.5).withSeed(7));
        List<Integer> second = createProducts(40);

        app.setFaults(Faults.none().withFailureRate(0.5).withSeed(8));
        List<Integer> otherSeed = createProducts(40);

        assertThat(second).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
    }

    @Test
    void throttleRate_answers429WithRetryAfterHeader() {
        app.setFaults(Faults.none().withThrottleRate(1.0, 7));

        var response = engine.consume(shop.token(), product("product_created", "SKU-1", created("SKU-1", "SIMPLE")));

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(FakeEngine.json(response.body()).path("retry_after_seconds").asInt()).isEqualTo(7);
        assertThat(app.catalog("shop-1").orElseThrow().path("products").isEmpty()).isTrue();
    }

    @Test
    void resourceStatus_answersTheChosenStatusForThatSkuOnEveryAttempt_andOthersNormally() {
        app.setFaults(Faults.none().withResourceStatus("SKU-7", 422, "SKU-7 has no price for the shop"));

        List<HttpResponse<String>> attempts = new ArrayList<>();
        for (int attempt = 0; attempt < 3; attempt++) {
            attempts.add(engine.consume(shop.token(), product("product_created", "SKU-7", created("SKU-7", "SIMPLE"))));
        }
        var other = engine.consume(shop.token(), product("product_created", "SKU-8", created("SKU-8", "SIMPLE")));

        assertThat(attempts).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(422);
            JsonNode error = FakeEngine.json(response.body());
            assertThat(error.path("message").asText()).isEqualTo("SKU-7 has no price for the shop");
            assertThat(error.path("resource_id").asText()).isEqualTo("SKU-7");
        });
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(app.catalog("shop-1").orElseThrow().path("products").has("SKU-7")).isFalse();
        assertThat(app.receivedRequests(request -> request.resourceId().orElse("").equals("SKU-7")))
                .extracting(ReceivedRequest::status, ReceivedRequest::outcome)
                .containsOnly(tuple(422, Outcome.FAULTED));
    }

    @Test
    void timeouts_hangLongerThanTheCallersTimeout_andAreRecordedAtOnce() throws Exception {
        app.setFaults(Faults.none().withTimeouts(1.0, Duration.ofSeconds(5)));
        long started = System.nanoTime();

        assertThatThrownBy(() -> engine.consume(shop.token(),
                product("product_created", "SKU-1", created("SKU-1", "SIMPLE")), Duration.ofMillis(300)))
                .isInstanceOf(HttpTimeoutException.class);

        List<ReceivedRequest> recorded = app.awaitReceivedRequests(
                request -> "product_created".equals(request.event()), 1, Duration.ofSeconds(2));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        assertThat(recorded.getFirst().outcome()).isEqualTo(Outcome.FAULTED);
        assertThat(recorded.getFirst().status()).isEqualTo(504);
        assertThat(app.catalog("shop-1").orElseThrow().path("products").isEmpty()).isTrue();
    }

    @Test
    void latency_delaysEveryAnswerByAtLeastThatMuch() {
        app.setFaults(Faults.none().withLatency(Duration.ofMillis(300)));
        long started = System.nanoTime();

        var response = engine.consume(shop.token(), product("product_created", "SKU-1", created("SKU-1", "SIMPLE")));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(response.statusCode()).as("latency alone does not fail the request").isEqualTo(200);
    }

    @Test
    void faults_applyToDownloadFileToo() {
        app.setFaults(Faults.none().withFailureRate(1.0));

        assertThat(engine.download(shop.tokenForRun("run-1")).statusCode()).isEqualTo(503);
    }

    @Test
    void faults_neverApplyToSampleEndpoints() {
        app.setFaults(Faults.none().withFailureRate(1.0).withLatency(Duration.ofSeconds(3)));
        long started = System.nanoTime();

        assertThat(engine.get("/_sample/health").statusCode()).isEqualTo(200);
        assertThat(engine.get("/_sample/requests").statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void handshake_isFaultedOnlyWhenIncluded() {
        app.setFaults(Faults.none().withFailureRate(1.0));
        engine.install("shop-2");

        app.setFaults(Faults.none().withFailureRate(1.0).withHandshakeIncluded(true));
        String secret = FakeEngine.newSecret();
        var response = engine.handshake(secret,
                FakeEngine.claims("shop-3").sign(Algorithm.HMAC256(secret)));

        assertThat(app.hasInstallation("shop-2")).isTrue();
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(app.hasInstallation("shop-3")).isFalse();
    }

    @Test
    void faults_setOverHttp_areAppliedAndReadBack_andResetClearsThem() {
        var set = engine.put("/_sample/faults", """
                {"throttle_rate": 1.0, "retry_after_seconds": 3,
                 "resources": {"SKU-7": {"status": 422, "reason": "no price"}}, "seed": 5}
                """);
        var throttled = engine.consume(shop.token(), lifecycle("app_installed"));
        var readBack = FakeEngine.json(engine.get("/_sample/faults").body());

        var reset = engine.post("/_sample/reset");
        var afterReset = engine.consume(shop.token(), lifecycle("app_installed"));

        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).hasValue("3");
        assertThat(readBack.path("throttle_rate").asDouble()).isEqualTo(1.0);
        assertThat(readBack.at("/resources/SKU-7/status").asInt()).isEqualTo(422);
        assertThat(app.faults().resourceFault("SKU-7")).isEmpty();
        assertThat(reset.statusCode()).isEqualTo(204);
        assertThat(afterReset.statusCode()).isEqualTo(204);
        assertThat(app.receivedRequests()).hasSize(1);
    }

    @Test
    void faults_setOverHttpWithAnInvalidValue_answers400NamingIt() {
        var tooHigh = engine.put("/_sample/faults", "{\"failure_rate\": 1.5}");
        var unknown = engine.put("/_sample/faults", "{\"failure_ratio\": 0.5}");

        assertThat(tooHigh.statusCode()).isEqualTo(400);
        assertThat(FakeEngine.json(tooHigh.body()).path("message").asText()).contains("failure rate");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(FakeEngine.json(unknown.body()).path("message").asText()).contains("failure_ratio");
        assertThat(app.faults()).isEqualTo(Faults.none());
    }

    @Test
    void faults_whoseRatesAddUpToMoreThanOne_areRefused() {
        assertThatThrownBy(() -> Faults.none().withFailureRate(0.6).withThrottleRate(0.6, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than 1");
    }

    private List<Integer> createProducts(int count) {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String sku = "SKU-" + i + "-" + System.nanoTime();
            statuses.add(engine.consume(shop.token(), product("product_created", sku, created(sku, "SIMPLE")))
                    .statusCode());
        }
        return statuses;
    }
}
