package dev.syncline.core.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.core.app.TestClock;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TenantKeyAuthenticationTest {

    private static final Duration CACHE = Duration.ofSeconds(30);
    private static final TenantId ACME = new TenantId("acme");

    private final TestClock clock = TestClock.at("2026-03-06T09:00:00Z");
    private final InMemoryTenantStore tenants = new InMemoryTenantStore();
    private final InMemoryTenantKeyStore keys = new InMemoryTenantKeyStore();
    private final TenantService service = new TenantService(tenants, keys, clock, new SecureRandom());
    private final TenantKeyAuthentication authentication = new TenantKeyAuthentication(keys, tenants, clock, CACHE);

    @Test
    void issuedKey_authenticatesItsTenant_withOneReadPerCachePeriod_andMarksItsUseOncePerPeriod() {
        service.create(ACME, "Acme PIM");
        String key = service.issueKey(ACME, "pim").secretKey();

        for (int request = 0; request < 5; request++) {
            assertThat(authentication.authenticate(key)).contains(ACME);
        }
        assertThat(keys.reads).hasSize(1);
        assertThat(keys.markedUsed).hasSize(1);

        clock.advance(CACHE);
        assertThat(authentication.authenticate(key)).contains(ACME);
        assertThat(keys.reads).hasSize(2);
        assertThat(keys.markedUsed).hasSize(2);
    }

    @Test
    void revokedKey_isStillTrustedWithinTheCachePeriod_andRefusedAfterIt() {
        service.create(ACME, "Acme PIM");
        TenantService.IssuedKey issued = service.issueKey(ACME, "pim");
        assertThat(authentication.authenticate(issued.secretKey())).contains(ACME);

        service.revokeKey(ACME, issued.key().keyId());
        clock.advance(CACHE.minusSeconds(1));
        assertThat(authentication.authenticate(issued.secretKey())).as("within the cache time").contains(ACME);
        clock.advance(Duration.ofSeconds(1));
        assertThat(authentication.authenticate(issued.secretKey())).isEmpty();
    }

    @Test
    void disabledTenantsKey_isRefusedOnceTheCachePeriodEnds() {
        service.create(ACME, "Acme PIM");
        String key = service.issueKey(ACME, "pim").secretKey();
        assertThat(authentication.authenticate(key)).contains(ACME);

        service.disable(ACME);
        clock.advance(CACHE);

        assertThat(authentication.authenticate(key)).isEmpty();
    }

    @Test
    void aWrongSecretForAKnownKeyId_isRefused() {
        service.create(ACME, "Acme PIM");
        TenantService.IssuedKey issued = service.issueKey(ACME, "pim");

        assertThat(authentication.authenticate(issued.key().prefix() + "A".repeat(43))).isEmpty();
        assertThat(authentication.authenticate(issued.secretKey() + "x")).isEmpty();
    }

    @Test
    void keysWithoutTheTenantKeyForm_costNoRead() {
        for (String presented : new String[] {"sl-local-abc", "sl_test_2b7e151628aed2a6", "sl_ABCDEFGHIJKL_secret", "sl_abcdefghijkl_", "Bearer"}) {
            assertThat(authentication.authenticate(presented)).as(presented).isEmpty();
        }
        assertThat(keys.reads).isEmpty();
    }

    @Test
    void unknownKeyIds_areCachedToo_butNoMoreThanTheBound() {
        String unknown = "sl_zzzzzzzzzzzz_" + "A".repeat(43);
        authentication.authenticate(unknown);
        authentication.authenticate(unknown);
        assertThat(keys.reads).hasSize(1);

        for (int i = 0; i < TenantKeyAuthentication.MAX_ENTRIES; i++) {
            authentication.authenticate("sl_%012d_".formatted(i) + "A".repeat(43));
        }
        authentication.authenticate(unknown);
        assertThat(keys.reads).as("the oldest entry was forgotten, so the first id is read again")
                .hasSize(TenantKeyAuthentication.MAX_ENTRIES + 2);
    }

    @Test
    void aCacheTimeOverAMinute_isRefused() {
        assertThatThrownBy(() -> new TenantKeyAuthentication(keys, tenants, clock, Duration.ofSeconds(61)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tenantIds_areNeverReused_andTheDefaultTenantStays() {
        service.create(ACME, "Acme PIM");
        service.disable(ACME);

        assertThatThrownBy(() -> service.create(ACME, "Acme again")).hasMessageContaining("never reused");
        assertThatThrownBy(() -> service.create(TenantId.DEFAULT, "Mine")).hasMessageContaining("never reused");
        assertThatThrownBy(() -> service.disable(TenantId.DEFAULT)).hasMessageContaining("cannot be disabled");
        assertThatThrownBy(() -> service.issueKey(ACME, null)).hasMessageContaining("is disabled");
    }
}
