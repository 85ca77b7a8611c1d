package dev.syncline.adapters.kms;

import dev.syncline.adapters.crypto.AesGcm;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptRequest;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyRequest;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;

/**
 * KMS as far as envelope encryption uses it, in memory: one key, data keys wrapped under it with the key id and
 * the encryption context bound in, and KMS's refusals of a wrong context or key.
 */
final class FakeKms implements KmsClient {

    private final String keyId;
    private final byte[] masterKey = new byte[32];
    private final SecureRandom random = new SecureRandom();
    final List<Map<String, String>> generateContexts = new ArrayList<>();
    final List<Map<String, String>> decryptContexts = new ArrayList<>();

    FakeKms(String keyId) {
        this.keyId = keyId;
        random.nextBytes(masterKey);
    }

    @Override
    public GenerateDataKeyResponse generateDataKey(GenerateDataKeyRequest request) {
        if (!request.keyId().equals(keyId) || request.keySpec() != DataKeySpec.AES_256) {
            throw new IllegalArgumentException("unexpected request " + request);
        }
        generateContexts.add(request.encryptionContext());
        byte[] plaintext = new byte[32];
        random.nextBytes(plaintext);
        byte[] wrapped = AesGcm.seal(masterKey, plaintext, bound(request.encryptionContext()), random);
        return GenerateDataKeyResponse.builder()
                .keyId(keyId)
                .plaintext(SdkBytes.fromByteArray(plaintext))
                .ciphertextBlob(SdkBytes.fromByteArray(wrapped))
                .build();
    }

    @Override
    public DecryptResponse decrypt(DecryptRequest request) {
        decryptContexts.add(request.encryptionContext());
        if (!keyId.equals(request.keyId())) {
            throw IncorrectKeyException.builder().message("the ciphertext was not made under " + request.keyId())
                    .build();
        }
        try {
            byte[] plaintext = AesGcm.open(masterKey, request.ciphertextBlob().asByteArray(),
                    bound(request.encryptionContext()));
            return DecryptResponse.builder().keyId(keyId).plaintext(SdkBytes.fromByteArray(plaintext)).build();
        } catch (IllegalStateException e) {
            throw InvalidCiphertextException.builder().message("invalid ciphertext").build();
        }
    }

    private byte[] bound(Map<String, String> context) {
        return (keyId + new TreeMap<>(context)).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String serviceName() {
        return "kms";
    }

    @Override
    public void close() {
    }
}
