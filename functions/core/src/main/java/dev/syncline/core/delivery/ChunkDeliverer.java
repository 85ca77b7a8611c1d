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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.random.RandomGenerator;

/**
 * Delivers one chunk: its entries go out concurrently (virtual threads, at most {@code parallelism} at
 * a time, so an App sees at most window × parallelism requests from a run), each retried per the
 * {@link RetryPolicy} until it succeeds, fails for good, or the worker's time budget runs out.
 */
public final class ChunkDeliverer {

    /** Stops retrying this long before the deadline, to leave time for recording the results. */
    private static final Duration RECORDING_RESERVE = Duration.ofSeconds(10);
    private static final int EXCERPT_LIMIT = 500;

    private final AppEndpoint endpoint;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final int parallelism;

    public ChunkDeliverer(AppEndpoint endpoint, Clock clock, Sleeper sleeper, RandomGenerator random, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
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
     */
    public ChunkResult deliver(Chunk chunk, AppTarget target, RetryPolicy policy, Map<ResourceKey, Map<String, Object>> customs, Instant deadline) {
        Semaphore permits = new Semaphore(parallelism);
        List<Future<EntryResult>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int index = 0; index < chunk.entries().size(); index++) {
                int entryIndex = index;
                PlannedEntry entry = chunk.entries().get(index);
                futures.add(threads.submit(() -> {
                    permits.acquire();
                    try {
                        return deliverEntry(chunk.ref(), entryIndex, entry, target, policy, customs.get(entry.resource()), deadline);
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
        return new ChunkResult(chunk.ref(), results);
    }

    private EntryResult deliverEntry(ChunkRef ref, int index, PlannedEntry entry, AppTarget target, RetryPolicy policy,
            Map<String, Object> customs, Instant deadline) throws InterruptedException {
        ConsumeRequest request = new ConsumeRequest(entry.event(), entry.resource(), entry.events(), customs, idempotencyKey(ref, index, entry));
        Instant started = clock.instant();
        boolean throttled = false;
        DeliveryAttempt attempt = null;
        int attempts = 0;
        String stopped = null;
        while (attempts < policy.maxAttempts()) {
            if (attempts > 0) {
                Duration wait = policy.delayBefore(attempts + 1, attempt, random);
                if (clock.instant().plus(wait).plus(RECORDING_RESERVE).isAfter(deadline)) {
                    stopped = "retries stopped after " + attempts + " attempts: the worker's time budget ran out";
                    break;
                }
                sleeper.sleep(wait);
            }
            attempt = endpoint.consume(target, request);
            attempts++;
            if (attempt instanceof DeliveryAttempt.Answered answered && (answered.status() == 429 || answered.status() >= 500)) {
                throttled = true;
            }
            if (RetryPolicy.isSuccess(attempt) || !RetryPolicy.isTransient(attempt)) {
                break;
            }
        }
        long millis = Duration.between(started, clock.instant()).toMillis();
        if (RetryPolicy.isSuccess(attempt)) {
            DeliveryAttempt.Answered answered = (DeliveryAttempt.Answered) attempt;
            return new EntryResult(index, entry.resource(), entry.event(), EntryStatus.SUCCEEDED, attempts, answered.status(), null,
                    millis, changedCustoms(answered.customs(), customs), throttled);
        }
        int status = attempt instanceof DeliveryAttempt.Answered answered ? answered.status() : 0;
        String error = describe(attempt);
        if (stopped != null) {
            error = stopped + "; last: " + error;
        } else if (RetryPolicy.isTransient(attempt)) {
            error = "gave up after " + attempts + " attempts; last: " + error;
        }
        return new EntryResult(index, entry.resource(), entry.event(), EntryStatus.FAILED, attempts, status, excerpt(error),
                millis, null, throttled);
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

    /** Stable per run and entry, so an App can drop the duplicates at-least-once delivery brings. */
    static String idempotencyKey(ChunkRef ref, int index, PlannedEntry entry) {
        String name = ref.runId() + "/" + ref.phase().wireName() + "/" + ref.chunk() + "/" + index + "/" + entry.resource();
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
