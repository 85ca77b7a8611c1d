package dev.syncline.core.installation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.core.app.AppId;
import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.app.Semver;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

class AppTokenClaimsTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00.750Z");

    private final Installation installation =
            new Installation(
                    UUID.fromString("8d1c3a52-7c0e-4a55-9a0c-3f4f2b9f0e11"),
                    new AppId("shop-export"),
                    Semver.parse("1.0.0"),
                    "Shop DE",
                    HttpUrl.parse("https://pim.example.com/api"),
                    InstallationStatus.ACTIVE,
                    DispatchSettings.DEFAULT,
                    new EncryptedSecret("sealed"),
                    NOW,
                    NOW,
                    null);

    @Test
    void forInstallation_carriesInstallationAndApiUrlAndExpiresInFiveMinutes() {
        AppTokenClaims claims = AppTokenClaims.forInstallation(installation, NOW);

        assertThat(claims.appInstallationId()).isEqualTo(installation.id());
        assertThat(claims.apiUrl()).isEqualTo(installation.apiUrl());
        assertThat(claims.issuedAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(claims.notBefore()).isEqualTo(claims.issuedAt());
        assertThat(claims.expiresAt()).isEqualTo(Instant.parse("2026-03-01T10:05:00Z"));
        assertThat(claims.synchronizationId()).isNull();
    }

    @Test
    void forSynchronization_carriesTheSynchronizationId() {
        UUID run = UUID.fromString("0f2a6b1e-3d4c-4e5f-8a9b-0c1d2e3f4a5b");

        assertThat(AppTokenClaims.forSynchronization(installation, run, NOW).synchronizationId())
                .isEqualTo(run);
    }
}
