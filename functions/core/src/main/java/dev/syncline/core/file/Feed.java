package dev.syncline.core.file;

import dev.syncline.core.installation.EncryptedSecret;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An installation's constant feed: the token in its URL (looked up by hash, kept encrypted so the API can show
 * the URL again), optional basic credentials, and the file it serves now.
 *
 * @param tokenHash lowercase hex SHA-256 of the token; null until the URL is first asked for (a worker that promotes
 *     a file never makes a token, so it needs no encryption key)
 * @param token the token as the vault encrypted it; null exactly when {@code tokenHash} is
 * @param credentials null when the URL alone is enough
 * @param latestKey the stable key ({@code feeds/<installation>/latest.<ext>}) last promoted to; null before the first
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

    /** The stable key for files of this content type. */
    public static String latestKey(UUID installationId, String contentType) {
        return "feeds/" + installationId + "/latest." + FileNames.extension(contentType);
    }
}
