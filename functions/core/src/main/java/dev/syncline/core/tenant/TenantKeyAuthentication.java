package dev.syncline.core.tenant;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Tells the tenant a presented API key belongs to. A key of the form {@code sl_<key id>_<secret>} costs one read of
 * the key by its id (and one of its tenant), whatever the key; anything else costs no read at all. The stored digest
 * is compared with the presented key's in constant time.
 *
 * <p>What a read found is kept for at most {@code cacheFor} per function instance, unknown key ids too, so that a
 * client's steady traffic costs a read per key per period and a flood of made-up keys costs one read each but
 * holds at most {@value #MAX_ENTRIES} entries. Revoking a key or disabling its tenant therefore takes effect within
 * {@code cacheFor}. A key's {@code last_used_at} is written at most once per key per period.
 */
public final class TenantKeyAuthentication {

    /** The most key ids remembered; past it the oldest are forgotten. */
    public static final int MAX_ENTRIES = 10_000;
    /** The longest a lookup may be trusted: revocation must take effect within a minute. */
    public static final Duration MAX_CACHE_TIME = Duration.ofSeconds(60);

    // Compared with when a key id has no stored key, so an unknown id takes the same work as a wrong secret.
    private static final byte[] NO_DIGEST = new byte[32];

    private final TenantKeyStore keys;
    private final TenantStore tenants;
    private final Clock clock;
    private final Duration cacheFor;
    private final Map<String, Lookup> cache = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Lookup> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    /** What one read found for a key id; {@code digest} is null when no usable key has it. */
    private static final class Lookup {
        final byte[] digest;
        final TenantId tenantId;
        final boolean usable;
        final Instant readAt;
        boolean markedUsed;

        Lookup(byte[] digest, TenantId tenantId, boolean usable, Instant readAt) {
            this.digest = digest;
            this.tenantId = tenantId;
            this.usable = usable;
            this.readAt = readAt;
        }
    }

    /** @param cacheFor how long a lookup is trusted, at most {@link #MAX_CACHE_TIME}; zero reads every time */
    public TenantKeyAuthentication(TenantKeyStore keys, TenantStore tenants, Clock clock, Duration cacheFor) {
        if (cacheFor.isNegative() || cacheFor.compareTo(MAX_CACHE_TIME) > 0) {
            throw new IllegalArgumentException("cacheFor must be 0 to " + MAX_CACHE_TIME.toSeconds() + " s, got " + cacheFor);
        }
        this.keys = Objects.requireNonNull(keys, "keys");
        this.tenants = Objects.requireNonNull(tenants, "tenants");
        this.clock = clock;
        this.cacheFor = cacheFor;
    }

    /**
     * @param presented the key as sent, never logged or kept
     * @return the tenant whose key it is, when the key is known, not revoked and its tenant active; empty otherwise,
     *     without saying which
     */
    public Optional<TenantId> authenticate(String presented) {
        String keyId = keyIdOf(presented);
        if (keyId == null) {
            return Optional.empty();
        }
        Lookup lookup = lookup(keyId);
        byte[] digest = HexFormat.of().parseHex(TenantService.digest(presented));
        boolean matches = MessageDigest.isEqual(lookup.digest == null ? NO_DIGEST : lookup.digest, digest);
        if (!matches || lookup.digest == null || !lookup.usable) {
            return Optional.empty();
        }
        markUsed(keyId, lookup);
        return Optional.of(lookup.tenantId);
    }

    private Lookup lookup(String keyId) {
        Instant now = clock.instant();
        synchronized (cache) {
            Lookup cached = cache.get(keyId);
            if (cached != null && now.isBefore(cached.readAt.plus(cacheFor))) {
                return cached;
            }
        }
        Lookup read = read(keyId, now);
        synchronized (cache) {
            cache.remove(keyId);
            cache.put(keyId, read);
        }
        return read;
    }

    private Lookup read(String keyId, Instant now) {
        Optional<TenantKey> key = keys.find(keyId);
        if (key.isEmpty()) {
            return new Lookup(null, null, false, now);
        }
        boolean usable = !key.get().revoked() && tenants.find(key.get().tenantId()).map(Tenant::active).orElse(false);
        return new Lookup(HexFormat.of().parseHex(key.get().digest()), key.get().tenantId(), usable, now);
    }

    private void markUsed(String keyId, Lookup lookup) {
        synchronized (lookup) {
            if (lookup.markedUsed) {
                return;
            }
            lookup.markedUsed = true;
        }
        keys.markUsed(keyId, clock.instant());
    }

    // "sl_<12 letters and digits>_<secret>" names a key id; anything else is no tenant key.
    private static String keyIdOf(String presented) {
        if (presented == null || !presented.startsWith(TenantKey.PREFIX)) {
            return null;
        }
        int end = presented.indexOf('_', TenantKey.PREFIX.length());
        if (end < 0 || end == presented.length() - 1) {
            return null;
        }
        String keyId = presented.substring(TenantKey.PREFIX.length(), end);
        return TenantKey.isKeyId(keyId) ? keyId : null;
    }
}
