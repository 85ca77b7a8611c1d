package dev.syncline.adapters.jwt;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import dev.syncline.core.installation.AppTokenClaims;
import dev.syncline.core.installation.SharedSecret;
import java.util.UUID;

/**
 * Signs the {@code X-APP-TOKEN} of every engine→App request: the core's claims, HS256 with the installation's
 * shared secret (the bytes of its text, as the App received it), with a fresh {@code jti} on every token. No
 * {@code aud}: some JWT libraries (PyJWT) refuse a token whose {@code aud} their caller did not ask for, which
 * would break Apps written for the protocol; the secret is the installation's alone, so a token verifies at one
 * App only anyway. The token itself is a credential: never log it.
 */
public final class JwtAppTokenSigner {

    public static final String INSTALLATION_CLAIM = "app_installation_id";
    public static final String API_URL_CLAIM = "api_url";
    public static final String SYNCHRONIZATION_CLAIM = "synchronization_id";

    private JwtAppTokenSigner() {
    }

    public static JwtAppTokenSigner create() {
        return new JwtAppTokenSigner();
    }

    /** The signed token for {@code claims}. */
    public String sign(AppTokenClaims claims, SharedSecret secret) {
        JWTCreator.Builder token = JWT.create()
                .withClaim(INSTALLATION_CLAIM, claims.appInstallationId().toString())
                .withClaim(API_URL_CLAIM, claims.apiUrl().toString())
                .withIssuedAt(claims.issuedAt())
                .withNotBefore(claims.notBefore())
                .withExpiresAt(claims.expiresAt())
                // Unique per token: an App that wants to refuse a replayed token keeps the ids it saw until their exp.
                .withJWTId(UUID.randomUUID().toString());
        if (claims.synchronizationId() != null) {
            token.withClaim(SYNCHRONIZATION_CLAIM, claims.synchronizationId().toString());
        }
        return token.sign(Algorithm.HMAC256(secret.hmacKey()));
    }
}
