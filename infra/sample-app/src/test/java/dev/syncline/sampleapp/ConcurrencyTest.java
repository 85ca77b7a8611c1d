package dev.syncline.sampleapp;

import static dev.syncline.sampleapp.Events.created;
import static dev.syncline.sampleapp.Events.in;
import static dev.syncline.sampleapp.Events.product;
import static dev.syncline.sampleapp.Events.value;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {

    private static final int INSTALLATIONS = 4;
    private static final int PRODUCTS = 100;
    private static final int IN_FLIGHT = 64;

    private SampleApp app;
    private FakeEngine engine;

    @BeforeEach
    void start() throws IOException {
        app = SampleApp.start(0);
        engine = new FakeEngine(app);
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void consume_manyConcurrentRequestsAcrossInstallations_areAllAppliedAndRecorded() throws Exception {
        List<FakeEngine.Installed> shops = new ArrayList<>();
        for (int i = 0; i < INSTALLATIONS; i++) {
            shops.add(engine.install("shop-" + i));
        }

        // Many requests in flight, as a wide window sends one App, but bounded: with all 400 at once, a request now and
        // then went out on a pooled connection the JDK server had already closed (it keeps at most 200 idle ones)
        // and failed without an answer ("header parser received no bytes"), which says nothing about the App.
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        List<Future<HttpResponse<String>>> responses = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (FakeEngine.Installed shop : shops) {
                for (int p = 0; p < PRODUCTS; p++) {
                    String sku = "SKU-%03d".formatted(p);
                    responses.add(threads.submit(() -> {
                        inFlight.acquire();
                        try {
                            return engine.consume(shop.token(), product("product_created", sku,
                                    created(sku, "SIMPLE"), value("product_value_added", "name", in("en_GB", sku))));
                        } finally {
                            inFlight.release();
                        }
                    }));
                }
            }
        }

        Set<String> externalIds = new HashSet<>();
        for (Future<HttpResponse<String>> response : responses) {
            assertThat(response.get().statusCode()).isEqualTo(200);
            externalIds.add(FakeEngine.json(response.get().body()).at("/resource_customs/external_id").asText());
        }
        assertThat(externalIds).as("one external id per installation and SKU").hasSize(INSTALLATIONS * PRODUCTS);
        for (FakeEngine.Installed shop : shops) {
            List<String> rows = app.productFeed(shop.id()).orElseThrow().lines().toList();
            assertThat(rows).hasSize(PRODUCTS + 1);
            assertThat(rows.subList(1, rows.size())).isSorted();
            assertThat(app.receivedRequestsForInstallation(shop.id())).filteredOn(ReceivedRequest::isConsume)
                    .hasSize(PRODUCTS);
        }
        assertThat(app.receivedRequestsForEvent("product_created")).hasSize(INSTALLATIONS * PRODUCTS);
    }
}
