package dev.syncline.adapters.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM as both vaults use it: a fresh random 96-bit nonce per message, prepended to the ciphertext, and
 * associated data that binds the ciphertext to what it belongs to (an installation), so that a ciphertext
 * copied elsewhere does not decrypt.
 */
public final class AesGcm {

    public static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private AesGcm() {
    }

    /** {@code nonce || ciphertext || tag} of {@code plaintext} under {@code key}. */
    public static byte[] seal(byte[] key, byte[] plaintext, byte[] associatedData, SecureRandom random) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, nonce);
            cipher.updateAAD(associatedData);
            byte[] ciphertext = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(nonce.length + ciphertext.length).put(nonce).put(ciphertext).array();
        } catch (GeneralSecurityException e) {
            // AES-GCM is in every JDK and the key size is checked: this is a broken runtime.
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * The plaintext of {@link #seal}'s output.
     *
     * @throws IllegalStateException when the key or the associated data is not the one it was sealed with, or
     *     the ciphertext was altered
     */
    public static byte[] open(byte[] key, byte[] sealed, byte[] associatedData) {
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException("the ciphertext is too short to be AES-GCM output: it is corrupt");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, java.util.Arrays.copyOf(sealed, NONCE_BYTES));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException(
                    "the ciphertext does not decrypt: it belongs to another installation, was made with another"
                            + " key, or is corrupt", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    private static Cipher cipher(int mode, byte[] key, byte[] nonce) throws GeneralSecurityException {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("an AES-256 key is " + KEY_BYTES + " bytes, got " + key.length);
        }
        Cipher cipher = Cipher.getInstance(TRANSFORMATION);
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        return cipher;
    }
}
