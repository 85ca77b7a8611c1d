package dev.syncline.core.file;

import java.net.URI;
import java.util.Objects;

/**
 * Where an installation's feed is read.
 *
 * @param token the credential in the feed URL's path ({@code /feeds/<token>})
 * @param storageUrl the stable object's own URL; null before the first promotion
 */
public record FeedLink(String token, URI storageUrl, boolean protectedByPassword) {

    public FeedLink {
        Objects.requireNonNull(token, "token");
    }

    @Override
    public String toString() {
        // The S3 URL is a bearer URL too: its segment is as secret as the token.
        return "FeedLink[redacted, " + (storageUrl == null ? "no S3 URL" : "S3 URL redacted") + ", basic auth " + protectedByPassword + "]";
    }
}
