package dev.syncline.core.file;

import dev.syncline.core.app.AppFeature;
import dev.syncline.core.app.AppRegistry;
import dev.syncline.core.app.Manifest;
import dev.syncline.core.blob.StoredBlob;
import dev.syncline.core.delivery.AppTarget;
import dev.syncline.core.delivery.ChunkDeliverer;
import dev.syncline.core.delivery.DeliveryAttempt;
import dev.syncline.core.delivery.RetryPolicy;
import dev.syncline.core.installation.AppTokenClaims;
import dev.syncline.core.installation.Installation;
import dev.syncline.core.installation.InstallationService;
import dev.syncline.core.installation.SecretVault;
import dev.syncline.core.sync.Run;
import dev.syncline.core.sync.RunEnding;
import dev.syncline.core.sync.RunStatus;
import dev.syncline.core.webhook.WebhookEvent;
import dev.syncline.core.webhook.Webhooks;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * The file step of a run's end (architecture, step 5). Before the final status: {@code GET /download-file} from
 * the App with the run's token, streamed to {@code files/<installation>/<run>/<name>} with its size, SHA-256 and
 * content type recorded; transient failures are retried like deliveries, and a fetch that still fails makes the
 * run {@code finished_with_errors} with the reason. After the final status: a {@code finished} or
 * {@code finished_with_errors} run whose fetch succeeded with a non-empty file is promoted to the feed; a failed,
 * cancelled or empty one never replaces a good feed.
 */
public final class FileService implements RunEnding {

    /** Everything the file step talks to. */
    public record Ports(AppFileSource app, FileStore files, RunFiles runFiles, FeedService feeds,
                        InstallationService installations, AppRegistry apps, SecretVault vault) {
    }

    private final Ports ports;
    private final Clock clock;
    private final ChunkDeliverer.Sleeper sleeper;
    private final RandomGenerator random;
    private final Duration fetchLease;
    private final Webhooks webhooks;

    /** @param fetchLease how long one caller may fetch before another may start over: the longest a function runs */
    public FileService(Ports ports, Clock clock, ChunkDeliverer.Sleeper sleeper, RandomGenerator random, Duration fetchLease) {
        this(ports, clock, sleeper, random, fetchLease, Webhooks.NONE);
    }

    /** @param webhooks told {@code file.stored} once a run's file is stored */
    public FileService(Ports ports, Clock clock, ChunkDeliverer.Sleeper sleeper, RandomGenerator random, Duration fetchLease,
            Webhooks webhooks) {
        this.webhooks = webhooks;
        this.ports = ports;
        this.clock = clock;
        this.sleeper = sleeper;
        this.random = random;
        this.fetchLease = fetchLease;
    }

    @Override
    public Verdict beforeFinish(Run run) {
        Installation installation = ports.installations().find(run.installationId());
        Manifest manifest = ports.apps().latest(installation.appId());
        if (!manifest.enables(AppFeature.SYNCHRONIZATION_FILE_DOWNLOAD) && !manifest.enables(AppFeature.SYNCHRONIZATION_FILE_DOWNLOAD_LATEST)) {
            return new Verdict.Proceed(null);
        }
        if (!ports.runFiles().claimFetch(run.id(), clock.instant(), fetchLease)) {
            return new Verdict.Busy();
        }
        AppTarget target = new AppTarget(manifest.url(), AppTokenClaims.forSynchronization(installation, run.id(), clock.instant()),
                ports.vault().decrypt(installation.secret(), installation.id()));
        RetryPolicy policy = RetryPolicy.withRetries(installation.dispatch().retryBudget());
        DeliveryAttempt last = null;
        int attempt = 1;
        for (; attempt <= policy.maxAttempts(); attempt++) {
            if (attempt > 1 && !pause(policy.delayBefore(attempt, last, random))) {
                break;
            }
            AppFileSource.Fetch fetch = ports.app().fetch(target, (contentType, length, name, body) -> store(run, contentType, length, name, body));
            switch (fetch) {
                case AppFileSource.Fetch.Stored stored -> {
                    ports.runFiles().record(stored.file());
                    webhooks.announce(run.installationId(), run.id(), WebhookEvent.FILE_STORED);
                    return new Verdict.Proceed(null);
                }
                case AppFileSource.Fetch.Failed failed -> last = failed.attempt();
            }
            if (!RetryPolicy.isTransient(last)) {
                attempt++;
                break;
            }
        }
        return new Verdict.Proceed("The App's file could not be fetched (GET /download-file): " + describe(last) + ", after "
                + (attempt - 1) + (attempt - 1 == 1 ? " attempt." : " attempts."));
    }

    @Override
    public void afterEnd(Run run) {
        if (run.status() != RunStatus.FINISHED && run.status() != RunStatus.FINISHED_WITH_ERRORS || run.reason() != null) {
            return; // failed, cancelled, or the file fetch failed: the feed keeps its file
        }
        Installation installation = ports.installations().find(run.installationId());
        if (!ports.apps().latest(installation.appId()).enables(AppFeature.SYNCHRONIZATION_FILE_DOWNLOAD_LATEST)) {
            return;
        }
        Optional<RunFile> file = ports.runFiles().find(run.id()).filter(f -> f.sizeBytes() > 0);
        file.ifPresent(f -> ports.feeds().promote(run, f));
    }

    private RunFile store(Run run, String contentType, long contentLength, String suggestedName, InputStream body) {
        String name = FileNames.safe(suggestedName, contentType);
        String key = RunFile.key(run.installationId(), run.id(), name);
        MessageDigest sha256 = sha256();
        StoredBlob stored = ports.files().put(key, new DigestInputStream(body, sha256), contentType);
        if (contentLength >= 0 && stored.size() != contentLength) {
            throw new UncheckedIOException(new IOException("the App announced " + contentLength + " bytes but sent " + stored.size()));
        }
        return new RunFile(run.id(), run.installationId(), key, name, stored.size(), HexFormat.of().formatHex(sha256.digest()),
                contentType, clock.instant());
    }

    private boolean pause(Duration delay) {
        try {
            sleeper.sleep(delay);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String describe(DeliveryAttempt attempt) {
        return switch (attempt) {
            case null -> "no attempt was made";
            case DeliveryAttempt.Answered answered -> "the App answered " + answered.status()
                    + (answered.bodyExcerpt() == null || answered.bodyExcerpt().isBlank() ? "" : " " + answered.bodyExcerpt());
            case DeliveryAttempt.Unreachable unreachable -> unreachable.detail();
        };
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The run's file, for callers that know only the run. */
    public Optional<RunFile> find(UUID runId) {
        return ports.runFiles().find(runId);
    }
}
