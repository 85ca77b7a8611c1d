package dev.syncline.core.installation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The secret an installation shares with its App: the App receives it in the handshake and both
 * sides sign and verify {@code X-APP-TOKEN} with it (HS256).
 *
 * <p>It is 256 random bits written as 64 lowercase hex characters, and the HMAC key is the bytes of
 * that text ({@link #hmacKey}), not the 32 random bytes: an App receives a string and hands it to
 * its JWT library as the key, so the engine must sign with exactly those bytes.
 *
 * <p>{@link #toString} never shows it; {@link #reveal} is the one way out, named so that every use
 * stands out in review.
 */
public final class SharedSecret {

    private static final int RANDOM_BYTES = 32;
    private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{64}");

    private final String value;

    private SharedSecret(String value) {
        this.value = value;
    }

    /** A new secret of 256 bits from {@code random}. */
    public static SharedSecret generate(SecureRandom random) {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return new SharedSecret(HexFormat.of().formatHex(bytes));
    }

    /**
     * A secret read back from where it was kept (the {@link SecretVault}).
     *
     * @throws IllegalArgumentException when {@code text} is not 64 lowercase hex characters; the
     *     message does not repeat it
     */
    public static SharedSecret of(String text) {
        if (text == null || !FORMAT.matcher(text).matches()) {
            throw new IllegalArgumentException(
                    "a shared secret is 64 lowercase hexadecimal characters (256 bits)");
        }
        return new SharedSecret(text);
    }

    /** The secret as the App receives it in the handshake's {@code shared_secret}. */
    public String reveal() {
        return value;
    }

    /** The HS256 key: the bytes of the text the App received. */
    public byte[] hmacKey() {
        return value.getBytes(StandardCharsets.US_ASCII);
    }

    // Constant time, so that comparing secrets leaks nothing through timing.
    @Override
    public boolean equals(Object other) {
        return other instanceof SharedSecret that
                && MessageDigest.isEqual(hmacKey(), that.hmacKey());
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(value);
    }

    @Override
    public String toString() {
        return "SharedSecret[redacted]";
    }
}
