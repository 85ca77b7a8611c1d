package dev.syncline.api;

import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.core.SynclineException;
import dev.syncline.core.tenant.TenantId;
import dev.syncline.core.tenant.TenantService;
import dev.syncline.core.tenant.TenantStore;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/tenants}: the operator creates, lists and disables tenants and manages their API keys; a tenant's own key
 * may read its tenant and manage its own keys. Who may call which route is decided in {@link Api}, before this runs.
 */
final class TenantsEndpoint {

    /** The body of {@code GET /v1/tenants}: a page, by tenant id. */
    record TenantPage(List<TenantView> tenants, String nextCursor) {
    }

    /** The body of {@code GET /v1/tenants/{tenant_id}/api-keys}: newest first, revoked ones included. */
    record KeyList(List<TenantKeyView> apiKeys) {
    }

    private final TenantService tenants;
    private final JsonBodies bodies;
    private final JsonCodec json;
    private final Cursors cursors;

    TenantsEndpoint(TenantService tenants, JsonBodies bodies, JsonCodec json, Cursors cursors) {
        this.tenants = tenants;
        this.bodies = bodies;
        this.json = json;
        this.cursors = cursors;
    }

    /** 201 with the new tenant; 409 when the id is taken, now or before. */
    ApiResponse create(ApiRequest request, Map<String, String> path) {
        TenantBody body = bodies.read(request, TenantBody.class);
        if (body.id() == null) {
            throw new SynclineException.Invalid("request body", List.of(new SynclineException.Violation("id",
                    "id is required: the tenant's id, " + TenantId.RULE)));
        }
        TenantView created = TenantView.of(tenants.create(TenantId.parse(body.id()), body.name()));
        return ApiResponse.json(201, json.write(created)).withHeader("Location", "/v1/tenants/" + created.id());
    }

    /** Every tenant, disabled ones included, by id, a page at a time. */
    ApiResponse list(ApiRequest request, Map<String, String> path) {
        String listing = "tenants";
        int limit = InstallationsEndpoint.limit(request);
        TenantStore.Page page = tenants.list(limit, cursors.open(listing, request.queryParameter("cursor").orElse(null)));
        String next = Cursors.unlessLast(page.nextCursor(), position -> !tenants.list(1, position).tenants().isEmpty());
        return ApiResponse.json(200, json.write(new TenantPage(page.tenants().stream().map(TenantView::of).toList(),
                cursors.seal(listing, next))));
    }

    ApiResponse get(ApiRequest request, Map<String, String> path) {
        return ApiResponse.json(200, json.write(TenantView.of(tenants.get(tenantId(path)))));
    }

    /** 200 with the tenant, disabled: its keys stop working within the key cache's time; idempotent. */
    ApiResponse disable(ApiRequest request, Map<String, String> path) {
        return ApiResponse.json(200, json.write(TenantView.of(tenants.disable(tenantId(path)))));
    }

    /** 201 with the new key, the only answer that ever shows it. */
    ApiResponse issueKey(ApiRequest request, Map<String, String> path) {
        TenantId tenant = tenantId(path);
        String name = request.body().isBlank() ? null : bodies.read(request, TenantKeyBody.class).name();
        TenantKeyView issued = TenantKeyView.issued(tenants.issueKey(tenant, name));
        return ApiResponse.json(201, json.write(issued))
                .withHeader("Location", "/v1/tenants/" + tenant + "/api-keys/" + issued.keyId())
                .withHeader("Cache-Control", "no-store");
    }

    ApiResponse keys(ApiRequest request, Map<String, String> path) {
        return ApiResponse.json(200, json.write(new KeyList(tenants.keys(tenantId(path)).stream()
                .map(TenantKeyView::of).toList())));
    }

    /** 204 once the key is revoked, whether by this request or an earlier one. */
    ApiResponse revokeKey(ApiRequest request, Map<String, String> path) {
        tenants.revokeKey(tenantId(path), path.get("key_id"));
        return new ApiResponse(204, Map.of(), "");
    }

    // An id that breaks the rule names no tenant: 404, as an unknown one.
    private static TenantId tenantId(Map<String, String> path) {
        String id = path.get("tenant_id");
        if (!TenantId.isValid(id)) {
            throw TenantService.notFound(id);
        }
        return new TenantId(id);
    }
}
