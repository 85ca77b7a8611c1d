package dev.syncline.core.sync;

import dev.syncline.core.SynclineException;
import dev.syncline.core.tenant.TenantId;

/**
 * The tenant has as many active runs as the deployment allows one tenant: one tenant cannot take the capacity every
 * tenant shares. A run that ends frees a place.
 */
public final class TenantRunLimitException extends SynclineException.Conflict {

    private static final long serialVersionUID = 1L;

    private final int limit;
    private final int active;

    public TenantRunLimitException(TenantId tenant, int limit, int active) {
        super("Tenant " + tenant + " has " + active + " active synchronizations, and this deployment allows at most " + limit
                + " per tenant; wait for one to end (or cancel one) and trigger again.");
        this.limit = limit;
        this.active = active;
    }

    /** How many active runs one tenant may have. */
    public int limit() {
        return limit;
    }

    /** How many the tenant had when the trigger was refused. */
    public int active() {
        return active;
    }
}
