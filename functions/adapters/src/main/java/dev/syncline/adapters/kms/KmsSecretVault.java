package dev.syncline.adapters.kms;

import dev.syncline.adapters.crypto.AesGcm;
import dev.syncline.core.installation.EncryptedSecret;
import dev.syncline.core.installation.SecretVault;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
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
 *
 * <p>Decrypted data keys are kept in memory for {@link #KEY_MAX_AGE}, at most {@link #KEY_CACHE_SIZE} of them: a
 * worker decrypts its installation's secret for every chunk, and a KMS {@code Decrypt} per chunk would cost more
 * than the chunk's own DynamoDB writes. The age bounds how long a disabled KMS key still opens secrets in a warm
 * function.
 */
public final class KmsSecretVault implements SecretVault {

    static final String CONTEXT_KEY = "installation_id";
    static final Duration KEY_MAX_AGE = Duration.ofMinutes(15);
    static final int KEY_CACHE_SIZE = 1_000;
    private static final String PREFIX = "kms:v1:";

    private record CachedKey(byte[] key, Instant decryptedAt) {
    }

    private final KmsClient kms;
    private final String keyId;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** Decrypted data keys by installation and encrypted data key, least recently used first. */
    private final Map<String, CachedKey> keys = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CachedKey> eldest) {
            if (size() <= KEY_CACHE_SIZE) {
                return false;
            }
            Arrays.fill(eldest.getValue().key(), (byte) 0);
            return true;
        }
    };

    private KmsSecretVault(KmsClient kms, String keyId, Clock clock) {
        this.kms = Objects.requireNonNull(kms, "kms");
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A vault encrypting under the KMS key {@code keyId} (id, ARN or alias). */
    public static KmsSecretVault create(KmsClient kms, String keyId) {
        return new KmsSecretVault(kms, keyId, Clock.systemUTC());
    }

    /** A vault whose cached data keys age by {@code clock}. */
    static KmsSecretVault create(KmsClient kms, String keyId, Clock clock) {
        return new KmsSecretVault(kms, keyId, clock);
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
        byte[] key = dataKey(installationId, parts[0], encryptedKey);
        try {
            return new String(AesGcm.open(key, sealed, associatedData(installationId)), StandardCharsets.UTF_8);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** A copy of the plaintext data key: from the cache while it is young enough, else from KMS. */
    private byte[] dataKey(UUID installationId, String encryptedKeyText, byte[] encryptedKey) {
        // The installation is part of the cache key as it is of KMS's context: a data key copied into another
        // installation's envelope must not open it from the cache either.
        String cacheKey = installationId + ":" + encryptedKeyText;
        Instant now = clock.instant();
        synchronized (keys) {
            CachedKey cached = keys.get(cacheKey);
            if (cached != null && cached.decryptedAt().plus(KEY_MAX_AGE).isAfter(now)) {
                return cached.key().clone();
            }
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
        synchronized (keys) {
            CachedKey replaced = keys.put(cacheKey, new CachedKey(key.clone(), now));
            if (replaced != null) {
                Arrays.fill(replaced.key(), (byte) 0);
            }
        }
        return key;
    }

    private static Map<String, String> context(UUID installationId) {
        return Map.of(CONTEXT_KEY, installationId.toString());
    }

    private static byte[] associatedData(UUID installationId) {
        return installationId.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
