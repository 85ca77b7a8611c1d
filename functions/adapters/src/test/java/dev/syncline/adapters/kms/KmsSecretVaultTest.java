package dev.syncline.adapters.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.adapters.wiring.ManualClock;
import dev.syncline.core.installation.EncryptedSecret;
import dev.syncline.core.installation.SharedSecret;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Envelope encryption against an in-memory KMS: the emulators have none. */
class KmsSecretVaultTest {

    private static final String KEY = "arn:aws:kms:eu-central-1:111122223333:key/secrets";

    private final FakeKms kms = new FakeKms(KEY);
    private final KmsSecretVault vault = KmsSecretVault.create(kms, KEY);
    private final SharedSecret secret = SharedSecret.generate(new SecureRandom());
    private final UUID installation = UUID.randomUUID();

    @Test
    void decrypt_givesBackTheSecretEncryptedForThatInstallation() {
        EncryptedSecret encrypted = vault.encrypt(secret, installation);

        assertThat(vault.decrypt(encrypted, installation)).isEqualTo(secret);
    }

    @Test
    void encrypt_storesOnlyTheWrappedDataKeyAndTheCiphertext() {
        EncryptedSecret encrypted = vault.encrypt(secret, installation);

        assertThat(encrypted.ciphertext()).matches("kms:v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+")
                .doesNotContain(secret.reveal());
    }

    @Test
    void everyKmsCall_carriesTheInstallationAsEncryptionContext() {
        vault.decrypt(vault.encrypt(secret, installation), installation);

        Map<String, String> context = Map.of("installation_id", installation.toString());
        assertThat(kms.generateContexts).containsExactly(context);
        assertThat(kms.decryptContexts).containsExactly(context);
    }

    @Test
    void decrypt_again_reusesTheDataKeyForFifteenMinutes_thenAsksKmsAgain() {
        ManualClock clock = new ManualClock(Instant.parse("2026-12-04T10:00:00Z"));
        KmsSecretVault cached = KmsSecretVault.create(kms, KEY, clock);
        EncryptedSecret encrypted = cached.encrypt(secret, installation);

        for (int chunk = 0; chunk < 50; chunk++) {
            assertThat(cached.decrypt(encrypted, installation)).isEqualTo(secret);
        }
        assertThat(kms.decryptContexts).as("one Decrypt for 50 chunks").hasSize(1);

        clock.advance(KmsSecretVault.KEY_MAX_AGE);
        assertThat(cached.decrypt(encrypted, installation)).isEqualTo(secret);
        assertThat(kms.decryptContexts).as("a key older than its maximum age is decrypted again").hasSize(2);
    }

    @Test
    void decrypt_fromTheCache_stillRefusesAnotherInstallationsEnvelope() {
        EncryptedSecret encrypted = vault.encrypt(secret, installation);
        vault.decrypt(encrypted, installation);

        assertThatThrownBy(() -> vault.decrypt(encrypted, UUID.randomUUID()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("belongs to another installation");
    }


    @Test
    void decrypt_forAnotherInstallation_isRefusedByKms() {
        EncryptedSecret encrypted = vault.encrypt(secret, installation);

        assertThatThrownBy(() -> vault.decrypt(encrypted, UUID.randomUUID()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("belongs to another installation");
    }

    @Test
    void decrypt_whenTheCiphertextWasMovedIntoAnotherEnvelope_refuses() {
        UUID other = UUID.randomUUID();
        String[] mine = vault.encrypt(secret, installation).ciphertext().split(":");
        String[] theirs = vault.encrypt(SharedSecret.generate(new SecureRandom()), other).ciphertext().split(":");
        // Their data key, unwrapped by KMS for their installation, must not open my ciphertext under their id.
        EncryptedSecret spliced = new EncryptedSecret("kms:v1:" + theirs[2] + ":" + mine[3]);

        assertThatThrownBy(() -> vault.decrypt(spliced, other)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void decrypt_whenNotAnEnvelope_saysTheKeyConfigurationChanged() {
        assertThatThrownBy(() -> vault.decrypt(new EncryptedSecret("local:v1:abcd"), installation))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not a KMS envelope");
    }
}
