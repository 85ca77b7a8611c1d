package dev.syncline.api;

import dev.syncline.core.tenant.TenantId;
import java.util.Optional;

/**
 * The deployment's keys, plus a stand-in for tenants' keys: {@code Bearer test-tenant:<tenant id>} authenticates as
 * that tenant. Tests get such keys from {@link TestDeployment#tenantKey} only, so that they hold whatever keys the
 * deployment issues.
 */
final class TestTenantKeys implements Authenticator {

    static final String PREFIX = "test-tenant:";

    private final Authenticator deployment;

    TestTenantKeys(Authenticator deployment) {
        this.deployment = deployment;
    }

    @Override
    public Caller authenticate(Optional<String> authorization) {
        Optional<String> key = authorization.map(String::strip)
                .filter(header -> header.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(header -> header.substring(7).strip())
                .filter(presented -> presented.startsWith(PREFIX));
        if (key.isPresent()) {
            return new Caller.Tenant(new TenantId(key.get().substring(PREFIX.length())));
        }
        return deployment.authenticate(authorization);
    }

    static String keyOf(String tenantId) {
        return PREFIX + tenantId;
    }
}
