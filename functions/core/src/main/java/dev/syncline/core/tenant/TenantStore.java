package dev.syncline.core.tenant;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where tenants live. The {@link TenantId#DEFAULT default tenant} is always there, whether stored or not. Tenants are
 * never deleted: a disabled one stays, so that its id is never handed to another PIM.
 */
public interface TenantStore {

    /** The tenant, or empty when there is none with that id. */
    Optional<Tenant> find(TenantId id);

    /**
     * Stores a new tenant.
     *
     * @return false, storing nothing, when a tenant with that id exists or ever existed (the default tenant included)
     */
    boolean create(Tenant tenant);

    /**
     * Tenants by id, the default tenant and disabled ones included.
     *
     * @param cursor {@link Page#nextCursor()} of the previous page, or null for the first
     */
    Page list(int limit, String cursor);

    /**
     * Marks the tenant disabled at {@code at}; a tenant already disabled keeps its first {@code disabledAt}.
     *
     * @return the tenant as it now is, or empty when there is none with that id
     */
    Optional<Tenant> disable(TenantId id, Instant at);

    /** One page of {@link #list}: {@code nextCursor} is null on the last page. */
    record Page(List<Tenant> tenants, String nextCursor) {

        public Page {
            tenants = List.copyOf(tenants);
        }
    }

    /** A store that knows the default tenant only and refuses changes: a deployment without tenant management. */
    static TenantStore defaultOnly() {
        return new TenantStore() {
            @Override
            public Optional<Tenant> find(TenantId id) {
                return id.equals(TenantId.DEFAULT) ? Optional.of(Tenant.defaultTenant()) : Optional.empty();
            }

            @Override
            public boolean create(Tenant tenant) {
                return false;
            }

            @Override
            public Page list(int limit, String cursor) {
                return new Page(List.of(Tenant.defaultTenant()), null);
            }

            @Override
            public Optional<Tenant> disable(TenantId id, Instant at) {
                return find(id);
            }
        };
    }
}
