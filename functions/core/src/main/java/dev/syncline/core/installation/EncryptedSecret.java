package dev.syncline.core.installation;

/**
 * A {@link SharedSecret} as the {@link SecretVault} encrypted it: opaque to the domain, safe to
 * store next to the installation.
 *
 * @param ciphertext the vault's encoding (e.g. a KMS envelope), text so that it stores as is
 */
public record EncryptedSecret(String ciphertext) {

    public EncryptedSecret {
        if (ciphertext == null || ciphertext.isBlank()) {
            throw new IllegalArgumentException("ciphertext must not be blank");
        }
    }

    // Harmless without the key, but noise in every log line that prints an installation.
    @Override
    public String toString() {
        return "EncryptedSecret[" + ciphertext.length() + " characters]";
    }
}
