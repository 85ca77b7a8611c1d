package dev.syncline.core.installation;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * A {@link SecretVault} that only encodes, but binds the installation id the way the real ones do,
 * so that a mix-up of installations still fails.
 */
public final class InMemorySecretVault implements SecretVault {

    private static final Base64.Encoder ENCODER = Base64.getEncoder();
    private static final Base64.Decoder DECODER = Base64.getDecoder();

    @Override
    public EncryptedSecret encryptText(String secret, UUID installationId) {
        String sealed = installationId + ":" + secret;
        return new EncryptedSecret(
                "fake-vault:" + ENCODER.encodeToString(sealed.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String decryptText(EncryptedSecret encrypted, UUID installationId) {
        String sealed =
                new String(
                        DECODER.decode(encrypted.ciphertext().substring("fake-vault:".length())),
                        StandardCharsets.UTF_8);
        String prefix = installationId + ":";
        if (!sealed.startsWith(prefix)) {
            throw new IllegalStateException("secret was encrypted for another installation");
        }
        return sealed.substring(prefix.length());
    }
}
