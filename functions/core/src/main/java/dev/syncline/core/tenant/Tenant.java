package dev.syncline.core.tenant;

import java.time.Instant;
import java.util.Objects;

/**
 * One PIM (or one customer of an agency) this deployment serves, managed by the operator.
 *
 * @param id chosen by the operator at creation, never reused
 * @param name what the operator calls it, for people
 * @param status {@code active}, or {@code disabled}: its keys are refused, nothing of it runs
 * @param createdAt when the operator created it
 * @param disabledAt when it was disabled: set exactly when {@code status} is {@code disabled}
 */
public record Tenant(TenantId id, String name, TenantStatus status, Instant createdAt, Instant disabledAt) {

    public Tenant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        if ((status == TenantStatus.DISABLED) != (disabledAt != null)) {
            throw new IllegalArgumentException("disabledAt must be set exactly when the status is disabled, got status "
                    + status + " and disabledAt " + disabledAt);
        }
    }

    /** The tenant every deployment has from the start; see {@link TenantId#DEFAULT}. */
    public static Tenant defaultTenant() {
        return new Tenant(TenantId.DEFAULT, "Default tenant", TenantStatus.ACTIVE, Instant.EPOCH, null);
    }

    public boolean active() {
        return status == TenantStatus.ACTIVE;
    }
}
