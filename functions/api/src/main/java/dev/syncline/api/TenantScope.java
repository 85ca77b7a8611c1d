package dev.syncline.api;

import dev.syncline.core.SynclineException;
import dev.syncline.core.installation.Installation;
import dev.syncline.core.installation.InstallationService;
import dev.syncline.core.sync.RunNotFoundException;
import dev.syncline.core.tenant.Tenant;
import dev.syncline.core.tenant.TenantId;
import dev.syncline.core.tenant.TenantStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What of the deployment a caller reaches. Everything belongs to a tenant through its installation: snapshots,
 * runs, entries, files, feed, schedule, configuration, webhook. A tenant's key reaches only its own; the id of
 * another tenant's installation or run is answered exactly as an id that names nothing (404, same detail), so an
 * answer never tells that something exists. The operator reaches every tenant's.
 *
 * <p>{@link Api} calls {@link #admit} for every request before its endpoint runs, so a route that names an
 * installation or a run in its path is scoped by being declared, with no check of its own.
 */
final class TenantScope {

    private final TenantStore tenants;

    TenantScope(TenantStore tenants) {
        this.tenants = tenants;
    }

    /**
     * Lets the request through to its endpoint only if its caller may reach the installation and the run its path
     * names. What it reads for that it reads through the request's {@link RequestReads}, so that the endpoint, reading
     * the same items through them, does not read them again.
     *
     * @throws SynclineException.NotFound as for an unknown id, when they belong to another tenant
     */
    void admit(ApiRequest request, Map<String, String> pathParameters) {
        if (!(request.caller() instanceof Caller.Tenant tenant)) {
            // The operator reaches everything; anonymous routes (feeds) name nothing by id.
            return;
        }
        String installation = pathParameters.get("installation_id");
        if (installation != null) {
            UUID id = Ids.installation(installation);
            if (!request.reads().installation(id).belongsTo(tenant.id())) {
                throw InstallationService.unknown(id);
            }
        }
        String run = pathParameters.get("synchronization_id");
        if (run != null) {
            UUID id = Ids.synchronization(run);
            if (!request.reads().installation(request.reads().run(id).installationId()).belongsTo(tenant.id())) {
                throw new RunNotFoundException(id);
            }
        }
    }

    /** Whether the caller may see {@code installation}. */
    static boolean sees(Caller caller, Installation installation) {
        return !(caller instanceof Caller.Tenant tenant) || installation.belongsTo(tenant.id());
    }

    /**
     * The tenant a listing shows: a tenant key's own; for the operator, the one {@code ?tenant_id=} names, or every
     * tenant's (empty) without it.
     *
     * @throws SynclineException.Invalid when {@code tenant_id} is malformed, or names another tenant than the key's
     */
    static Optional<TenantId> listed(ApiRequest request) {
        Optional<TenantId> asked = request.queryParameter("tenant_id").map(TenantId::parse);
        if (request.caller() instanceof Caller.Tenant tenant) {
            return Optional.of(own(tenant, asked, "lists"));
        }
        return asked;
    }

    /**
     * The tenant a new installation belongs to: a tenant key's own; for the operator, the active tenant
     * {@code tenant_id} names, or the default tenant.
     *
     * @param asked the body's {@code tenant_id}, {@code null} when absent
     * @throws SynclineException.Invalid naming {@code tenant_id} when it is malformed, names no active tenant, or names
     *     another tenant than the key's
     */
    TenantId installing(ApiRequest request, String asked) {
        Optional<TenantId> named = Optional.ofNullable(asked).map(TenantId::parse);
        if (request.caller() instanceof Caller.Tenant tenant) {
            return own(tenant, named, "installs");
        }
        if (named.isEmpty()) {
            return TenantId.DEFAULT;
        }
        if (tenants.find(named.get()).filter(Tenant::active).isEmpty()) {
            throw invalid("tenant_id " + SynclineException.quote(named.get().value())
                    + " names no active tenant of this deployment: create it with POST /v1/tenants, or leave tenant_id out"
                    + " to install for the default tenant");
        }
        return named.get();
    }

    private static TenantId own(Caller.Tenant tenant, Optional<TenantId> asked, String verb) {
        if (asked.isPresent() && !asked.get().equals(tenant.id())) {
            throw invalid("a tenant's key " + verb + " for its own tenant only (" + tenant.id() + "): leave tenant_id out");
        }
        return tenant.id();
    }

    private static SynclineException.Invalid invalid(String message) {
        return new SynclineException.Invalid("tenant_id", List.of(new SynclineException.Violation("tenant_id", message)));
    }
}
