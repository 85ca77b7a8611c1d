package dev.syncline.sampleapp;

import static dev.syncline.sampleapp.Events.created;
import static dev.syncline.sampleapp.Events.product;
import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.sampleapp.ReceivedRequest.Outcome;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenVerificationTest {

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
    void consume_whenTokenSignedByInstallationSecret_isAccepted() {
        var response = engine.consume(shop.token(), product("product_created", "SKU-1", created("SKU-1", "SIMPLE")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(heldSkus()).containsExactly("SKU-1");
    }

    @Test
    void consume_whenTokenSignedWithWrongSecret_answers401() {
        String forged = FakeEngine.claims("shop-1").sign(Algorithm.HMAC256(FakeEngine.newSecret()));

        assertRejected(engine.consume(forged, createdSku1()), "signature");
    }

    @Test
    void consume_whenTokenExpired_answers401() {
        Instant anHourAgo = Instant.now().minus(Duration.ofHours(1));
        String expired = shop.token(claims -> claims.withIssuedAt(anHourAgo).withNotBefore(anHourAgo)
                .withExpiresAt(anHourAgo.plus(Duration.ofMinutes(5))));

        assertRejected(engine.consume(expired, createdSku1()), "expired");
    }

    @Test
    void consume_whenTokenNotValidYet_answers401() {
        String early = shop.token(claims -> claims.withNotBefore(Instant.now().plus(Duration.ofMinutes(2))));

        assertRejected(engine.consume(early, createdSku1()), "nbf");
    }

    @Test
    void consume_whenTokenHasNoExpiry_answers401() {
        String withoutExp = JWT.create().withClaim("app_installation_id", "shop-1").withIssuedAt(Instant.now())
                .sign(Algorithm.HMAC256(shop.secret()));

        assertRejected(engine.consume(withoutExp, createdSku1()), "'exp'");
    }

    @Test
    void consume_whenTokenExpiryIsNull_answers401() {
        String nullExp = FakeEngine.claims("shop-1").withExpiresAt((Instant) null)
                .sign(Algorithm.HMAC256(shop.secret()));

        assertRejected(engine.consume(nullExp, createdSku1()), "'exp'");
    }

    @Test
    void consume_whenTokenSignedWithAnotherAlgorithm_answers401() {
        String hs512 = FakeEngine.claims("shop-1").sign(Algorithm.HMAC512(shop.secret()));

        assertRejected(engine.consume(hs512, createdSku1()), "HS256");
    }

    @Test
    void consume_whenTokenForAnotherInstallation_answers401() {
        var other = engine.install("shop-2");
        // Claims to be shop-1 but is signed with shop-2's secret, as a token stolen from another tenant would be.
        String crossed = FakeEngine.claims("shop-1").sign(Algorithm.HMAC256(other.secret()));

        assertRejected(engine.consume(crossed, createdSku1()), "signature");
    }

    @Test
    void consume_whenInstallationUnknown_answers401() {
        String stranger = FakeEngine.claims("shop-9").sign(Algorithm.HMAC256(FakeEngine.newSecret()));

        assertRejected(engine.consume(stranger, createdSku1()), "unknown installation");
    }

    @Test
    void consume_withoutToken_answers401() {
        assertRejected(engine.send(engine.request("/consume/product_created", null)
                .PUT(HttpRequest.BodyPublishers.ofString(createdSku1().toString()))), "missing");
    }

    @Test
    void consume_whenTokenIsNotAJwt_answers401() {
        assertRejected(engine.consume("not-a-token", createdSku1()), "not a JWT");
    }

    private static JsonNode createdSku1() {
        return product("product_created", "SKU-1", created("SKU-1", "SIMPLE"));
    }

    private void assertRejected(HttpResponse<String> response, String reasonMentions) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode error = FakeEngine.json(response.body());
        assertThat(error.path("error").asText()).isEqualTo("unauthorized");
        assertThat(error.path("message").asText()).contains(reasonMentions);
        assertThat(heldSkus()).as("a rejected request changes nothing").isEmpty();
        ReceivedRequest recorded = app.receivedRequestsForEvent("product_created").getLast();
        assertThat(recorded.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(recorded.status()).isEqualTo(401);
        assertThat(recorded.claims()).as("claims of a token that did not verify are not trusted").isEmpty();
    }

    private List<String> heldSkus() {
        var skus = new ArrayList<String>();
        app.catalog("shop-1").orElseThrow().path("products").fieldNames().forEachRemaining(skus::add);
        return skus;
    }
}
