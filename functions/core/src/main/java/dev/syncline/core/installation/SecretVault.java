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
    default EncryptedSecret encrypt(SharedSecret secret, UUID installationId) {
        return encryptText(secret.reveal(), installationId);
    }

    /**
     * Decrypts a secret encrypted for {@code installationId}.
     *
     * @throws IllegalStateException when it was encrypted for another installation or is corrupt
     */
    default SharedSecret decrypt(EncryptedSecret encrypted, UUID installationId) {
        return SharedSecret.of(decryptText(encrypted, installationId));
    }

    /**
     * Encrypts any other secret of the installation (a snapshot source's header value), bound to it like its
     * shared secret.
     */
    EncryptedSecret encryptText(String secret, UUID installationId);

    /**
     * Decrypts what {@link #encryptText} encrypted for {@code installationId}.
     *
     * @throws IllegalStateException when it was encrypted for another installation or is corrupt
     */
    String decryptText(EncryptedSecret encrypted, UUID installationId);
}
