package dev.syncline.core.tenant;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One API key of a tenant, as stored: never the key itself, only the SHA-256 digest of the whole key. A key reads
 * {@code sl_<key id>_<secret>}; the key id finds the stored digest with one read, the secret makes it unguessable.
 *
 * @param keyId short, random, unique in the deployment; public (it is the key's visible prefix)
 * @param tenantId whose key it is
 * @param name what the tenant calls it, e.g. {@code "PIM production"}; may be empty
 * @param digest hex SHA-256 of the whole key
 * @param createdAt when it was issued
 * @param lastUsedAt when it last authenticated a request, to within the key cache's time; null when never used
 * @param revokedAt when it was revoked, after which it is refused; null while it works
 */
public record TenantKey(String keyId, TenantId tenantId, String name, String digest, Instant createdAt,
                        Instant lastUsedAt, Instant revokedAt) {

    /** The start every tenant key has; the operator's configured keys may look the same. */
    public static final String PREFIX = "sl_";

    private static final Pattern KEY_ID = Pattern.compile("[a-z0-9]{12}");
    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");

    public TenantKey {
        if (!isKeyId(keyId)) {
            throw new IllegalArgumentException("a key id is 12 lowercase letters and digits, got " + keyId);
        }
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(name, "name");
        if (digest == null || !DIGEST.matcher(digest).matches()) {
            throw new IllegalArgumentException("digest must be 64 lowercase hex digits");
        }
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Whether {@code text} has the form of a key id: a cheap check before any read. */
    public static boolean isKeyId(String text) {
        return text != null && KEY_ID.matcher(text).matches();
    }

    /** What the key starts with, safe to show: {@code sl_<key id>_}. */
    public String prefix() {
        return PREFIX + keyId + "_";
    }

    public boolean revoked() {
        return revokedAt != null;
    }
}
