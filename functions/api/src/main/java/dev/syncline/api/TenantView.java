package dev.syncline.api;

import dev.syncline.core.tenant.Tenant;

/** A tenant as the API shows it. */
record TenantView(String id, String name, String status, String createdAt, String disabledAt) {

    static TenantView of(Tenant tenant) {
        return new TenantView(tenant.id().value(), tenant.name(), tenant.status().wireName(),
                tenant.createdAt().toString(), tenant.disabledAt() == null ? null : tenant.disabledAt().toString());
    }
}
