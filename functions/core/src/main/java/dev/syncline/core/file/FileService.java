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
import dev.syncline.core.installation.InstallationStatus;
import dev.syncline.core.installation.SecretVault;
import dev.syncline.core.sync.ControlQueue;
import dev.syncline.core.sync.Run;
import dev.syncline.core.sync.RunEnding;
import dev.syncline.core.sync.RunStatus;
import dev.syncline.core.webhook.WebhookEvent;
import dev.syncline.core.webhook.Webhooks;
import dev.syncline.core.sync.RunStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;

/**
 * The file step of a run's end (architecture, step 5), outside the run: once a {@code finished} or
 * {@code finished_with_errors} run has told the App it ended, its file is recorded {@code pending} and a fetch message
 * goes to the control queue, whose function has the time a large file needs. There {@code GET /download-file} is
 * streamed to {@code files/<installation>/<run>/<name>} with its size, SHA-256 and content type, under a size cap and a
 * total transfer deadline, transient failures retried like deliveries; a refused or abandoned upload leaves nothing
 * behind. The file ends {@code stored}, {@code failed} (with why) or {@code too_large}; the run's status never
 * changes for it. A stored, non-empty file of a run that ended well with no reason is promoted to the feed; nothing
 * else ever replaces a good feed.
 */
public final class FileService implements RunEnding {

    /** Re-sends of a lost fetch message before the fetch is given up on. */
    static final int MAX_SENDS = 3;
    /** Pending fetches the reconciler looks at in one pass. */
    static final int PENDING_PAGE = 100;
    private static final String DEADLINE = "the transfer did not end before the fetch's deadline";

    /** Everything the file step talks to. */
    public record Ports(AppFileSource app, FileStore files, RunFiles runFiles, FeedService feeds,
                        InstallationService installations, AppRegistry apps, SecretVault vault, RunStore runs, ControlQueue control) {
    }

    /**
     * @param maxBytes the largest file stored; a larger one ends {@code too_large}
     * @param transferTimeout how long one fetch may take in all, attempts, waits and transfer included
     * @param fetchLease how long one caller may fetch before another may start over: the longest a function runs
     */
    public record Limits(long maxBytes, Duration transferTimeout, Duration fetchLease) {

        public Limits {
            if (maxBytes < 0) {
                throw new IllegalArgumentException("maxBytes must not be negative, got " + maxBytes);
            }
            Objects.requireNonNull(transferTimeout, "transferTimeout");
            Objects.requireNonNull(fetchLease, "fetchLease");
        }
    }

    private final Ports ports;
    private final Clock clock;
    private final ChunkDeliverer.Sleeper sleeper;
    private final RandomGenerator random;
    private final Limits limits;
    private final Webhooks webhooks;

    public FileService(Ports ports, Clock clock, ChunkDeliverer.Sleeper sleeper, RandomGenerator random, Limits limits) {
        this(ports, clock, sleeper, random, limits, Webhooks.NONE);
    }

    /** @param webhooks told {@code file.stored} once a run's file is stored */
    public FileService(Ports ports, Clock clock, ChunkDeliverer.Sleeper sleeper, RandomGenerator random, Limits limits,
            Webhooks webhooks) {
        this.webhooks = webhooks;
        this.ports = ports;
        this.clock = clock;
        this.sleeper = sleeper;
        this.random = random;
        this.limits = limits;
    }

    /** Asks for the file of a run that ended well, once, when its App generates one. */
    @Override
    public void afterEnd(Run run) {
        if (run.status() != RunStatus.FINISHED && run.status() != RunStatus.FINISHED_WITH_ERRORS) {
            return; // failed or cancelled: the App was not asked to produce anything complete
        }
        Installation installation = ports.installations().find(run.installationId());
        if (!generatesFile(ports.apps().latest(installation.appId()))) {
            return;
        }
        if (ports.runFiles().pending(run.id(), run.installationId(), clock.instant())) {
            ports.control().fetchFile(run.id());
        }
    }

