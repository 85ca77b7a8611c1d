package dev.syncline.core.file;

import dev.syncline.core.installation.EncryptedSecret;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * An installation's constant feed: the token in its URL (looked up by hash, kept encrypted so the API can show
 * the URL again), optional basic credentials, and the file it serves now.
 *
 * @param tokenHash lowercase hex SHA-256 of the token; null until the URL is first asked for (a worker that promotes
 *     a file never makes a token, so it needs no encryption key)
 * @param token the token as the vault encrypted it; null exactly when {@code tokenHash} is
 * @param credentials null when the URL alone is enough
 * @param latestKey the stable key last promoted to: {@code feeds/<installation>/<segment>/latest.<ext>} where the file may be
 *     published ({@link #publishedKey}), {@code feeds/<installation>/latest.<ext>} behind basic credentials or from before
 *     segments ({@link #guardedKey}); null before the first promotion and once the feed is closed
 * @param latestRunId the run whose file {@code latestKey} holds; null before the first
 * @param promotedAt null before the first promotion
 */
public record Feed(UUID installationId, String tokenHash, EncryptedSecret token, FeedCredentials credentials,
                   String latestKey, UUID latestRunId, Instant promotedAt) {

    public Feed {
        Objects.requireNonNull(installationId, "installationId");
        if ((tokenHash == null) != (token == null)) {
            throw new IllegalArgumentException("a feed has both its token's hash and ciphertext, or neither");
        }
    }

    /** Without the published key's segment, which is as secret as the token. */
    @Override
    public String toString() {
        return "Feed[" + installationId + ", token " + (tokenHash == null ? "none" : "set") + ", basic auth " + (credentials != null)
                + ", latest " + segment().map(segment -> latestKey.replace(segment, "<segment redacted>")).orElse(latestKey)
                + ", run " + latestRunId + ", promoted " + promotedAt + "]";
    }

    /** The name of the stable object for files of this content type. */
    public static String latestName(String contentType) {
        return "latest." + FileNames.extension(contentType);
    }

    /**
     * The key whose object the bucket may make public ({@code PublishFeeds}): {@code segment} is 256 random bits in
     * hex, so that its URL cannot be guessed from the installation's id, and it changes when the token is rotated.
     */
    public static String publishedKey(UUID installationId, String segment, String name) {
        return "feeds/" + installationId + "/" + segment + "/" + name;
    }

    /** The key of a file that must never be public (a feed behind basic credentials): outside the published layout. */
    public static String guardedKey(UUID installationId, String name) {
        return "feeds/" + installationId + "/" + name;
    }

    /** The unguessable segment of {@link #latestKey}; empty when it is guarded, from before segments, or absent. */
    public Optional<String> segment() {
        if (latestKey == null) {
            return Optional.empty();
        }
        String[] parts = latestKey.split("/");
        return parts.length == 4 ? Optional.of(parts[2]) : Optional.empty();
    }

    /** The stable object's name ({@code latest.<ext>}); null when there is none. */
    public String latestName() {
        return latestKey == null ? null : latestKey.substring(latestKey.lastIndexOf('/') + 1);
    }
}
