package dev.syncline.core.tenant;

import dev.syncline.core.SynclineException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The operator's management of tenants and the tenants' API keys: creating, listing, disabling tenants; issuing,
 * listing and revoking keys. Who may call what is the API's business; this service checks the state.
 */
public final class TenantService {

    /** The longest tenant or key name. */
    public static final int MAX_NAME_LENGTH = 200;
    /** Keys a tenant may hold that are not revoked: enough for rotation, few enough to review. */
    public static final int MAX_ACTIVE_KEYS = 100;
    /** The most keys a listing shows, newest first. */
    public static final int MAX_LISTED_KEYS = 1000;

    private static final int SECRET_BYTES = 32;
    private static final char[] KEY_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final int KEY_ID_LENGTH = 12;
    // A fresh 12-character id collides with an existing one about never; a few tries make "about" certain.
    private static final int KEY_ID_ATTEMPTS = 5;

    private final TenantStore tenants;
    private final TenantKeyStore keys;
    private final Clock clock;
    private final SecureRandom random;

    public TenantService(TenantStore tenants, TenantKeyStore keys, Clock clock, SecureRandom random) {
        this.tenants = tenants;
        this.keys = keys;
        this.clock = clock;
        this.random = random;
    }

    /** A key as issued: the whole key, shown once, never stored, and what is stored of it. */
    public record IssuedKey(TenantKey key, String secretKey) {

        @Override
        public String toString() {
            return "IssuedKey[" + key.prefix() + "…]";
        }
    }

    /**
     * @throws SynclineException.Invalid when the name is blank or too long
     * @throws SynclineException.Conflict when a tenant with this id exists or existed
     */
    public Tenant create(TenantId id, String name) {
        Tenant tenant = new Tenant(id, requireName("name", name, false), TenantStatus.ACTIVE, clock.instant(), null);
        if (!tenants.create(tenant)) {
            throw new SynclineException.Conflict("a tenant with the id " + SynclineException.quote(id.value())
                    + " exists or existed: tenant ids are never reused, choose another");
        }
        return tenant;
    }

    public TenantStore.Page list(int limit, String cursor) {
        return tenants.list(limit, cursor);
    }

    /** @throws SynclineException.NotFound when there is no such tenant */
    public Tenant get(TenantId id) {
        return tenants.find(id).orElseThrow(() -> notFound(id.value()));
    }

    /**
     * Disables the tenant: its keys are refused from the end of the key cache's time on; idempotent.
     *
     * @throws SynclineException.Conflict for the default tenant, which the operator's own requests act for
     */
    public Tenant disable(TenantId id) {
        if (id.equals(TenantId.DEFAULT)) {
            throw new SynclineException.Conflict("the default tenant cannot be disabled: it holds what the operator"
                    + " key creates without naming a tenant");
        }
        return tenants.disable(id, clock.instant()).orElseThrow(() -> notFound(id.value()));
    }

    /**
     * Issues a new key for an active tenant.
     *
     * @param name what the key is for, may be null or empty
     */
    public IssuedKey issueKey(TenantId id, String name) {
        Tenant tenant = get(id);
        if (!tenant.active()) {
            throw new SynclineException.Conflict("tenant " + SynclineException.quote(id.value())
                    + " is disabled: a disabled tenant gets no new keys");
        }
        String keyName = requireName("name", name == null ? "" : name, true);
        long active = keys.list(id, MAX_LISTED_KEYS).stream().filter(key -> !key.revoked()).count();
        if (active >= MAX_ACTIVE_KEYS) {
            throw new SynclineException.Conflict("tenant " + SynclineException.quote(id.value()) + " has "
                    + MAX_ACTIVE_KEYS + " keys that are not revoked: revoke one it no longer uses first");
        }
        for (int attempt = 0; attempt < KEY_ID_ATTEMPTS; attempt++) {
            String keyId = keyId();
            byte[] secret = new byte[SECRET_BYTES];
            random.nextBytes(secret);
            String whole = TenantKey.PREFIX + keyId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
            TenantKey key = new TenantKey(keyId, id, keyName, digest(whole), clock.instant(), null, null);
            if (keys.create(key)) {
                return new IssuedKey(key, whole);
            }
        }
        throw new IllegalStateException("no free key id after " + KEY_ID_ATTEMPTS + " random tries: the random source is broken");
    }

    /** The tenant's keys, newest first, revoked ones included. */
    public List<TenantKey> keys(TenantId id) {
        get(id);
        return keys.list(id, MAX_LISTED_KEYS);
    }

    /**
     * Revokes one of the tenant's keys; a key revoked before stays as it was.
     *
     * @throws SynclineException.NotFound when the tenant has no key with this id
     */
    public void revokeKey(TenantId id, String keyId) {
        get(id);
        Optional<TenantKey> key = TenantKey.isKeyId(keyId) ? keys.find(keyId) : Optional.empty();
        if (key.isEmpty() || !key.get().tenantId().equals(id)) {
            throw new SynclineException.NotFound("tenant " + SynclineException.quote(id.value()) + " has no key "
                    + SynclineException.quote(keyId) + ": list its keys with GET /v1/tenants/" + id + "/api-keys");
        }
        if (!key.get().revoked()) {
            keys.revoke(id, keyId, clock.instant());
        }
    }

    /** The hex SHA-256 of a whole key, as stored. */
    public static String digest(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The refusal for an id with no tenant, worded the same whether it never existed or is another tenant's. */
    public static SynclineException.NotFound notFound(String id) {
        return new SynclineException.NotFound("no tenant has the id " + SynclineException.quote(id)
                + ": check the id, or list tenants with GET /v1/tenants (operator key)");
    }

    private String keyId() {
        char[] id = new char[KEY_ID_LENGTH];
        for (int i = 0; i < id.length; i++) {
            id[i] = KEY_ID_ALPHABET[random.nextInt(KEY_ID_ALPHABET.length)];
        }
        return new String(id);
    }

    private static String requireName(String field, String name, boolean mayBeEmpty) {
        String problem = null;
        if (name == null || (!mayBeEmpty && name.isBlank())) {
            problem = field + " is required: say what the tenant is called, e.g. \"Acme PIM\"";
        } else if (name.length() > MAX_NAME_LENGTH) {
            problem = field + " must be at most " + MAX_NAME_LENGTH + " characters, got " + name.length();
        }
        if (problem != null) {
            throw new SynclineException.Invalid("request body", List.of(new SynclineException.Violation(field, problem)));
        }
        return name.strip();
    }
}
