package dev.syncline.core.sync;

import dev.syncline.core.SynclineException;
import dev.syncline.core.tenant.TenantId;

/**
 * The tenant has as many active runs as the deployment allows one tenant: one tenant cannot take the capacity every
 * tenant shares. A run that ends frees a place. The message says the limit and how many runs are active.
 */
public final class TenantRunLimitException extends SynclineException.Conflict {

    private static final long serialVersionUID = 1L;

    public TenantRunLimitException(TenantId tenant, int limit, int active) {
        super("Tenant " + tenant + " has " + active + " active synchronizations, and this deployment allows at most " + limit
                + " per tenant; wait for one to end (or cancel one) and trigger again.");
    }
}
