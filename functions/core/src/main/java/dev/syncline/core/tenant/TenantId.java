package dev.syncline.core.tenant;

import dev.syncline.core.SynclineException;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The identifier of a tenant: one PIM (or one customer of an agency) served by this deployment. Everything a PIM
 * creates (installations and, through them, snapshots, runs, entries, files and feeds) belongs to one tenant.
 * Chosen by the operator when creating the tenant; it appears in URLs and storage keys, hence the narrow alphabet.
 *
 * @param value 3–64 lowercase ASCII letters, digits and dashes, starting with a letter and not ending with a dash,
 *     e.g. {@code acme-shop}
 */
public record TenantId(String value) {

    // First: DEFAULT below is checked against it while the class initializes.
    private static final Pattern VALID = Pattern.compile("[a-z][a-z0-9-]{1,62}[a-z0-9]");

    /**
     * The tenant every deployment starts with. Data stored before tenants existed belongs to it, and the operator
     * key acts for it when a request names no tenant, so a deployment serving one PIM needs no tenant set-up.
     */
    public static final TenantId DEFAULT = new TenantId("default");

    /** The rule, phrased to complete "tenant_id must be …" in messages. */
    public static final String RULE =
            "3–64 characters of lowercase letters, digits and dashes, starting with a letter and"
                + " not ending with a dash (e.g. acme-shop)";

    public TenantId {
        if (!isValid(value)) {
            throw new IllegalArgumentException(
                    "tenant_id must be " + RULE + ", got " + SynclineException.quote(value));
        }
    }

    /**
     * Reads a tenant id from a request.
     *
     * @throws SynclineException.Invalid naming the rule when {@code text} breaks it
     */
    public static TenantId parse(String text) {
        if (!isValid(text)) {
            throw new SynclineException.Invalid("tenant_id", List.of(new SynclineException.Violation(
                    "tenant_id", "tenant_id must be " + RULE + ", got " + SynclineException.quote(text))));
        }
        return new TenantId(text);
    }

    /** Whether {@code text} follows {@link #RULE}. */
    public static boolean isValid(String text) {
        return text != null && VALID.matcher(text).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
