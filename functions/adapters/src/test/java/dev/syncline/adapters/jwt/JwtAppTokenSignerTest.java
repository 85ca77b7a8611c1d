package dev.syncline.adapters.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.installation.AppTokenClaims;
import dev.syncline.core.installation.SharedSecret;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JwtAppTokenSignerTest {

    private static final UUID INSTALLATION = UUID.fromString("6f1c2f4e-8a59-4f0e-9a43-3d1b8e0c2a71");
    // Verification checks exp and nbf against the real clock.
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private final SharedSecret secret = SharedSecret.generate(new SecureRandom());
    private final JwtAppTokenSigner signer = JwtAppTokenSigner.create();

    @Test
    void sign_givesAnHs256TokenAnAppVerifiesWithTheSecretTextItReceived() {
        String token = signer.sign(claims(null), secret);

        // What an App does with the string it got in the handshake.
        DecodedJWT verified = JWT.require(Algorithm.HMAC256(secret.reveal())).build().verify(token);

        assertThat(verified.getAlgorithm()).isEqualTo("HS256");
        assertThat(verified.getClaim("app_installation_id").asString()).isEqualTo(INSTALLATION.toString());
        assertThat(verified.getClaim("api_url").asString()).isEqualTo("https://pim.example.com/api");
        assertThat(verified.getIssuedAtAsInstant()).isEqualTo(NOW);
        assertThat(verified.getNotBeforeAsInstant()).isEqualTo(NOW);
        assertThat(verified.getExpiresAtAsInstant()).isEqualTo(NOW.plusSeconds(300));
    }

    @Test
    void sign_givesEveryTokenItsOwnId_andNoAudienceAnAppsLibraryWouldRefuse() {
        DecodedJWT first = JWT.decode(signer.sign(claims(null), secret));
        DecodedJWT second = JWT.decode(signer.sign(claims(null), secret));

        assertThat(first.getId()).isNotBlank().isNotEqualTo(second.getId());
        assertThat(first.getAudience()).isNull();
    }

    @Test
    void sign_outsideARun_carriesNoSynchronizationId() {
        DecodedJWT token = JWT.decode(signer.sign(claims(null), secret));

        assertThat(token.getClaim("synchronization_id").isMissing()).isTrue();
    }

    @Test
    void sign_withinARun_carriesItsSynchronizationId() {
        UUID run = UUID.fromString("0b8f6c1e-5d2a-4c7b-9e3f-1a2b3c4d5e6f");

        DecodedJWT token = JWT.decode(signer.sign(claims(run), secret));

        assertThat(token.getClaim("synchronization_id").asString()).isEqualTo(run.toString());
    }

    @Test
    void sign_withAnotherSecret_doesNotVerifyWithThisOne() {
        String token = signer.sign(claims(null), SharedSecret.generate(new SecureRandom()));

        assertThatThrownBy(() -> JWT.require(Algorithm.HMAC256(secret.reveal())).build().verify(token))
                .isInstanceOf(SignatureVerificationException.class);
    }

    private static AppTokenClaims claims(UUID synchronizationId) {
        return new AppTokenClaims(INSTALLATION, HttpUrl.parse("https://pim.example.com/api"), NOW, NOW,
                NOW.plusSeconds(300), synchronizationId);
    }
}
