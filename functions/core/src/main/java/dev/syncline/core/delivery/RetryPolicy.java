package dev.syncline.core.delivery;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When to try an entry again (protocol's retry rules): 408, 425, 429, 5xx, timeouts and connection
 * errors are transient and retried with exponential backoff and full jitter, honouring the App's
 * {@code Retry-After}; other answers are final.
 *
 * @param maxAttempts attempts per entry, the first included
 * @param baseDelay the backoff's first ceiling; the n-th retry waits a random time up to base × 2^(n-1)
 * @param maxDelay the largest wait between attempts, {@code Retry-After} included
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
    }

    /** @param retryBudget retries after the first attempt, as set on the installation */
    public static RetryPolicy withRetries(int retryBudget) {
        return new RetryPolicy(retryBudget + 1, Duration.ofMillis(200), Duration.ofSeconds(20));
    }

    public static boolean isTransient(DeliveryAttempt attempt) {
        return switch (attempt) {
            case DeliveryAttempt.Answered answered -> isTransientStatus(answered.status());
            case DeliveryAttempt.Unreachable unreachable -> unreachable.reason() != DeliveryAttempt.Unreachable.Reason.URL_REFUSED;
        };
    }

    public static boolean isTransientStatus(int status) {
        return status == 408 || status == 425 || status == 429 || (status >= 500 && status <= 599);
    }

    public static boolean isSuccess(DeliveryAttempt attempt) {
        return attempt instanceof DeliveryAttempt.Answered answered && answered.status() >= 200 && answered.status() <= 299;
    }

    /** How long to wait before attempt {@code nextAttempt} (2 for the first retry). */
    public Duration delayBefore(int nextAttempt, DeliveryAttempt previous, RandomGenerator random) {
        long ceiling = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(20, nextAttempt - 2));
        long jittered = ceiling <= 0 ? 0 : random.nextLong(ceiling + 1);
        if (previous instanceof DeliveryAttempt.Answered answered && answered.retryAfter() != null) {
            // Compared as durations: toMillis() of a huge Retry-After would overflow.
            Duration asked = answered.retryAfter().compareTo(maxDelay) > 0 ? maxDelay : answered.retryAfter();
            jittered = Math.max(jittered, asked.toMillis());
        }
        return Duration.ofMillis(jittered);
    }
}
