package dev.syncline.api;

/** The optional body of {@code POST /v1/tenants/{tenant_id}/api-keys}: what the key is for. */
record TenantKeyBody(String name) {
}
