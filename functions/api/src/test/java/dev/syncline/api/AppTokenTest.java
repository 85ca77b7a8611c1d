package dev.syncline.api;

import static dev.syncline.api.Manifests.valid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.adapters.http.AppUrlGuard;
import dev.syncline.adapters.http.HttpAppClient;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.jwt.JwtAppTokenSigner;
import dev.syncline.core.app.AppCallOutcome;
import dev.syncline.core.app.AppEvent;
import dev.syncline.core.app.AppResponse;
import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.installation.AppTokenClaims;
import dev.syncline.core.installation.SharedSecret;
import dev.syncline.sampleapp.ReceivedRequest;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tokens the engine signs, as the sample App verifies them: the secret stored by an install is the one the App
 * received, and a token signed with another secret, expired, or naming another installation is refused.
 */
@AwsIntegrationTest
class AppTokenTest {

    private AwsStack stack;
    private SampleApp app;
    private TestDeployment api;
    private HttpAppClient engine;
    private HttpUrl appUrl;

    @BeforeEach
    void start(AwsStack stack) throws IOException {
        this.stack = stack;
        app = SampleApp.start(0);
        api = TestDeployment.allowingLocalApps(stack);
        api.register("shop-export", valid(app.baseUri(), "1.0.0"));
        appUrl = HttpUrl.parse(app.baseUri().toString());
        engine = HttpAppClient.create(AppUrlGuard.create(true), JwtAppTokenSigner.create(), JsonCodec.create(),
                Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() {
        api.close();
        app.close();
    }

    @Test
    void aTokenSignedWithTheStoredSecret_isAccepted() {
        UUID installation = install();

        AppCallOutcome outcome = send(claims(installation, Instant.now()), storedSecret(installation));

        assertThat(outcome.succeeded()).isTrue();
        assertThat(lastRequest().outcome()).isEqualTo(ReceivedRequest.Outcome.ACCEPTED);
    }

    @Test
    void aTokenSignedWithAnotherSecret_isRejected() {
        UUID installation = install();

        AppCallOutcome outcome = send(claims(installation, Instant.now()), SharedSecret.generate(new SecureRandom()));

        assertThat(outcome).isInstanceOfSatisfying(AppResponse.class,
                response -> assertThat(response.status()).isEqualTo(401));
        assertThat(lastRequest().outcome()).isEqualTo(ReceivedRequest.Outcome.REJECTED);
        assertThat(lastRequest().reason()).isEqualTo("the token's signature does not verify with the shared secret of"
                + " installation '" + installation + "'");
    }

    @Test
    void anExpiredToken_isRejected() {
        UUID installation = install();

        AppCallOutcome outcome = send(claims(installation, Instant.now().minus(Duration.ofMinutes(6))),
                storedSecret(installation));

        assertThat(((AppResponse) outcome).status()).isEqualTo(401);
        assertThat(lastRequest().reason()).startsWith("the token expired at ");
    }

    @Test
    void aTokenForAnotherInstallation_isRejected() {
        UUID mine = install();
        UUID theirs = install();

        // Signed with my secret but claiming to be theirs: the App checks it against their secret.
        AppCallOutcome outcome = send(claims(theirs, Instant.now()), storedSecret(mine));

        assertThat(((AppResponse) outcome).status()).isEqualTo(401);
        assertThat(lastRequest().reason()).contains("does not verify with the shared secret of installation '"
                + theirs + "'");
    }

    @Test
    void aTokenForAnInstallationTheAppNeverShookHandsWith_isRejected() {
        install();
        UUID stranger = UUID.randomUUID();

        AppCallOutcome outcome = send(claims(stranger, Instant.now()), SharedSecret.generate(new SecureRandom()));

        assertThat(((AppResponse) outcome).status()).isEqualTo(401);
        assertThat(lastRequest().reason()).isEqualTo("unknown installation '" + stranger + "': no handshake received");
    }

    private UUID install() {
        return UUID.fromString(api.install("shop-export").path("id").asText());
    }

    private AppCallOutcome send(AppTokenClaims claims, SharedSecret secret) {
        return engine.sendLifecycleEvent(appUrl, AppEvent.APP_INSTALLED, claims, secret);
    }

    private static AppTokenClaims claims(UUID installation, Instant issuedAt) {
        Instant iat = issuedAt.truncatedTo(ChronoUnit.SECONDS);
        return new AppTokenClaims(installation, HttpUrl.parse("https://pim.example.com/api"), iat, iat,
                iat.plus(AppTokenClaims.LIFETIME), null);
    }

    private SharedSecret storedSecret(UUID installation) {
        return TestDeployment.storedSecret(stack, installation);
    }

    private ReceivedRequest lastRequest() {
        return app.receivedRequests().getLast();
    }
}
