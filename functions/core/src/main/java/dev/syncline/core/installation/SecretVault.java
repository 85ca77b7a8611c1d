package dev.syncline.core.installation;

import java.util.UUID;

/**
 * Keeps shared secrets encrypted at rest. On AWS the adapter uses KMS envelope encryption; locally
 * a key from the environment. The installation id is bound to the ciphertext (KMS encryption
 * context, AES-GCM associated data), so a ciphertext copied to another installation does not
 * decrypt.
 */
public interface SecretVault {

    /** Encrypts {@code secret} for the installation {@code installationId}. */
    EncryptedSecret encrypt(SharedSecret secret, UUID installationId);

    /**
     * Decrypts a secret encrypted for {@code installationId}.
     *
     * @throws IllegalStateException when it was encrypted for another installation or is corrupt
     */
    SharedSecret decrypt(EncryptedSecret encrypted, UUID installationId);
}
