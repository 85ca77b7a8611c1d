package dev.syncline.sampleapp;

import static dev.syncline.sampleapp.Events.lifecycle;
import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.algorithms.Algorithm;
import dev.syncline.sampleapp.ReceivedRequest.Outcome;
import java.io.IOException;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HandshakeTest {

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
    void handshake_withTokenSignedBySecretInBody_storesSecretSoLaterSignedRequestsAreAccepted() {
        String secret = FakeEngine.newSecret();

        var handshake = engine.handshake(secret, FakeEngine.claims("shop-1").sign(Algorithm.HMAC256(secret)));
        var installed = engine.consume(new FakeEngine.Installed("shop-1", secret).token(), lifecycle("app_installed"));

        assertThat(handshake.statusCode()).isEqualTo(204);
        assertThat(app.hasInstallation("shop-1")).isTrue();
        assertThat(installed.statusCode()).isEqualTo(204);
        assertThat(app.catalog("shop-1").orElseThrow().path("status").asText()).isEqualTo("installed");
    }

    @Test
    void handshake_whenTokenSignedWithAnotherSecret_answers401WithJsonErrorAndStoresNothing() {
        var response = engine.handshake(FakeEngine.newSecret(),
                FakeEngine.claims("shop-1").sign(Algorithm.HMAC256(FakeEngine.newSecret())));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(FakeEngine.json(response.body()).path("error").asText()).isEqualTo("unauthorized");
        assertThat(app.hasInstallation("shop-1")).isFalse();
    }

    @Test
    void handshake_withoutSharedSecret_answers400() {
        String secret = FakeEngine.newSecret();
        var response = engine.send(engine.request("/handshake", FakeEngine.claims("shop-1")
                .sign(Algorithm.HMAC256(secret))).POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(FakeEngine.json(response.body()).path("message").asText()).contains("shared_secret");
        assertThat(app.hasInstallation("shop-1")).isFalse();
    }

    @Test
    void handshake_repeatedWithNewSecret_replacesTheOldSecret() {
        var first = engine.install("shop-1");
        var second = engine.install("shop-1");

        assertThat(engine.consume(first.token(), lifecycle("app_installed")).statusCode()).isEqualTo(401);
        assertThat(engine.consume(second.token(), lifecycle("app_installed")).statusCode()).isEqualTo(204);
    }

    @Test
    void handshake_isRecordedWithoutTheSecretOrTheToken() {
        String secret = FakeEngine.newSecret();
        String token = FakeEngine.claims("shop-1").sign(Algorithm.HMAC256(secret));

        engine.handshake(secret, token);

        ReceivedRequest recorded = app.receivedRequests().getFirst();
        assertThat(recorded.path()).isEqualTo("/handshake");
        assertThat(recorded.outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(recorded.installationId()).hasValue("shop-1");
        assertThat(recorded.body().path("shared_secret").asText()).isEqualTo("[redacted]");
        assertThat(recorded.header("X-APP-TOKEN")).hasValue("[redacted]");
        String overHttp = engine.get("/_sample/requests").body();
        assertThat(overHttp).contains("/handshake").doesNotContain(secret).doesNotContain(token);
    }
}
