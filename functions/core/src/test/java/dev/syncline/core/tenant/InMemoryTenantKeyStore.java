package dev.syncline.core.tenant;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Tenant keys in memory, counting the reads and writes the authentication makes. */
final class InMemoryTenantKeyStore implements TenantKeyStore {

    final Map<String, TenantKey> keys = new LinkedHashMap<>();
    final List<String> reads = new ArrayList<>();
    final List<String> markedUsed = new ArrayList<>();

    @Override
    public boolean create(TenantKey key) {
        return keys.putIfAbsent(key.keyId(), key) == null;
    }

    @Override
    public Optional<TenantKey> find(String keyId) {
        reads.add(keyId);
        return Optional.ofNullable(keys.get(keyId));
    }

    @Override
    public List<TenantKey> list(TenantId tenantId, int limit) {
        return keys.values().stream().filter(key -> key.tenantId().equals(tenantId))
                .sorted(Comparator.comparing(TenantKey::createdAt).reversed()).limit(limit).toList();
    }

    @Override
    public void revoke(TenantId tenantId, String keyId, Instant at) {
        keys.computeIfPresent(keyId, (id, key) -> key.tenantId().equals(tenantId) && !key.revoked()
                ? new TenantKey(id, key.tenantId(), key.name(), key.digest(), key.createdAt(), key.lastUsedAt(), at)
                : key);
    }

    @Override
    public void markUsed(String keyId, Instant at) {
        markedUsed.add(keyId);
        keys.computeIfPresent(keyId, (id, key) ->
                new TenantKey(id, key.tenantId(), key.name(), key.digest(), key.createdAt(), at, key.revokedAt()));
    }
}
