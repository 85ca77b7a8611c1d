package dev.syncline.sampleapp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConfigurationTest {

    private SampleApp app;
    private FakeEngine engine;
    private FakeEngine.Installed shop;

    @BeforeEach
    void start() throws Exception {
        app = SampleApp.start(0);
        engine = new FakeEngine(app);
        shop = engine.installUnconfigured("shop-1");
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void configuration_beforeAnyStep_isOneNullPerStep() {
        HttpResponse<String> response = engine.send(engine.request("/configuration", shop.token()).GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(FakeEngine.json(response.body())).hasSize(2).allMatch(JsonNode::isNull);
    }

    @Test
    void consume_beforeConfiguration_isRefusedWith422NotConfigured() {
        HttpResponse<String> response = engine.consume(shop.token(), Events.product("product_created", "SKU-1"));

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(FakeEngine.json(response.body()).path("error").asText()).isEqualTo("not_configured");
        assertThat(app.catalog("shop-1").orElseThrow().path("products")).isEmpty();
    }

    @Test
    void consume_afterBothSteps_isApplied() {
        engine.configure(shop.token(), 0, FakeEngine.json(SampleConfiguration.EXAMPLE.get(0)));
        assertThat(engine.consume(shop.token(), Events.product("product_created", "SKU-1")).statusCode()).isEqualTo(422);

        engine.configure(shop.token(), 1, FakeEngine.json(SampleConfiguration.EXAMPLE.get(1)));
        HttpResponse<String> response = engine.consume(shop.token(), Events.product("product_created", "SKU-1"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(app.isConfigured("shop-1")).isTrue();
        JsonNode stored = FakeEngine.json(engine.send(engine.request("/configuration", shop.token()).GET()).body());
        assertThat(stored.path(0).path("channel").asText()).isEqualTo("web");
        assertThat(stored.path(1).path("currency").asText()).isEqualTo("EUR");
        assertThat(stored.path(0).path("api_key").asText()).isEqualTo("shop-key-1");
        assertThat(app.receivedRequests(request -> request.path().equals("/configuration")
                && request.method().equals("POST")).getFirst().body().path("configuration").path("api_key").asText())
                .isEqualTo("[redacted]");
    }

    @Test
    void configure_withUnknownChannel_answers422WithTheViolationAtItsField() {
        HttpResponse<String> response = engine.configure(shop.token(), 0,
                FakeEngine.json("{\"channel\":\"moon\",\"shop_url\":\"https://shop.example.com\"}"));

        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode violation = FakeEngine.json(response.body()).path("violations").path(0);
        assertThat(violation.path("propertyPath").asText()).isEqualTo("channel");
        assertThat(violation.path("title").asText()).isEqualTo("The sales channel \"moon\" does not exist.");
        assertThat(violation.path("template").asText()).isEqualTo("The sales channel {{ channel }} does not exist.");
        assertThat(violation.path("parameters").path("{{ channel }}").asText()).isEqualTo("\"moon\"");
        assertThat(FakeEngine.json(engine.send(engine.request("/configuration", shop.token()).GET()).body()).path(0)
                .isNull()).isTrue();
    }

    @Test
    void dictionary_channels_listsEveryChannelWithIdAndLabel() {
        HttpResponse<String> response = engine.send(engine.request("/dictionary/channels", shop.token()).GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(FakeEngine.json(response.body()).path("dictionary").findValuesAsText("id"))
                .containsExactly("web", "marketplace", "retail");
    }

    @Test
    void configuration_withoutToken_isRefusedWith401() {
        assertThat(engine.send(engine.request("/configuration", null).GET()).statusCode()).isEqualTo(401);
    }
}
