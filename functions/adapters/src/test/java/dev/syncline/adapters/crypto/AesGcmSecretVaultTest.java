package dev.syncline.adapters.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.core.installation.EncryptedSecret;
import dev.syncline.core.installation.SharedSecret;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AesGcmSecretVaultTest {

    private final SecureRandom random = new SecureRandom();
    private final AesGcmSecretVault vault = AesGcmSecretVault.create(key());
    private final SharedSecret secret = SharedSecret.generate(random);
    private final UUID installation = UUID.randomUUID();

    @Test
    void decrypt_givesBackTheSecretEncryptedForThatInstallation() {
        EncryptedSecret encrypted = vault.encrypt(secret, installation);

        assertThat(vault.decrypt(encrypted, installation)).isEqualTo(secret);
    }

    @Test
    void encrypt_neverShowsTheSecretAndNeverRepeatsACiphertext() {
        EncryptedSecret first = vault.encrypt(secret, installation);
        EncryptedSecret second = vault.encrypt(secret, installation);

        assertThat(first.ciphertext()).startsWith("local:v1:").doesNotContain(secret.reveal());
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void decrypt_forAnotherInstallation_refuses() {
        EncryptedSecret encrypted = vault.encrypt(secret, installation);

        assertThatThrownBy(() -> vault.decrypt(encrypted, UUID.randomUUID()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("belongs to another installation");
    }

    @Test
    void decrypt_withAnotherKey_refuses() {
        EncryptedSecret encrypted = vault.encrypt(secret, installation);

        assertThatThrownBy(() -> AesGcmSecretVault.create(key()).decrypt(encrypted, installation))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void decrypt_whenAltered_refuses() {
        String ciphertext = vault.encrypt(secret, installation).ciphertext();
        byte[] sealed = Base64.getDecoder().decode(ciphertext.substring("local:v1:".length()));
        sealed[sealed.length - 1] ^= 1;
        EncryptedSecret altered = new EncryptedSecret("local:v1:" + Base64.getEncoder().encodeToString(sealed));

        assertThatThrownBy(() -> vault.decrypt(altered, installation)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void decrypt_whenMadeByAnotherVault_saysTheKeyConfigurationChanged() {
        assertThatThrownBy(() -> vault.decrypt(new EncryptedSecret("kms:v1:abc:def"), installation))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("was not encrypted with a local key");
    }

    private byte[] key() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return key;
    }
}
