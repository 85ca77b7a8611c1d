package dev.syncline.api;

import dev.syncline.core.tenant.TenantId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks {@code Authorization: Bearer <api key>}: first against the operator's keys, configured at deploy time and
 * known only as SHA-256 digests (a leaked configuration reveals no key), then as a tenant's key ({@code
 * sl_<key id>_<secret>}, looked up by its id). The digest of the presented key is compared with every configured
 * one, and with the stored one of a tenant key, in constant time, so the answer's timing says nothing about how
 * close a guess was. A revoked key, a disabled tenant's key and an unknown key get the same answer.
 */
final class ApiKeys implements Authenticator {

    private static final String SCHEME = "bearer ";
    private static final Map<String, String> CHALLENGE = Map.of("WWW-Authenticate", "Bearer realm=\"syncline\"");
    private static final Map<String, String> INVALID =
            Map.of("WWW-Authenticate", "Bearer realm=\"syncline\", error=\"invalid_token\"");

    private final List<byte[]> digests;
    private final Function<String, Optional<TenantId>> tenantKeys;

    private ApiKeys(List<byte[]> digests, Function<String, Optional<TenantId>> tenantKeys) {
        if (digests.isEmpty()) {
            throw new IllegalArgumentException("at least one API key digest is needed");
        }
        this.digests = List.copyOf(digests);
        this.tenantKeys = tenantKeys;
    }

    /**
     * @param operatorHexDigests the hex SHA-256 digests of the operator's keys
     * @param tenantKeys the tenant a key that is not the operator's belongs to, or empty when it is no usable key
     */
    static ApiKeys create(List<String> operatorHexDigests, Function<String, Optional<TenantId>> tenantKeys) {
        return new ApiKeys(operatorHexDigests.stream().map(HexFormat.of()::parseHex).toList(), tenantKeys);
    }

    /** The operator, when the key is one of the deployment's configured keys; else the tenant whose key it is. */
    @Override
    public Caller authenticate(Optional<String> authorization) {
        if (authorization.isEmpty() || authorization.get().isBlank()) {
            throw new ProblemException(ProblemType.UNAUTHORIZED,
                    "The request has no Authorization header: send 'Authorization: Bearer <api key>' with a key of"
                            + " this deployment.", CHALLENGE);
        }
        String header = authorization.get().strip();
        if (!header.toLowerCase(Locale.ROOT).startsWith(SCHEME) || header.substring(SCHEME.length()).isBlank()) {
            throw new ProblemException(ProblemType.UNAUTHORIZED,
                    "The Authorization header must use the Bearer scheme: 'Authorization: Bearer <api key>'.",
                    CHALLENGE);
        }
        String key = header.substring(SCHEME.length()).strip();
        byte[] presented = sha256(key);
        boolean operator = false;
        for (byte[] digest : digests) {
            // No early exit: every request costs the same comparisons.
            operator |= MessageDigest.isEqual(digest, presented);
        }
        if (operator) {
            return Caller.OPERATOR;
        }
        return tenantKeys.apply(key).<Caller>map(Caller.Tenant::new).orElseThrow(() -> new ProblemException(
                ProblemType.UNAUTHORIZED,
                "The API key is not valid for this deployment: it is unknown, revoked, or its tenant is disabled."
                        + " Check that the whole key was sent, or ask the operator for a key.", INVALID));
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
