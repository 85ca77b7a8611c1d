package dev.syncline.core.tenant;

import java.util.Optional;

/** Where tenants live. The {@link TenantId#DEFAULT default tenant} is always there, whether stored or not. */
public interface TenantStore {

    /** The tenant, or empty when there is none with that id. */
    Optional<Tenant> find(TenantId id);

    /** A store that knows the default tenant only: a deployment without tenant management. */
    static TenantStore defaultOnly() {
        return id -> id.equals(TenantId.DEFAULT) ? Optional.of(Tenant.defaultTenant()) : Optional.empty();
    }
}
