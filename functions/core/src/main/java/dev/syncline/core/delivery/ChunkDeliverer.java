package dev.syncline.core.delivery;

import dev.syncline.core.plan.PlannedEntry;
import dev.syncline.core.snapshot.ResourceKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/**
 * Delivers one chunk: its entries go out concurrently (virtual threads, at most {@code parallelism} at
 * a time, so an App sees at most window × parallelism requests from a run), each retried per the
 * {@link RetryPolicy} until it succeeds or fails for good.
 *
 * <p>No request starts that could not end before the deadline: an attempt starts only when its wait, the longest
 * an attempt may take ({@code attemptLimit}, the App's request timeout) and the time to record the results still
 * fit. An entry that has no time left stays open ({@link EntryStatus#PLANNED}) with the attempts it made, for the
 * chunk's next pass to continue, so an entry gets at most {@link RetryPolicy#maxAttempts()} attempts however many
 * passes it takes. A pass that had no time for a single attempt ends its open entries failed instead of handing
 * them on again, so a chunk's passes are bounded.
 */
public final class ChunkDeliverer {

    /** Stops retrying this long before the deadline, to leave time for recording the results. */
    private static final Duration RECORDING_RESERVE = Duration.ofSeconds(10);
    private static final int EXCERPT_LIMIT = 500;
    /**
     * Asks whether the run ended at least once this many batches of requests, however fast the App answers: 512
     * requests at the template's 8 per chunk. Every 8 batches, as before, read the run three or four times in each
     * 250-entry chunk of an App answering at once, more than half of a run's {@code GetItem}s.
     */
    static final int END_CHECK_BATCHES = 64;
    /** Asks whether the run ended at most about this often while the App answers fast: each ask is a read. */
    static final Duration END_CHECK_INTERVAL = Duration.ofSeconds(1);

    private final AppEndpoint endpoint;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final int parallelism;
    private final Duration attemptLimit;

