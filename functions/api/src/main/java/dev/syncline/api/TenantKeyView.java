package dev.syncline.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.syncline.core.tenant.TenantKey;
import dev.syncline.core.tenant.TenantService;

/**
 * A tenant's API key as listed: its public prefix and dates, never the key. {@code key}, the whole key, is set only in
 * the answer that issues it, the one time it is shown.
 */
record TenantKeyView(String keyId, String tenantId, String prefix, String name, String createdAt, String lastUsedAt,
                     String revokedAt, @JsonInclude(JsonInclude.Include.NON_NULL) String key) {

    static TenantKeyView of(TenantKey key) {
        return new TenantKeyView(key.keyId(), key.tenantId().value(), key.prefix(), key.name(),
                key.createdAt().toString(), key.lastUsedAt() == null ? null : key.lastUsedAt().toString(),
                key.revokedAt() == null ? null : key.revokedAt().toString(), null);
    }

    static TenantKeyView issued(TenantService.IssuedKey issued) {
        TenantKeyView view = of(issued.key());
        return new TenantKeyView(view.keyId(), view.tenantId(), view.prefix(), view.name(), view.createdAt(), null, null,
                issued.secretKey());
    }

    // The issued key is a secret: never in a log line.
    @Override
    public String toString() {
        return "TenantKeyView[" + prefix + "]";
    }
}
