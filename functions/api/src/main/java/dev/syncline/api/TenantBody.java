package dev.syncline.api;

/** The body of {@code POST /v1/tenants}; {@code id} follows {@code TenantId.RULE}, checked by the endpoint. */
record TenantBody(String id, String name) {
}
