package dev.syncline.core.installation;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Reads and verifies a token an App signed with its shared secret to call the PIM. The adapter knows the token
 * format (a JWT); the core decides whose secret to verify it with and whether the installation may call.
 * Implementations never put the token or a secret into a refusal's message.
 */
public interface AppTokenVerifier {

    /**
     * The {@code app_installation_id} the token claims, read without verifying anything: only to find whose secret
     * verifies it.
     *
     * @throws AppTokenRefusedException when the token cannot be read or names no installation
     */
    UUID claimedInstallation(String token);

    /**
     * Verifies the token's algorithm (HS256), signature and times ({@code exp} required, {@code nbf} and {@code iat}
     * when present), allowing {@link AppCallAuthentication#LEEWAY} of clock difference.
     *
     * @return every claim of the token, as the App wrote it (plain Java values: strings, numbers, lists, maps)
     * @throws AppTokenRefusedException saying what did not verify
     */
    Map<String, Object> verify(String token, SharedSecret secret, Instant now);
}
