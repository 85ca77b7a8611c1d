package dev.syncline.api;

import dev.syncline.core.tenant.TenantId;

import java.util.Objects;

/** Who sent a request, as its credential says: what the request may see and change follows from it. */
sealed interface Caller {

    /**
     * The deployment's operator (a key configured at deploy time): manages tenants and the App catalog, sees every
     * tenant's data; acts for {@link TenantId#DEFAULT} where a request names no tenant.
     */
    record Operator() implements Caller {
    }

    /** A tenant's key: sees and changes only what belongs to {@code id}. */
    record Tenant(TenantId id) implements Caller {

        public Tenant {
            Objects.requireNonNull(id, "id");
        }
    }

    /** No key: the routes that need none (dashboard page and assets, the contract, feeds by their token). */
    record Anonymous() implements Caller {
    }

    Caller OPERATOR = new Operator();
    Caller ANONYMOUS = new Anonymous();
}