    /**
     * Fetches a pending file (the control queue's step); a repeated message for a fetch that ended or that another
     * function is doing does nothing.
     *
     * @param functionDeadline when the calling function must be done
     * @return the file's status afterwards
     */
    public FileStatus fetch(UUID runId, Instant functionDeadline) {
        Optional<FileFetch> state = ports.runFiles().fetch(runId);
        if (state.isEmpty() || state.get().status().isFinal()) {
            return state.map(FileFetch::status).orElse(FileStatus.FAILED);
        }
        Instant now = clock.instant();
        if (!ports.runFiles().claimFetch(runId, now, limits.fetchLease())) {
            return FileStatus.PENDING;
        }
        Instant deadline = earliest(now.plus(limits.transferTimeout()), functionDeadline);
        Run run = ports.runs().find(runId).orElseThrow(() -> new IllegalStateException("run " + runId + " has a file but no record"));
        Installation installation = ports.installations().find(run.installationId());
        if (installation.status() == InstallationStatus.UNINSTALLED) {
            // The App heard app_uninstalled: no request reaches it after that.
            return giveUp(runId, FileStatus.FAILED, "The installation was uninstalled before the App's file was fetched.");
        }
        Manifest manifest = ports.apps().latest(installation.appId());
        AppTarget target = new AppTarget(manifest.url(), AppTokenClaims.forSynchronization(installation, run.id(), clock.instant()),
                ports.vault().decrypt(installation.secret(), installation.id()));
        RetryPolicy policy = RetryPolicy.withRetries(installation.dispatch().retryBudget());
        DeliveryAttempt last = null;
        int attempts = 0;
        String stopped = null;
        while (attempts < policy.maxAttempts()) {
            if (attempts > 0) {
                Duration wait = policy.delayBefore(attempts + 1, last, random);
                if (!clock.instant().plus(wait).isBefore(deadline)) {
                    stopped = "the fetch's deadline left no time for another attempt";
                    break;
                }
                if (!pause(wait)) {
                    stopped = "the fetch was interrupted";
                    break;
                }
            }
            attempts++;
            AppFileSource.Fetch fetch;
            try {
                fetch = ports.app().fetch(target, (contentType, length, name, body) -> store(run, contentType, length, name, body, deadline));
            } catch (Refused refused) {
                if (refused.status == FileStatus.TOO_LARGE) {
                    return giveUp(runId, FileStatus.TOO_LARGE, refused.getMessage());
                }
                last = new DeliveryAttempt.Unreachable(DeliveryAttempt.Unreachable.Reason.TIMEOUT, refused.getMessage());
                break;
            }
            switch (fetch) {
                case AppFileSource.Fetch.Stored stored -> {
                    ports.runFiles().record(stored.file());
                    promote(run, installation, manifest, stored.file());
                    webhooks.announce(run.installationId(), run.id(), WebhookEvent.FILE_STORED);
                    return FileStatus.STORED;
                }
                case AppFileSource.Fetch.Failed failed -> last = failed.attempt();
            }
            if (!RetryPolicy.isTransient(last)) {
                break;
            }
        }
        String reason = "The App's file could not be fetched (GET /download-file): " + describe(last) + ", after " + attempts
                + (attempts == 1 ? " attempt" : " attempts") + (stopped == null ? "." : "; " + stopped + ".");
        return giveUp(runId, FileStatus.FAILED, reason);
    }

    /**
     * Sends again the fetch messages that were lost: a fetch pending for longer than {@code stalledAfter} that no
     * function holds. After {@value #MAX_SENDS} messages it is given up on, so that no fetch stays pending forever.
     *
     * @return the fetches acted on
     */
    public int resendLostFetches(Duration stalledAfter) {
        Instant now = clock.instant();
        int acted = 0;
        for (FileFetch pending : ports.runFiles().pending(PENDING_PAGE)) {
            if (pending.updatedAt().plus(stalledAfter).isAfter(now) || pending.claimedAt(now)) {
                continue;
            }
            acted++;
            if (pending.sends() >= MAX_SENDS) {
                giveUp(pending.runId(), FileStatus.FAILED, "The fetch of the App's file was asked for " + pending.sends()
                        + " times and never ran to its end; the App was not asked again.");
                continue;
            }
            ports.runFiles().resent(pending.runId(), now);
            ports.control().fetchFile(pending.runId());
        }
        return acted;
    }

    /** The run's stored file, for callers that know only the run. */
    public Optional<RunFile> find(UUID runId) {
        return ports.runFiles().find(runId);
    }

    private FileStatus giveUp(UUID runId, FileStatus status, String reason) {
        ports.runFiles().giveUp(runId, status, reason, clock.instant());
        return status;
    }

