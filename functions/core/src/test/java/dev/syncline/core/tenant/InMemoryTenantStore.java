package dev.syncline.core.tenant;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** Tenants in memory, the default one always there. */
final class InMemoryTenantStore implements TenantStore {

    private final TreeMap<String, Tenant> tenants = new TreeMap<>();

    InMemoryTenantStore() {
        tenants.put(TenantId.DEFAULT.value(), Tenant.defaultTenant());
    }

    @Override
    public Optional<Tenant> find(TenantId id) {
        return Optional.ofNullable(tenants.get(id.value()));
    }

    @Override
    public boolean create(Tenant tenant) {
        return tenants.putIfAbsent(tenant.id().value(), tenant) == null;
    }

    @Override
    public Page list(int limit, String cursor) {
        List<Tenant> page = (cursor == null ? tenants : tenants.tailMap(cursor, false)).values().stream().limit(limit).toList();
        return new Page(page, page.size() == limit ? page.getLast().id().value() : null);
    }

    @Override
    public Optional<Tenant> disable(TenantId id, Instant at) {
        return Optional.ofNullable(tenants.computeIfPresent(id.value(), (key, tenant) -> tenant.active()
                ? new Tenant(tenant.id(), tenant.name(), TenantStatus.DISABLED, tenant.createdAt(), at)
                : tenant));
    }
}
