package dev.syncline.adapters.crypto;

import dev.syncline.core.installation.EncryptedSecret;
import dev.syncline.core.installation.SecretVault;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

/**
 * Encrypts shared secrets with an AES-256 key the function holds, for the local stack and tests where there
 * is no KMS. The installation id is the associated data. Stored as {@code local:v1:<base64 nonce|ciphertext>}.
 */
public final class AesGcmSecretVault implements SecretVault {

    private static final String PREFIX = "local:v1:";

    private final byte[] key;
    private final SecureRandom random = new SecureRandom();

    private AesGcmSecretVault(byte[] key) {
        if (key.length != AesGcm.KEY_BYTES) {
            throw new IllegalArgumentException("an AES-256 key is " + AesGcm.KEY_BYTES + " bytes, got " + key.length);
        }
        this.key = key.clone();
    }

    public static AesGcmSecretVault create(byte[] key) {
        return new AesGcmSecretVault(key);
    }

    @Override
    public EncryptedSecret encryptText(String secret, UUID installationId) {
        byte[] sealed = AesGcm.seal(key, secret.getBytes(StandardCharsets.UTF_8), associatedData(installationId), random);
        return new EncryptedSecret(PREFIX + Base64.getEncoder().encodeToString(sealed));
    }

    @Override
    public String decryptText(EncryptedSecret encrypted, UUID installationId) {
        String text = encrypted.ciphertext();
        if (!text.startsWith(PREFIX)) {
            throw new IllegalStateException("the secret of installation " + installationId
                    + " was not encrypted with a local key (it does not start with '" + PREFIX + "'): this"
                    + " deployment's key configuration changed");
        }
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(text.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the secret of installation " + installationId + " is corrupt", e);
        }
        byte[] plaintext = AesGcm.open(key, sealed, associatedData(installationId));
        return new String(plaintext, StandardCharsets.UTF_8);
    }

    static byte[] associatedData(UUID installationId) {
        return installationId.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