    /** Promotes a run's file to the feed only when the run ended well and said nothing went wrong. */
    private void promote(Run run, Installation installation, Manifest manifest, RunFile file) {
        Run now = ports.runs().find(run.id()).orElse(run);
        boolean endedWell = (now.status() == RunStatus.FINISHED || now.status() == RunStatus.FINISHED_WITH_ERRORS) && now.reason() == null;
        if (endedWell && file.sizeBytes() > 0 && manifest.enables(AppFeature.SYNCHRONIZATION_FILE_DOWNLOAD_LATEST)
                && installation.id().equals(file.installationId())) {
            ports.feeds().promote(now, file);
        }
    }

    private RunFile store(Run run, String contentType, long contentLength, String suggestedName, InputStream body, Instant deadline) {
        if (contentLength > limits.maxBytes()) {
            throw new Refused(FileStatus.TOO_LARGE, tooLarge("announced " + contentLength + " bytes"));
        }
        String name = FileNames.safe(suggestedName, contentType);
        String key = RunFile.key(run.installationId(), run.id(), name);
        MessageDigest sha256 = sha256();
        StoredBlob stored;
        try (Watchdog watchdog = new Watchdog(body, deadline)) {
            stored = ports.files().put(key, new DigestInputStream(new Capped(body, limits.maxBytes(), watchdog), sha256), contentType);
            if (watchdog.fired()) {
                ports.files().delete(key); // cut short at the deadline: never kept as the run's file
                throw new Refused(FileStatus.FAILED, DEADLINE);
            }
        }
        if (contentLength >= 0 && stored.size() != contentLength) {
            ports.files().delete(key); // a truncated file must not be served as the run's file
            throw new UncheckedIOException(new IOException("the App announced " + contentLength + " bytes but sent " + stored.size()));
        }
        return new RunFile(run.id(), run.installationId(), key, name, stored.size(), HexFormat.of().formatHex(sha256.digest()),
                contentType, clock.instant());
    }

    private String tooLarge(String what) {
        return "The App's file " + what + ", more than the " + limits.maxBytes() + " bytes this deployment stores"
                + " (SYNCLINE_FILE_MAX_BYTES); nothing was stored.";
    }

    private static boolean generatesFile(Manifest manifest) {
        return manifest.enables(AppFeature.SYNCHRONIZATION_FILE_DOWNLOAD) || manifest.enables(AppFeature.SYNCHRONIZATION_FILE_DOWNLOAD_LATEST);
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
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

    /**
     * Why a transfer was stopped on our side. Unchecked and not an I/O error, so that the store aborts its upload
     * and the source does not take it for a broken connection worth retrying.
     */
    private static final class Refused extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final transient FileStatus status;

        Refused(FileStatus status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /** Closes the body at the deadline, so that a transfer that stalls or trickles cannot outlive it. */
    private final class Watchdog implements AutoCloseable {

        private final AtomicBoolean fired = new AtomicBoolean();
        private final Thread thread;

        Watchdog(InputStream body, Instant deadline) {
            this.thread = Thread.ofVirtual().start(() -> {
                try {
                    Duration left = Duration.between(clock.instant(), deadline);
                    if (left.isPositive()) {
                        Thread.sleep(left);
                    }
                    fired.set(true);
                    body.close();
                } catch (InterruptedException | IOException done) {
                    // finished in time, or the body is closed already
                }
            });
        }

        boolean fired() {
            return fired.get();
        }

        @Override
        public void close() {
            thread.interrupt();
        }
    }

    /** Refuses a body past the cap or past the deadline, counting as it reads. */
    private final class Capped extends FilterInputStream {

        private final long max;
        private final Watchdog watchdog;
        private long read;

        Capped(InputStream in, long max, Watchdog watchdog) {
            super(in);
            this.max = max;
            this.watchdog = watchdog;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n;
            try {
                n = super.read(buffer, offset, length);
            } catch (IOException e) {
                if (watchdog.fired()) {
                    throw new Refused(FileStatus.FAILED, DEADLINE);
                }
                throw e;
            }
            if (n < 0 && watchdog.fired()) {
                throw new Refused(FileStatus.FAILED, DEADLINE);
            }
            if (n > 0) {
                read += n;
                if (read > max) {
                    throw new Refused(FileStatus.TOO_LARGE, tooLarge("is larger"));
                }
            }
            return n;
        }
    }
}
