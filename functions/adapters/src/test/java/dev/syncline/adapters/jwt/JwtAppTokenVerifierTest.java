package dev.syncline.adapters.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.installation.AppTokenClaims;
import dev.syncline.core.installation.AppTokenRefusedException;
import dev.syncline.core.installation.AppTokenRefusedException.Reason;
import dev.syncline.core.installation.SharedSecret;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Tokens an App signed to call the PIM, as Syncline verifies them for the PIM; times against a fixed now. */
class JwtAppTokenVerifierTest {

    private static final UUID INSTALLATION = UUID.fromString("6f1c2f4e-8a59-4f0e-9a43-3d1b8e0c2a71");
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private final SharedSecret secret = SharedSecret.generate(new SecureRandom());
    private final JwtAppTokenVerifier verifier = JwtAppTokenVerifier.create(JsonCodec.create());

    @Test
    void aTokenSignedTheWaySynclineSignsItsOwn_verifies_withEveryClaimAsWritten() {
        String token = JwtAppTokenSigner.create().sign(new AppTokenClaims(INSTALLATION,
                HttpUrl.parse("https://pim.example.com/api"), NOW, NOW, NOW.plusSeconds(300), null), secret);

        Map<String, Object> claims = verifier.verify(token, secret, NOW.plusSeconds(60));

        assertThat(verifier.claimedInstallation(token)).isEqualTo(INSTALLATION);
        assertThat(claims).containsEntry("app_installation_id", INSTALLATION.toString())
                .containsEntry("api_url", "https://pim.example.com/api");
        assertThat(((Number) claims.get("exp")).longValue()).isEqualTo(NOW.plusSeconds(300).getEpochSecond());
    }

    @Test
    void theLeeway_acceptsAClockLessThanHalfAMinuteOff_andNoMore() {
        String token = token(NOW, NOW.plusSeconds(300));

        assertThat(verifier.verify(token, secret, NOW.minusSeconds(29))).isNotEmpty();
        assertThat(verifier.verify(token, secret, NOW.plusSeconds(329))).isNotEmpty();
        assertRefused(() -> verifier.verify(token, secret, NOW.minusSeconds(31)), Reason.NOT_YET_VALID);
        assertRefused(() -> verifier.verify(token, secret, NOW.plusSeconds(331)), Reason.EXPIRED);
    }

    @Test
    void anInstallationIdThatIsNoUuid_orNone_isRefusedBeforeAnySecretIsLookedFor() {
        String notAUuid = JWT.create().withClaim("app_installation_id", "shop-1").sign(Algorithm.HMAC256("x"));
        String none = JWT.create().withClaim("sub", "shop-1").sign(Algorithm.HMAC256("x"));

        assertRefused(() -> verifier.claimedInstallation(notAUuid), Reason.MALFORMED);
        assertRefused(() -> verifier.claimedInstallation(none), Reason.MISSING_CLAIM);
    }

    private String token(Instant notBefore, Instant expiresAt) {
        return JWT.create().withClaim("app_installation_id", INSTALLATION.toString()).withIssuedAt(notBefore)
                .withNotBefore(notBefore).withExpiresAt(expiresAt).sign(Algorithm.HMAC256(secret.hmacKey()));
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AppTokenRefusedException.class,
                refused -> assertThat(refused.reason()).isEqualTo(reason));
    }
}
