package dev.syncline.api;

import static dev.syncline.api.Manifests.valid;
import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.core.installation.SharedSecret;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/app-tokens/verify} as a PIM uses it: an App calls the PIM with a token it signed with its shared
 * secret, and the PIM asks Syncline whether to trust it.
 */
@AwsIntegrationTest
class AppTokenVerificationTest {

    private AwsStack stack;
    private SampleApp app;
    private TestDeployment api;

    @BeforeEach
    void start(AwsStack stack) throws IOException {
        this.stack = stack;
        app = SampleApp.start(0);
        api = TestDeployment.allowingLocalApps(stack);
        api.register("shop-export", valid(app.baseUri(), "1.0.0"));
    }

    @AfterEach
    void stop() {
        api.close();
        app.close();
    }

    @Test
    void aTokenTheAppSignedWithItsSecret_answersTheInstallationTheAppAndEveryClaim() {
        UUID installation = install();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        TestDeployment.Response response = verify(appToken(installation, secretOf(installation), now,
                token -> token.withClaim("scope", "products:read").withClaim("attempt", 3)));

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.path("installation").path("id").asText()).isEqualTo(installation.toString());
        assertThat(body.path("installation").path("status").asText()).isEqualTo("active");
        assertThat(body.path("installation").path("api_url").asText()).isEqualTo("https://pim.example.com/api");
        assertThat(body.path("app")).isEqualTo(TestDeployment.tree(Map.of("app_id", "shop-export",
                "name", "Shop export", "version", "1.0.0", "write_access", false)));
        assertThat(body.path("claims").path("app_installation_id").asText()).isEqualTo(installation.toString());
        assertThat(body.path("claims").path("scope").asText()).isEqualTo("products:read");
        // Numbers come back as the App wrote them: whole seconds, an integer.
        assertThat(body.path("claims").path("exp").toString()).isEqualTo(Long.toString(now.plusSeconds(300).getEpochSecond()));
        assertThat(body.path("claims").path("attempt").toString()).isEqualTo("3");
        assertThat(response.body()).doesNotContain(secretOf(installation).reveal());
    }

    @Test
    void aTokenSignedWithAnotherSecret_isRefusedSayingTheSignatureDoesNotVerify_neitherAnswerNorLogShowingIt() {
        UUID installation = install();
        String token = appToken(installation, SharedSecret.generate(new SecureRandom()), Instant.now(), UnaryOperator.identity());
        TestDeployment.Response response;
        String logs;

        try (CapturedOutput output = CapturedOutput.start()) {
            response = verify(token);
            logs = output.text();
        }

        assertRefused(response, "bad_signature", "the token's signature does not verify with the shared secret of installation "
                + installation);
        assertThat(response.body()).doesNotContain(token, secretOf(installation).reveal(), "eyJ");
        assertThat(logs).contains("\"route\":\"/v1/app-tokens/verify\"").doesNotContain(token, "eyJ",
                secretOf(installation).reveal());
    }

    @Test
    void aTokenThatExpiredBeyondTheLeeway_isRefused_andOneJustWithinIt_isAccepted() {
        UUID installation = install();
        SharedSecret secret = secretOf(installation);
        Instant now = Instant.now();

        TestDeployment.Response expired = verify(appToken(installation, secret, now.minus(Duration.ofMinutes(6)),
                UnaryOperator.identity()));
        TestDeployment.Response withinLeeway = verify(appToken(installation, secret, now.minus(Duration.ofMinutes(5))
                .minusSeconds(10), UnaryOperator.identity()));

        assertRefused(expired, "expired", "the token expired at ");
        assertThat(expired.json().path("detail").asText()).contains("(leeway 30 s)");
        assertThat(withinLeeway.status()).isEqualTo(200);
    }

    @Test
    void aTokenNotValidBeforeAMinuteFromNow_isRefused() {
        UUID installation = install();
        Instant now = Instant.now();

        TestDeployment.Response response = verify(appToken(installation, secretOf(installation), now,
                token -> token.withNotBefore(now.plusSeconds(60))));

        assertRefused(response, "not_yet_valid", "the token's nbf ");
    }

    @Test
    void aTokenForAnUnknownInstallation_isRefused() {
        install();
        UUID stranger = UUID.randomUUID();

        TestDeployment.Response response = verify(appToken(stranger, SharedSecret.generate(new SecureRandom()),
                Instant.now(), UnaryOperator.identity()));

        assertRefused(response, "unknown_installation", "the token's app_installation_id " + stranger + " is no installation of this deployment");
    }

    @Test
    void aTokenOfAnUninstalledInstallation_isRefused() {
        UUID installation = install();
        SharedSecret secret = secretOf(installation);
        assertThat(api.delete("/v1/installations/" + installation).status()).isEqualTo(200);

        TestDeployment.Response response = verify(appToken(installation, secret, Instant.now(), UnaryOperator.identity()));

        assertRefused(response, "installation_not_active", "installation " + installation + " is uninstalled (since ");
    }

    @Test
    void aTokenWithoutExpiry_isRefused() {
        UUID installation = install();
        String token = JWT.create().withClaim("app_installation_id", installation.toString())
                .withIssuedAt(Instant.now()).sign(Algorithm.HMAC256(secretOf(installation).hmacKey()));

        assertRefused(verify(token), "missing_claim", "the token has no exp claim");
    }

    @Test
    void aTokenSignedWithAnotherAlgorithmOrNone_isRefused() {
        UUID installation = install();
        SharedSecret secret = secretOf(installation);
        Instant now = Instant.now();
        String hs512 = JWT.create().withClaim("app_installation_id", installation.toString())
                .withExpiresAt(now.plusSeconds(300)).sign(Algorithm.HMAC512(secret.hmacKey()));
        String unsigned = JWT.create().withClaim("app_installation_id", installation.toString())
                .withExpiresAt(now.plusSeconds(300)).sign(Algorithm.none());

        assertRefused(verify(hs512), "bad_signature", "the token is not signed with HS256");
        assertRefused(verify(unsigned), "bad_signature", "the token is not signed with HS256");
    }

    @Test
    void somethingThatIsNotAJwt_isRefused_andAMissingToken_breaksARule() {
        String notJson = Base64.getUrlEncoder().withoutPadding().encodeToString("{no".getBytes(StandardCharsets.UTF_8));

        assertRefused(verify("not-a-token"), "malformed", "the token is not a JWT");
        assertRefused(verify(notJson + "." + notJson + ".c2ln"), "malformed", "the token is not a JWT");
        TestDeployment.Response missing = api.post("/v1/app-tokens/verify", Map.of());
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.json().path("violations").get(0).path("field").asText()).isEqualTo("token");
    }

    private static void assertRefused(TestDeployment.Response response, String reason, String why) {
        assertThat(response.status()).as(response.body()).isEqualTo(401);
        assertThat(response.json().path("reason").asText()).isEqualTo(reason);
        assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(response.json().path("type").asText()).isEqualTo("https://syncline.dev/problems/app-token-refused");
        assertThat(response.json().path("detail").asText()).startsWith("The App's token is refused: ").contains(why);
    }

    private TestDeployment.Response verify(String token) {
        return api.post("/v1/app-tokens/verify", Map.of("token", token));
    }

    private UUID install() {
        return UUID.fromString(api.install("shop-export").path("id").asText());
    }

    private SharedSecret secretOf(UUID installation) {
        return TestDeployment.storedSecret(stack, installation);
    }

    /** A token as an App signs it to call the PIM: HS256 with its shared secret, five minutes of life. */
    static String appToken(UUID installation, SharedSecret secret, Instant issuedAt,
                           UnaryOperator<JWTCreator.Builder> extra) {
        Instant iat = issuedAt.truncatedTo(ChronoUnit.SECONDS);
        JWTCreator.Builder token = JWT.create()
                .withClaim("app_installation_id", installation.toString())
                .withIssuedAt(iat)
                .withNotBefore(iat)
                .withExpiresAt(iat.plusSeconds(300));
        return extra.apply(token).sign(Algorithm.HMAC256(secret.hmacKey()));
    }
}
