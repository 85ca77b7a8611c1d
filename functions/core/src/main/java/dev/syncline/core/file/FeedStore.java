package dev.syncline.core.file;

import dev.syncline.core.installation.EncryptedSecret;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Installations' feeds, found by installation or by the hash of their token. */
public interface FeedStore {

    Optional<Feed> find(UUID installationId);

    /** The installation whose current token hashes to {@code tokenHash}; empty for unknown and rotated tokens. */
    Optional<UUID> findByTokenHash(String tokenHash);

    /** Gives the feed its first token; false when it has one already (the caller reads that one). */
    boolean createToken(UUID installationId, String tokenHash, EncryptedSecret token);

    /** Replaces the token: the new one works and the old one stops working when this returns. */
    void replaceToken(UUID installationId, String oldHash, String newHash, EncryptedSecret newToken, Instant now);

    /** @param credentials null to remove them */
    void setCredentials(UUID installationId, FeedCredentials credentials, Instant now);

    /**
     * Records that {@code latestKey} now holds the file of {@code runId}, making the feed's record if there is none;
     * only while the feed's stable key is still {@code expectedKey} (null: none yet).
     *
     * @return false when a rotation, protection or other promotion changed the stable key meanwhile: nothing recorded
     */
    boolean promoted(UUID installationId, String expectedKey, String latestKey, UUID runId, Instant now);

    /**
     * Points the feed at {@code toKey} (null: no file), only while its stable key is still {@code fromKey}.
     *
     * @return false when the stable key changed meanwhile: nothing recorded
     */
    boolean moved(UUID installationId, String fromKey, String toKey, Instant now);
}
