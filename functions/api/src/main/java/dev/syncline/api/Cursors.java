package dev.syncline.api;

import dev.syncline.adapters.config.Config;
import dev.syncline.core.SynclineException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque page cursors, bound to the listing that issued them. A cursor is base64url of an HMAC-SHA256 tag and the
 * position in the listing; the tag covers the listing's identity (route, ids, filters) and the position. So a cursor
 * of another listing (another run, installation or filter) or an altered one answers 422 instead of reading
 * somewhere else. The key is derived from the deployment's configuration, which clients never see: the local secret
 * key when there is one, and the API key digests (rotating an API key ends the cursors handed out before).
 */
final class Cursors {

    private static final int TAG_BYTES = 16;

    private final byte[] key;

    private Cursors(byte[] key) {
        this.key = key;
    }

    static Cursors of(Config config) {
        MessageDigest digest = sha256();
        digest.update("syncline cursors v1\n".getBytes(StandardCharsets.UTF_8));
        config.secretKey().filter(Config.SecretKey.Local.class::isInstance).map(Config.SecretKey.Local.class::cast)
                .ifPresent(local -> digest.update(local.key()));
        config.apiKeyHashes().forEach(hash -> digest.update((hash + "\n").getBytes(StandardCharsets.UTF_8)));
        digest.update(config.table().getBytes(StandardCharsets.UTF_8));
        return new Cursors(digest.digest());
    }

    /** The cursor a client passes back to read on from {@code position}; null (the last page) for null. */
    String seal(String listing, String position) {
        if (position == null) {
            return null;
        }
        byte[] text = position.getBytes(StandardCharsets.UTF_8);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                ByteBuffer.allocate(TAG_BYTES + text.length).put(tag(listing, text)).put(text).array());
    }

    /** The position a cursor of this listing holds; null for no cursor (the first page). */
    String open(String listing, String cursor) {
        if (cursor == null) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (bytes.length <= TAG_BYTES) {
            throw invalid();
        }
        byte[] text = Arrays.copyOfRange(bytes, TAG_BYTES, bytes.length);
        if (!MessageDigest.isEqual(Arrays.copyOf(bytes, TAG_BYTES), tag(listing, text))) {
            throw invalid();
        }
        return new String(text, StandardCharsets.UTF_8);
    }

    /**
     * {@code next}, or null when nothing follows it: a store that stops at {@code limit} items hands out a position
     * even when the page it filled was the last one.
     */
    static String unlessLast(String next, Predicate<String> hasMore) {
        return next != null && hasMore.test(next) ? next : null;
    }

    private byte[] tag(String listing, byte[] position) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(listing.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return Arrays.copyOf(mac.doFinal(position), TAG_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static SynclineException.Invalid invalid() {
        return new SynclineException.Invalid("query", List.of(new SynclineException.Violation("cursor",
                "cursor is not one this listing returned (another listing's, with other filters, or altered); restart the listing"
                        + " without cursor, or pass next_cursor from its previous page unchanged")));
    }
}
