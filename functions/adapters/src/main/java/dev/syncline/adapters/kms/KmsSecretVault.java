package dev.syncline.adapters.kms;

import dev.syncline.adapters.crypto.AesGcm;
import dev.syncline.core.installation.EncryptedSecret;
import dev.syncline.core.installation.SecretVault;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;

/**
 * KMS envelope encryption of shared secrets: KMS generates a data key per secret ({@code GenerateDataKey}),
 * the secret is sealed locally with AES-256-GCM under it, and only the KMS-encrypted data key is stored next
 * to the ciphertext. The installation id is both the KMS encryption context (CloudTrail shows which
 * installation a decryption was for, and KMS refuses a mismatch) and the AES-GCM associated data.
 *
 * <p>Stored as {@code kms:v1:<base64 encrypted data key>:<base64 nonce|ciphertext>}.
 */
public final class KmsSecretVault implements SecretVault {

    static final String CONTEXT_KEY = "installation_id";
    private static final String PREFIX = "kms:v1:";

    private final KmsClient kms;
    private final String keyId;
    private final SecureRandom random = new SecureRandom();

    private KmsSecretVault(KmsClient kms, String keyId) {
        this.kms = Objects.requireNonNull(kms, "kms");
        this.keyId = Objects.requireNonNull(keyId, "keyId");
    }

    /** A vault encrypting under the KMS key {@code keyId} (id, ARN or alias). */
    public static KmsSecretVault create(KmsClient kms, String keyId) {
        return new KmsSecretVault(kms, keyId);
    }

    @Override
    public EncryptedSecret encryptText(String secret, UUID installationId) {
        GenerateDataKeyResponse dataKey = kms.generateDataKey(b -> b
                .keyId(keyId)
                .keySpec(DataKeySpec.AES_256)
                .encryptionContext(context(installationId)));
        byte[] key = dataKey.plaintext().asByteArray();
        try {
            byte[] sealed = AesGcm.seal(key, secret.getBytes(StandardCharsets.UTF_8), associatedData(installationId), random);
            Base64.Encoder base64 = Base64.getEncoder();
            return new EncryptedSecret(PREFIX + base64.encodeToString(dataKey.ciphertextBlob().asByteArray()) + ":"
                    + base64.encodeToString(sealed));
        } finally {
            // Our copy of the data key; the SDK's own buffer is garbage soon after.
            Arrays.fill(key, (byte) 0);
        }
    }

    @Override
    public String decryptText(EncryptedSecret encrypted, UUID installationId) {
        String text = encrypted.ciphertext();
        String[] parts = text.startsWith(PREFIX) ? text.substring(PREFIX.length()).split(":", -1) : new String[0];
        if (parts.length != 2) {
            throw new IllegalStateException("the secret of installation " + installationId
                    + " is not a KMS envelope ('" + PREFIX + "<data key>:<ciphertext>'): this deployment's key"
                    + " configuration changed, or the secret is corrupt");
        }
        byte[] encryptedKey;
        byte[] sealed;
        try {
            encryptedKey = Base64.getDecoder().decode(parts[0]);
            sealed = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the secret of installation " + installationId + " is corrupt", e);
        }
        // Naming the key refuses a ciphertext made under another key instead of decrypting it.
        byte[] key;
        try {
            key = kms.decrypt(b -> b
                            .keyId(keyId)
                            .ciphertextBlob(SdkBytes.fromByteArray(encryptedKey))
                            .encryptionContext(context(installationId)))
                    .plaintext()
                    .asByteArray();
        } catch (InvalidCiphertextException e) {
            // KMS's answer to a data key made for another installation (context) or under another key.
            throw new IllegalStateException("the secret of installation " + installationId
                    + " does not decrypt: it belongs to another installation, was made with another key, or is"
                    + " corrupt", e);
        }
        try {
            return new String(AesGcm.open(key, sealed, associatedData(installationId)), StandardCharsets.UTF_8);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static Map<String, String> context(UUID installationId) {
        return Map.of(CONTEXT_KEY, installationId.toString());
    }

    private static byte[] associatedData(UUID installationId) {
        return installationId.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
