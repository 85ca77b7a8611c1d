package dev.syncline.core.file;

import dev.syncline.core.SynclineException;
import dev.syncline.core.app.AppFeature;
import dev.syncline.core.app.AppRegistry;
import dev.syncline.core.installation.Installation;
import dev.syncline.core.installation.InstallationService;
import dev.syncline.core.installation.InstallationStatus;
import dev.syncline.core.installation.SecretVault;
import dev.syncline.core.installation.SharedSecret;
import dev.syncline.core.sync.Run;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Constant feed URLs: each installation whose App has {@code synchronization_file_download_latest} gets one. The
 * token in the URL is the credential: 256 random bits, looked up by its SHA-256 and kept encrypted by the
 * {@link SecretVault} so that the API can show the URL again. Rotating it makes the old URL answer 404 at once.
 * Promotion copies a run's file over the stable key in one step. That key holds a second 256-bit secret, a segment
 * that rotation changes (the file is copied to the new key, the old object deleted), because the key is also an S3
 * URL that a deployment may publish; a feed behind basic credentials is kept outside that layout, and an uninstalled
 * installation's file is deleted.
 */
public final class FeedService {

    private static final Pattern TOKEN = Pattern.compile("[0-9a-f]{64}");
    /** Attempts at a move of the feed's file that a concurrent one keeps overtaking. */
    static final int MAX_ATTEMPTS = 3;

    private final FeedStore feeds;
    private final FileStore files;
    private final InstallationService installations;
    private final AppRegistry apps;
    private final SecretVault vault;
    private final Clock clock;
    private final SecureRandom random;

    public FeedService(FeedStore feeds, FileStore files, InstallationService installations, AppRegistry apps, SecretVault vault,
            Clock clock, SecureRandom random) {
        this.feeds = feeds;
        this.files = files;
        this.installations = installations;
        this.apps = apps;
        this.vault = vault;
        this.clock = clock;
        this.random = random;
    }

    /**
     * The installation's feed, made on first use; empty when its App does not have the latest feature.
     *
     * @throws SynclineException.Conflict when the installation is uninstalled: its feed is closed, no token is made
     */
    public Optional<FeedLink> link(UUID installationId) {
        Installation installation = installed(installationId);
        if (!hasLatest(installation)) {
            return Optional.empty();
        }
        return Optional.of(linkOf(ensure(installationId)));
    }

    /** A new token: the new URL works and the old one answers 404 when this returns. */
    public FeedLink rotate(UUID installationId) {
        Feed feed = ensure(requireLatest(installationId));
        String token = newSecret();
        feeds.replaceToken(installationId, feed.tokenHash(), hash(token), vault.encrypt(SharedSecret.of(token), installationId), clock.instant());
        relocate(installationId, current -> stableKey(current, current.latestName(), true));
        return linkOf(feeds.find(installationId).orElseThrow());
    }

    /** Requires HTTP basic credentials on the feed from now on, on top of the token. */
    public FeedLink protect(UUID installationId, String username, String password) {
        installed(installationId);
        List<SynclineException.Violation> violations = new java.util.ArrayList<>();
        if (username == null || username.isBlank() || username.contains(":") || username.length() > 100) {
            violations.add(new SynclineException.Violation("username", "username is required: 1 to 100 characters, no colon"));
        }
        if (password == null || password.length() < 12 || password.length() > 200) {
            violations.add(new SynclineException.Violation("password", "password is required: 12 to 200 characters"));
        }
        if (!violations.isEmpty()) {
            throw new SynclineException.Invalid("feed credentials", violations);
        }
        ensure(requireLatest(installationId));
        feeds.setCredentials(installationId, FeedCredentials.create(username, password, random), clock.instant());
        relocate(installationId, current -> stableKey(current, current.latestName(), false));
        return linkOf(feeds.find(installationId).orElseThrow());
    }

    /** The token alone opens the feed again. */
    public FeedLink unprotect(UUID installationId) {
        ensure(requireLatest(installationId));
        feeds.setCredentials(installationId, null, clock.instant());
        relocate(installationId, current -> stableKey(current, current.latestName(), false));
        return linkOf(feeds.find(installationId).orElseThrow());
    }

