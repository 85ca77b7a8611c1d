package dev.syncline.core.file;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Optional HTTP basic credentials on a feed URL, on top of its token. The password is kept as a salted PBKDF2
 * hash, never as itself.
 *
 * @param salt hex
 * @param hash hex PBKDF2-HMAC-SHA256 of the password with {@code salt}
 */
public record FeedCredentials(String username, String salt, String hash) {

    private static final int ITERATIONS = 20_000;

    public FeedCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(hash, "hash");
    }

    public static FeedCredentials create(String username, String password, SecureRandom random) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        String saltHex = HexFormat.of().formatHex(salt);
        return new FeedCredentials(username, saltHex, hash(password, saltHex));
    }

    /** Whether {@code username} and {@code password} are these credentials, compared in constant time. */
    public boolean matches(String username, String password) {
        boolean user = MessageDigest.isEqual(this.username.getBytes(StandardCharsets.UTF_8), username.getBytes(StandardCharsets.UTF_8));
        boolean pass = MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII),
                hash(password, salt).getBytes(StandardCharsets.US_ASCII));
        return user & pass;
    }

    private static String hash(String password, String saltHex) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), HexFormat.of().parseHex(saltHex), ITERATIONS, 256);
            return HexFormat.of().formatHex(SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "FeedCredentials[" + username + ", redacted]";
    }
}
