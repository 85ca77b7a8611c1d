package dev.syncline.core.tenant;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where tenants' API keys live, by key id. */
public interface TenantKeyStore {

    /** Stores a new key; false, storing nothing, when its key id is taken already. */
    boolean create(TenantKey key);

    /** The key with this id, revoked or not; empty when there is none. One read, whatever the id. */
    Optional<TenantKey> find(String keyId);

    /** The tenant's keys, revoked ones included, oldest first; at most {@code limit}. */
    List<TenantKey> list(TenantId tenantId, int limit);

    /** Sets {@code revokedAt} unless already set; a key of another tenant or none changes nothing. */
    void revoke(TenantId tenantId, String keyId, Instant at);

    /** Records that the key authenticated a request at {@code at}. */
    void markUsed(String keyId, Instant at);
}
