package dev.syncline.sampleapp;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.IncorrectClaimException;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.MissingClaimException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks {@code X-APP-TOKEN} the way the protocol says an App does: decode the token without verifying it, read
 * {@code app_installation_id}, load that installation's shared secret, then verify the HS256 signature and the
 * {@code exp} and {@code nbf} times.
 */
final class TokenVerifier {

    static final String HEADER = "X-APP-TOKEN";
    static final String INSTALLATION_CLAIM = "app_installation_id";

    /** Tolerated clock difference between engine and App, in seconds. */
    static final long LEEWAY_SECONDS = 5;

    private static final TypeReference<Map<String, Object>> CLAIMS = new TypeReference<>() {
    };

    /** The result of a check; the reason of a rejection names what failed and never quotes the token. */
    sealed interface Verification {
        record Verified(String installationId, Map<String, Object> claims) implements Verification {
        }

        record Rejected(String reason) implements Verification {
        }
    }

    /** Finds the verifier built from an installation's stored secret. */
    interface Secrets {
        Optional<JWTVerifier> verifierOf(String installationId);
    }

    private final Secrets secrets;

    TokenVerifier(Secrets secrets) {
        this.secrets = secrets;
    }

    /**
     * The verifier for one installation's secret: HS256 only (the {@code alg} header cannot downgrade it), an
     * {@code exp} claim required, the {@code app_installation_id} claim must name this installation.
     */
    static JWTVerifier verifierFor(String installationId, String sharedSecret) {
        return JWT.require(Algorithm.HMAC256(sharedSecret))
                .withClaim(INSTALLATION_CLAIM, installationId)
                .withClaimPresence("exp")
                .acceptLeeway(LEEWAY_SECONDS)
                .build();
    }

    /**
     * Verifies a token on any request after the handshake, with the secret stored for its installation, except
     * where {@code faults} make the App careless: then a token with a bad signature, an expired one or one for an
     * unknown installation may pass, unverified.
     */
    Verification verify(String token, Faults faults) {
        return verify(token, secrets::verifierOf, faults);
    }

    /** Verifies the handshake's token with the secret that arrives in the same request's body. */
    static Verification verifyHandshake(String token, String sharedSecret) {
        return verify(token, installationId -> Optional.of(verifierFor(installationId, sharedSecret)), Faults.none());
    }

    private static Verification verify(String token, Function<String, Optional<JWTVerifier>> verifierOf,
                                       Faults faults) {
        if (token == null || token.isBlank()) {
            return new Verification.Rejected("missing " + HEADER + " header");
        }
        // 1. Decode without verifying, only to learn whose secret the token claims to be signed with.
        String installationId;
        try {
            installationId = JWT.decode(token).getClaim(INSTALLATION_CLAIM).asString();
        } catch (JWTDecodeException e) {
            return new Verification.Rejected(HEADER + " is not a JWT");
        }
        if (installationId == null || installationId.isBlank()) {
            return new Verification.Rejected("the token has no " + INSTALLATION_CLAIM + " claim");
        }
        // 2. Load that installation's secret.
        Optional<JWTVerifier> verifier = verifierOf.apply(installationId);
        if (verifier.isEmpty()) {
            if (faults.has(Faults.Defect.ACCEPT_UNKNOWN_INSTALLATIONS)) {
                return unverified(installationId, token);
            }
            return new Verification.Rejected("unknown installation '" + installationId + "': no handshake received");
        }
        // 3. Verify signature, algorithm, exp and nbf; nothing in the token is trusted before this.
        DecodedJWT verified;
        try {
            verified = verifier.get().verify(token);
        } catch (AlgorithmMismatchException e) {
            return new Verification.Rejected("the token is not signed with HS256");
        } catch (SignatureVerificationException e) {
            if (faults.has(Faults.Defect.ACCEPT_BAD_SIGNATURES)) {
                return unverified(installationId, token);
            }
            return new Verification.Rejected("the token's signature does not verify with the shared secret of"
                    + " installation '" + installationId + "'");
        } catch (TokenExpiredException e) {
            if (faults.has(Faults.Defect.ACCEPT_EXPIRED_TOKENS)) {
                return unverified(installationId, token);
            }
            return new Verification.Rejected("the token expired at " + e.getExpiredOn());
        } catch (MissingClaimException e) {
            return new Verification.Rejected("the token has no '" + e.getClaimName() + "' claim");
        } catch (IncorrectClaimException e) {
            return new Verification.Rejected("the token's '" + e.getClaimName() + "' claim is not valid: "
                    + e.getMessage());
        } catch (JWTVerificationException e) {
            return new Verification.Rejected("the token does not verify: " + e.getMessage());
        }
        if (verified.getExpiresAtAsInstant() == null) {
            // withClaimPresence lets {"exp": null} through; a token that never expires is refused all the same.
            return new Verification.Rejected("the token has no 'exp' claim");
        }
        return new Verification.Verified(installationId, claims(verified));
    }

    /** What a careless App does: trusts the claims without the check that failed. */
    private static Verification unverified(String installationId, String token) {
        return new Verification.Verified(installationId, claims(JWT.decode(token)));
    }

    private static Map<String, Object> claims(DecodedJWT token) {
        try {
            return Json.MAPPER.readValue(Base64.getUrlDecoder().decode(token.getPayload()), CLAIMS);
        } catch (IOException e) {
            throw new IllegalStateException("a verified token's payload is JSON", e);
        }
    }
}