    /** The feed a token opens; empty for a malformed, unknown or rotated token, or an uninstalled installation. */
    public Optional<Feed> resolve(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            return Optional.empty();
        }
        String hash = hash(token);
        return feeds.findByTokenHash(hash)
                .flatMap(feeds::find)
                .filter(feed -> hash.equals(feed.tokenHash())) // a lookup left behind by an interrupted rotation
                .filter(feed -> installations.find(feed.installationId()).status() != InstallationStatus.UNINSTALLED);
    }

    /**
     * Makes {@code file} the feed's file: copied over the stable key in one step (S3 CopyObject, or a multipart copy
     * above 5 GB, both atomic per key), so a consumer reads the old file or the new one, never a mix. A feed from
     * before unguessable segments gets one here, and its old object is deleted.
     */
    public void promote(Run run, RunFile file) {
        UUID installationId = run.installationId();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Optional<Feed> feed = feeds.find(installationId);
            String previousKey = feed.map(Feed::latestKey).orElse(null);
            String name = Feed.latestName(file.contentType());
            String latestKey = feed.map(current -> stableKey(current, name, false))
                    .orElseGet(() -> Feed.publishedKey(installationId, newSecret(), name));
            files.publish(file.key(), file.sizeBytes(), latestKey, file.contentType(), file.contentDisposition(),
                    Map.of("sha256", file.sha256(), "synchronization-id", run.id().toString()));
            if (feeds.promoted(installationId, previousKey, latestKey, run.id(), clock.instant())) {
                if (previousKey != null && !previousKey.equals(latestKey)) {
                    // A new content type, a first segment, or new credentials: the old object would serve a stale file.
                    files.delete(previousKey);
                }
                if (installations.find(installationId).status() == InstallationStatus.UNINSTALLED) {
                    close(installationId); // uninstalled while the file was fetched: the closing missed this object
                }
                return;
            }
            dropUnlessCurrent(installationId, latestKey); // the feed moved meanwhile: promote onto where it is now
        }
        throw new IllegalStateException("the feed of installation " + installationId + " kept changing while run " + run.id()
                + "'s file was promoted; gave up after " + MAX_ATTEMPTS + " attempts");
    }

    /** Deletes the feed's file once its installation is uninstalled: neither the feed URL nor S3 serves it any more. */
    public void close(UUID installationId) {
        relocate(installationId, current -> null);
    }

    /**
     * Where the feed's file belongs: behind basic credentials never under a published key; otherwise under the feed's
     * unguessable segment, a new one when there is none yet or when {@code freshSegment}.
     */
    private String stableKey(Feed feed, String name, boolean freshSegment) {
        if (name == null) {
            return null;
        }
        if (feed.credentials() != null) {
            return Feed.guardedKey(feed.installationId(), name);
        }
        String segment = freshSegment ? newSecret() : feed.segment().orElseGet(this::newSecret);
        return Feed.publishedKey(feed.installationId(), segment, name);
    }

    /**
     * Moves the feed's file to the key {@code target} gives for the feed as it is (null: nowhere) and deletes the old
     * object, going again when a promotion moved the feed in between.
     */
    private void relocate(UUID installationId, Function<Feed, String> target) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Optional<Feed> feed = feeds.find(installationId);
            String from = feed.map(Feed::latestKey).orElse(null);
            if (from == null) {
                return;
            }
            Optional<FileObject> object = files.describe(from);
            String to = object.isEmpty() ? null : target.apply(feed.get());
            if (from.equals(to)) {
                return;
            }
            if (to != null) {
                FileObject current = object.get();
                files.publish(from, current.size(), to, current.contentType(), current.contentDisposition(), current.metadata());
            }
            if (feeds.moved(installationId, from, to, clock.instant())) {
                files.delete(from);
                return;
            }
            if (to != null) {
                dropUnlessCurrent(installationId, to);
            }
        }
        throw new IllegalStateException("the feed of installation " + installationId + " kept changing while its file was moved;"
                + " gave up after " + MAX_ATTEMPTS + " attempts");
    }

    /** Deletes an object written for a move that lost to a concurrent one, unless the feed ended up there anyway. */
    private void dropUnlessCurrent(UUID installationId, String key) {
        if (!feeds.find(installationId).map(Feed::latestKey).filter(key::equals).isPresent()) {
            files.delete(key);
        }
    }

    private Feed ensure(UUID installationId) {
        Optional<Feed> existing = feeds.find(installationId);
        if (existing.isPresent() && existing.get().tokenHash() != null) {
            return existing.get();
        }
        String token = newSecret();
        feeds.createToken(installationId, hash(token), vault.encrypt(SharedSecret.of(token), installationId));
        return feeds.find(installationId).orElseThrow(); // ours, or the one a concurrent caller made first
    }

    private FeedLink linkOf(Feed feed) {
        String token = vault.decrypt(feed.token(), feed.installationId()).reveal();
        // Only a published key has an S3 URL to hand out: a guarded one is never public, an old one was guessable.
        boolean guarded = feed.credentials() != null;
        return new FeedLink(token, guarded ? null : feed.segment().map(segment -> files.location(feed.latestKey())).orElse(null), guarded);
    }

    private UUID requireLatest(UUID installationId) {
        Installation installation = installed(installationId);
        if (!hasLatest(installation)) {
            throw new SynclineException.Conflict("Installation " + installationId + " has no feed: its App's manifest does not enable "
                    + AppFeature.SYNCHRONIZATION_FILE_DOWNLOAD_LATEST.wireName() + ".");
        }
        return installationId;
    }

    private Installation installed(UUID installationId) {
        Installation installation = installations.find(installationId);
        if (installation.status() == InstallationStatus.UNINSTALLED) {
            throw new SynclineException.Conflict("Installation " + installationId + " was uninstalled at " + installation.uninstalledAt()
                    + "; its feed is closed: the feed URL answers 404 and no new one is handed out.");
        }
        return installation;
    }

    private boolean hasLatest(Installation installation) {
        return apps.latest(installation.appId()).enables(AppFeature.SYNCHRONIZATION_FILE_DOWNLOAD_LATEST);
    }

    /** 256 random bits in lowercase hex: a feed token, or the segment of a published key. */
    private String newSecret() {
        return SharedSecret.generate(random).reveal();
    }

    static String hash(String token) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
