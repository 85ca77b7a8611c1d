package dev.syncline.core.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Sends notices ({@code synchronization_started/ended}, {@code app_installed/uninstalled}) the way entries are
 * delivered: transient failures retried per the installation's {@link RetryPolicy}, {@code Retry-After} honoured,
 * the same {@code X-Idempotency-Key} on every attempt of one notice, and no attempt started that could not end
 * within the notice's time budget. The outcome is recorded for the run or installation it is about.
 */
public final class Notifier {

    private final AppEndpoint endpoint;
    private final Notifications log;
    private final Clock clock;
    private final ChunkDeliverer.Sleeper sleeper;
    private final RandomGenerator random;
    private final Duration requestTimeout;
    private final Duration budget;

    /**
     * @param requestTimeout the longest one attempt takes (the App calls' request timeout)
     * @param budget how long one notice may take in all, attempts and waits included: small enough for the API
     *     functions that end runs on request (cancel), which API Gateway stops after 30 s
     */
    public Notifier(AppEndpoint endpoint, Notifications log, Clock clock, ChunkDeliverer.Sleeper sleeper, RandomGenerator random,
            Duration requestTimeout, Duration budget) {
        this.endpoint = endpoint;
        this.log = log;
        this.clock = clock;
        this.sleeper = sleeper;
        this.random = random;
        this.requestTimeout = requestTimeout;
        this.budget = budget;
    }

    /** The one key of a notice: stable per subject (run or installation) and event, so every attempt and re-send carries it. */
    public static String idempotencyKey(UUID subject, String event) {
        return UUID.nameUUIDFromBytes((subject + "/notice/" + event).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Sends {@code PUT /consume/{event}} with {@code body} until it is accepted, fails for good, or time runs out; records how it went. */
    public Notification send(UUID subject, AppTarget target, String event, Map<String, Object> body, RetryPolicy policy) {
        String key = idempotencyKey(subject, event);
        Instant deadline = clock.instant().plus(budget);
        DeliveryAttempt attempt = null;
        int attempts = 0;
        String stopped = null;
        while (attempts < policy.maxAttempts()) {
            if (attempts > 0) {
                Duration wait = policy.delayBefore(attempts + 1, attempt, random);
                if (clock.instant().plus(wait).plus(requestTimeout).isAfter(deadline)) {
                    stopped = "retries stopped after " + attempts + (attempts == 1 ? " attempt" : " attempts")
                            + ": the notice's time budget of " + budget.toSeconds() + " s ran out";
                    break;
                }
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopped = "retries stopped: interrupted";
                    break;
                }
            }
            attempt = endpoint.notify(target, event, body, key);
            attempts++;
            if (RetryPolicy.isSuccess(attempt) || !RetryPolicy.isTransient(attempt)) {
                break;
            }
        }
        Notification notification = outcome(event, key, attempt, attempts, stopped);
        log.record(subject, notification);
        return notification;
    }

    private Notification outcome(String event, String key, DeliveryAttempt last, int attempts, String stopped) {
        int status = last instanceof DeliveryAttempt.Answered answered ? answered.status() : 0;
        if (RetryPolicy.isSuccess(last)) {
            return new Notification(event, key, Notification.Status.DELIVERED, attempts, status, null, clock.instant());
        }
        String answer = last == null ? "no attempt was made" : ChunkDeliverer.describe(last);
        if (stopped != null) {
            answer = stopped + "; last: " + answer;
        } else if (last != null && RetryPolicy.isTransient(last)) {
            answer = "gave up after " + attempts + " attempts; last: " + answer;
        }
        return new Notification(event, key, Notification.Status.FAILED, attempts, status, ChunkDeliverer.excerpt(answer), clock.instant());
    }

    /** A failed notice's outcome in a few words, for logs and metrics: never the App's body. */
    public static String outcome(Notification notification) {
        return (notification.lastStatus() > 0 ? "answered " + notification.lastStatus() : "no answer") + " after "
                + notification.attempts() + (notification.attempts() == 1 ? " attempt" : " attempts");
    }
}
