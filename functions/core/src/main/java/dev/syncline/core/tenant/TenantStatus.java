package dev.syncline.core.tenant;

import java.util.Locale;

/** Whether a tenant may act: a disabled tenant's keys are refused and nothing of it runs. */
public enum TenantStatus {
    ACTIVE,
    DISABLED;

    /** The status as the API and the store spell it: {@code active}, {@code disabled}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
