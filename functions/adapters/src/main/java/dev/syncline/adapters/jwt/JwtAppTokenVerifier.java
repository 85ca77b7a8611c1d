package dev.syncline.adapters.jwt;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.IncorrectClaimException;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.MissingClaimException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.core.installation.AppCallAuthentication;
import dev.syncline.core.installation.AppTokenRefusedException;
import dev.syncline.core.installation.AppTokenRefusedException.Reason;
import dev.syncline.core.installation.AppTokenVerifier;
import dev.syncline.core.installation.SharedSecret;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

/**
 * Verifies the JWTs Apps sign to call the PIM, the way {@link JwtAppTokenSigner} signs Syncline's own: HS256 with
 * the installation's shared secret. The {@code alg} header cannot choose another algorithm (so neither
 * {@code none} nor a public-key confusion gets through). Refusals name what failed, never the token.
 */
public final class JwtAppTokenVerifier implements AppTokenVerifier {

    private static final String EXPIRES_AT = "exp";

    private final JsonCodec json;

    private JwtAppTokenVerifier(JsonCodec json) {
        this.json = json;
    }

    public static JwtAppTokenVerifier create(JsonCodec json) {
        return new JwtAppTokenVerifier(json);
    }

    @Override
    public UUID claimedInstallation(String token) {
        DecodedJWT decoded;
        try {
            decoded = JWT.decode(token);
        } catch (JWTDecodeException e) {
            throw new AppTokenRefusedException(Reason.MALFORMED,
                    "the token is not a JWT (three base64url parts: header.payload.signature, JSON header and payload)");
        }
        Claim claim = decoded.getClaim(JwtAppTokenSigner.INSTALLATION_CLAIM);
        if (claim.isMissing() || claim.isNull()) {
            throw new AppTokenRefusedException(Reason.MISSING_CLAIM,
                    "the token has no " + JwtAppTokenSigner.INSTALLATION_CLAIM + " claim: the App must sign it with the"
                            + " installation id it received in every Syncline token");
        }
        String text = claim.asString();
        try {
            return UUID.fromString(text == null ? "" : text);
        } catch (IllegalArgumentException e) {
            throw new AppTokenRefusedException(Reason.MALFORMED,
                    "the token's " + JwtAppTokenSigner.INSTALLATION_CLAIM + " claim is not an installation id (a UUID"
                            + " string)");
        }
    }

    @Override
    public Map<String, Object> verify(String token, SharedSecret secret, Instant now) {
        DecodedJWT verified;
        try {
            verified = ((com.auth0.jwt.JWTVerifier.BaseVerification) JWT.require(Algorithm.HMAC256(secret.hmacKey()))
                    .withClaimPresence(EXPIRES_AT)
                    .acceptLeeway(AppCallAuthentication.LEEWAY.toSeconds()))
                    .build(Clock.fixed(now, ZoneOffset.UTC))
                    .verify(token);
        } catch (AlgorithmMismatchException e) {
            throw new AppTokenRefusedException(Reason.BAD_SIGNATURE,
                    "the token is not signed with HS256 (its alg header says otherwise); Apps sign with HS256 and the"
                            + " installation's shared secret");
        } catch (SignatureVerificationException e) {
            throw new AppTokenRefusedException(Reason.BAD_SIGNATURE,
                    "the token's signature does not verify with the shared secret of installation "
                            + claimedInstallation(token) + ": the App must sign with the secret it received in that"
                            + " installation's handshake");
        } catch (TokenExpiredException e) {
            throw new AppTokenRefusedException(Reason.EXPIRED,
                    "the token expired at " + e.getExpiredOn() + ", before " + now + " (leeway "
                            + AppCallAuthentication.LEEWAY.toSeconds() + " s): the App must sign a fresh token for"
                            + " each call");
        } catch (MissingClaimException e) {
            throw missingExpiry();
        } catch (IncorrectClaimException e) {
            throw new AppTokenRefusedException(Reason.NOT_YET_VALID,
                    "the token's " + e.getClaimName() + " " + e.getClaimValue().asInstant() + " is after " + now
                            + " (leeway " + AppCallAuthentication.LEEWAY.toSeconds() + " s): is the App's clock ahead?");
        } catch (JWTDecodeException e) {
            throw new AppTokenRefusedException(Reason.MALFORMED,
                    "the token is not a valid JWT: a time claim (exp, nbf, iat) must be a number of seconds");
        } catch (JWTVerificationException e) {
            throw new AppTokenRefusedException(Reason.MALFORMED,
                    "the token does not verify: " + e.getClass().getSimpleName());
        }
        if (verified.getExpiresAtAsInstant() == null) {
            // withClaimPresence lets {"exp": null} through; a token that never expires is refused all the same.
            throw missingExpiry();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> claims = json.read(
                new String(Base64.getUrlDecoder().decode(verified.getPayload()), StandardCharsets.UTF_8), Map.class);
        return claims;
    }

    private static AppTokenRefusedException missingExpiry() {
        return new AppTokenRefusedException(Reason.MISSING_CLAIM,
                "the token has no exp claim: a token that never expires is refused; sign it with a short life (5"
                        + " minutes)");
    }
}
