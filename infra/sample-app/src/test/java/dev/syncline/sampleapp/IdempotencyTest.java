package dev.syncline.sampleapp;

import static dev.syncline.sampleapp.Events.created;
import static dev.syncline.sampleapp.Events.in;
import static dev.syncline.sampleapp.Events.product;
import static dev.syncline.sampleapp.Events.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.sampleapp.ReceivedRequest.Outcome;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IdempotencyTest {

    private SampleApp app;
    private FakeEngine engine;
    private FakeEngine.Installed shop;

    @BeforeEach
    void start() throws IOException {
        app = SampleApp.start(0);
        engine = new FakeEngine(app);
        shop = engine.install("shop-1");
        engine.consume(shop.token(), product("product_created", "SKU-1", created("SKU-1", "SIMPLE")));
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void consume_withARepeatedIdempotencyKey_isAcknowledgedWithTheFirstAnswerAndNotAppliedAgain() {
        var red = engine.consume(shop.token(), colour("red"), "run-1:entry-1");
        var blue = engine.consume(shop.token(), colour("blue"), "run-2:entry-1");
        // A late retry of the first delivery must not put the old value back.
        var redAgain = engine.consume(shop.token(), colour("red"), "run-1:entry-1");

        assertThat(red.statusCode()).isEqualTo(200);
        assertThat(blue.statusCode()).isEqualTo(200);
        assertThat(redAgain.statusCode()).isEqualTo(200);
        assertThat(redAgain.body()).isEqualTo(red.body());
        assertThat(app.productFeed("shop-1").orElseThrow()).contains("SKU-1,SIMPLE,,,,blue");
        assertThat(app.receivedRequestsForEvent("product_updated")).extracting(ReceivedRequest::outcome)
                .containsExactly(Outcome.ACCEPTED, Outcome.ACCEPTED, Outcome.DUPLICATE);
    }

    @Test
    void consume_withTheSameKeyForAnotherInstallation_isApplied() {
        var other = engine.install("shop-2");
        engine.consume(other.token(), product("product_created", "SKU-1", created("SKU-1", "SIMPLE")));

        engine.consume(shop.token(), colour("red"), "entry-1");
        var response = engine.consume(other.token(), colour("green"), "entry-1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(app.productFeed("shop-2").orElseThrow()).contains("green");
    }

    @Test
    void consume_withAKeyFirstUsedForAnotherResource_answers422() {
        engine.consume(shop.token(), colour("red"), "entry-1");

        var response = engine.consume(shop.token(), product("product_created", "SKU-2", created("SKU-2", "SIMPLE")),
                "entry-1");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(FakeEngine.json(response.body()).path("message").asText()).contains("SKU-1").contains("SKU-2");
        assertThat(app.catalog("shop-1").orElseThrow().path("products").has("SKU-2")).isFalse();
    }

    @Test
    void consume_retriedWithTheSameKeyAfterAFaultedAttempt_isApplied() {
        app.setFaults(Faults.none().withFailureRate(1.0));
        var faulted = engine.consume(shop.token(), colour("red"), "entry-1");
        app.setFaults(Faults.none());

        var retried = engine.consume(shop.token(), colour("red"), "entry-1");

        assertThat(faulted.statusCode()).isEqualTo(503);
        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(app.productFeed("shop-1").orElseThrow()).contains("red");
        assertThat(app.receivedRequestsForEvent("product_updated").getLast().outcome()).isEqualTo(Outcome.ACCEPTED);
    }

    @Test
    void consume_withTheSameKeySentConcurrently_isAppliedExactlyOnce() throws Exception {
        List<Future<HttpResponse<String>>> responses = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                responses.add(threads.submit(() -> engine.consume(shop.token(), colour("red"), "entry-1")));
            }
        }

        for (Future<HttpResponse<String>> response : responses) {
            assertThat(response.get().statusCode()).isEqualTo(200);
        }
        assertThat(app.receivedRequestsForEvent("product_updated")).extracting(ReceivedRequest::outcome)
                .containsOnlyOnce(Outcome.ACCEPTED)
                .hasSize(20);
    }

    private static ObjectNode colour(String colour) {
        return product("product_updated", "SKU-1", value("product_value_changed", "color", in(null, colour)));
    }
}