    /** @param attemptLimit the longest one attempt may take: the App's request timeout */
    public ChunkDeliverer(AppEndpoint endpoint, Clock clock, Sleeper sleeper, RandomGenerator random, int parallelism, Duration attemptLimit) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        if (attemptLimit.isNegative()) {
            throw new IllegalArgumentException("attemptLimit must not be negative, got " + attemptLimit);
        }
        this.attemptLimit = attemptLimit;
        this.endpoint = endpoint;
        this.clock = clock;
        this.sleeper = sleeper;
        this.random = random;
        this.parallelism = parallelism;
    }

    /** Waits between attempts; a port so tests need not wait. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /**
     * @param customs stored {@code resource_customs} by resource, echoed to the App
     * @param deadline when the worker must have recorded its results
     * @return every entry's result; entries the time did not suffice for are {@link EntryStatus#PLANNED}
     */
    public ChunkResult deliver(Chunk chunk, AppTarget target, RetryPolicy policy, Map<ResourceKey, Map<String, Object>> customs, Instant deadline) {
        return deliver(chunk, null, target, policy, customs, deadline, () -> false);
    }

    /**
     * Continues a chunk from an earlier pass, for a run that cannot end meanwhile.
     *
     * @param progress the chunk's progress after its previous pass, or null for its first pass
     */
    public ChunkResult deliver(Chunk chunk, ChunkResult progress, AppTarget target, RetryPolicy policy,
            Map<ResourceKey, Map<String, Object>> customs, Instant deadline) {
        return deliver(chunk, progress, target, policy, customs, deadline, () -> false);
    }

    /**
     * Continues a chunk from an earlier pass: its ended entries stay as they are, its open ones go on with the
     * attempts they made. Asks {@code runEnded} after a batch of {@code parallelism} requests once a second has passed
     * since it last asked, and after {@value #END_CHECK_BATCHES} batches whatever the time: once it answers yes
     * (the run was cancelled, or finished while this is a duplicate of a chunk delivered before), no request starts
     * any more and the entries not yet done end cancelled.
     *
     * @param progress the chunk's progress after its previous pass, or null for its first pass
     */
    public ChunkResult deliver(Chunk chunk, ChunkResult progress, AppTarget target, RetryPolicy policy,
            Map<ResourceKey, Map<String, Object>> customs, Instant deadline, BooleanSupplier runEnded) {
        EndCheck ended = new EndCheck(runEnded, parallelism, clock);
        Semaphore permits = new Semaphore(parallelism);
        AtomicInteger attempted = new AtomicInteger();
        List<Future<EntryResult>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int index = 0; index < chunk.entries().size(); index++) {
                int entryIndex = index;
                PlannedEntry entry = chunk.entries().get(index);
                EntryResult earlier = progress == null ? null : progress.entries().get(index);
                if (earlier != null && earlier.status() != EntryStatus.PLANNED) {
                    futures.add(CompletableFuture.completedFuture(earlier));
                    continue;
                }
                futures.add(threads.submit(() -> {
                    permits.acquire();
                    try {
                        return deliverEntry(chunk.ref(), entryIndex, entry, earlier, target, policy, customs.get(entry.resource()), deadline,
                                attempted, ended);
                    } finally {
                        permits.release();
                    }
                }));
            }
        }
        List<EntryResult> results = new ArrayList<>();
        for (Future<EntryResult> future : futures) {
            try {
                results.add(future.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while delivering " + chunk.ref(), e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("Delivering an entry of " + chunk.ref() + " failed unexpectedly", e.getCause());
            }
        }
        if (attempted.get() == 0) {
            // Not one attempt fitted: handing the entries on again would go round without end.
            results.replaceAll(result -> result.status() == EntryStatus.PLANNED ? outOfTime(result) : result);
        }
        return new ChunkResult(chunk.ref(), results);
    }

    private EntryResult deliverEntry(ChunkRef ref, int index, PlannedEntry entry, EntryResult earlier, AppTarget target, RetryPolicy policy,
            Map<String, Object> customs, Instant deadline, AtomicInteger attempted, EndCheck ended) throws InterruptedException {
        ConsumeRequest request = new ConsumeRequest(entry.event(), entry.resource(), entry.events(), customs, idempotencyKey(ref, index, entry));
        Instant started = clock.instant();
        long earlierMillis = earlier == null ? 0 : earlier.durationMillis();
        boolean throttled = earlier != null && earlier.throttled();
        DeliveryAttempt attempt = null;
        int attempts = earlier == null ? 0 : earlier.attempts();
        while (attempts < policy.maxAttempts()) {
            Duration wait = attempts == 0 ? Duration.ZERO : policy.delayBefore(attempts + 1, attempt, random);
            if (clock.instant().plus(wait).plus(attemptLimit).plus(RECORDING_RESERVE).isAfter(deadline)) {
                // No time for this attempt to end: the next pass makes it.
                long millis = earlierMillis + Duration.between(started, clock.instant()).toMillis();
                int status = attempt != null ? lastStatus(attempt) : earlier != null ? earlier.lastHttpStatus() : 0;
                String error = attempt != null ? excerpt(describe(attempt)) : earlier != null ? earlier.error() : null;
                return new EntryResult(index, entry.resource(), entry.event(), EntryStatus.PLANNED, attempts, status, error, millis, null, throttled);
            }
            if (!wait.isZero()) {
                sleeper.sleep(wait);
            }
            if (ended.ended()) {
                return EntryResult.cancelled(index, entry.resource(), entry.event());
            }
            attempt = endpoint.consume(target, request);
            attempted.incrementAndGet();
            attempts++;
            if (pushedBack(attempt)) {
                throttled = true;
            }
            if (RetryPolicy.isSuccess(attempt) || !RetryPolicy.isTransient(attempt)) {
                break;
            }
        }
        long millis = earlierMillis + Duration.between(started, clock.instant()).toMillis();
        if (RetryPolicy.isSuccess(attempt)) {
            DeliveryAttempt.Answered answered = (DeliveryAttempt.Answered) attempt;
            return new EntryResult(index, entry.resource(), entry.event(), EntryStatus.SUCCEEDED, attempts, answered.status(), null,
                    millis, changedCustoms(answered.customs(), customs), throttled);
        }
        String error = describe(attempt);
        if (RetryPolicy.isTransient(attempt)) {
            error = "gave up after " + attempts + " attempts; last: " + error;
        }
        return new EntryResult(index, entry.resource(), entry.event(), EntryStatus.FAILED, attempts, lastStatus(attempt), excerpt(error),
                millis, null, throttled);
    }

    /** Whether the App pushed back on this attempt: 429, a 5xx, or no answer in time. The window shrinks on it. */
    private static boolean pushedBack(DeliveryAttempt attempt) {
        return switch (attempt) {
            case DeliveryAttempt.Answered answered -> answered.status() == 429 || answered.status() >= 500;
            case DeliveryAttempt.Unreachable unreachable -> unreachable.reason() == DeliveryAttempt.Unreachable.Reason.TIMEOUT;
        };
    }

    private static int lastStatus(DeliveryAttempt attempt) {
        return attempt instanceof DeliveryAttempt.Answered answered ? answered.status() : 0;
    }

    /** An open entry of a pass that had no time for any attempt: it ends failed rather than go round again. */
    private EntryResult outOfTime(EntryResult open) {
        String error = "no time left for a request: a worker's time limit leaves less than the App's request timeout ("
                + attemptLimit.toMillis() + " ms) after " + open.attempts() + " attempts" + (open.error() == null ? "" : "; last: " + open.error());
        return new EntryResult(open.index(), open.resource(), open.event(), EntryStatus.FAILED, open.attempts(), open.lastHttpStatus(),
                excerpt(error), open.durationMillis(), null, open.throttled());
    }

    /**
     * The customs to store: what the App answered, unless it is what it already had. Apps usually answer the same
     * external id on every update, and each stored copy costs a write.
     */
    private static Map<String, Object> changedCustoms(Map<String, Object> answered, Map<String, Object> stored) {
        return answered == null || answered.equals(stored) ? null : answered;
    }

    static String describe(DeliveryAttempt attempt) {
        return switch (attempt) {
            case DeliveryAttempt.Answered answered -> "HTTP " + answered.status()
                    + (answered.bodyExcerpt() == null || answered.bodyExcerpt().isBlank() ? "" : ": " + answered.bodyExcerpt());
            case DeliveryAttempt.Unreachable unreachable -> unreachable.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    + ": " + unreachable.detail();
        };
    }

    static String excerpt(String text) {
        return text.length() <= EXCERPT_LIMIT ? text : text.substring(0, EXCERPT_LIMIT) + "…";
    }

    /**
     * Asks whether the run ended after a batch of requests (the check before the first one is the caller's) once
     * {@link #END_CHECK_INTERVAL} has passed since it last asked, and after {@link #END_CHECK_BATCHES} batches in any
     * case; remembers a yes. So a slow App is checked every batch, as before, and a fast one about once a second
     * instead of once per batch: the run status read was most of the AWS requests per delivered entry. Counting and
     * asking hold one lock (not {@code synchronized}, which would pin a virtual thread to its carrier during the
     * read), so no request starts while the answer is pending.
     */
    private static final class EndCheck {
        private final BooleanSupplier runEnded;
        private final int batch;
        private final Clock clock;
        private final ReentrantLock lock = new ReentrantLock();
        private int sinceAsked;
        private Instant asked;
        private boolean seen;

        EndCheck(BooleanSupplier runEnded, int batch, Clock clock) {
            this.runEnded = runEnded;
            this.batch = batch;
            this.clock = clock;
            this.asked = clock.instant();
        }

        boolean ended() {
            lock.lock();
            try {
                if (!seen && ++sinceAsked % batch == 0 && due()) {
                    sinceAsked = 0;
                    asked = clock.instant();
                    seen = runEnded.getAsBoolean();
                }
                return seen;
            } finally {
                lock.unlock();
            }
        }

        private boolean due() {
            return sinceAsked >= batch * END_CHECK_BATCHES || !clock.instant().isBefore(asked.plus(END_CHECK_INTERVAL));
        }
    }

    /** Stable per run and entry, so an App can drop the duplicates at-least-once delivery brings. */
    static String idempotencyKey(ChunkRef ref, int index, PlannedEntry entry) {
        String name = ref.runId() + "/" + ref.phase().wireName() + "/" + ref.chunk() + "/" + index + "/" + entry.resource();
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
