package dev.syncline.sampleapp;

import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.locks.ReentrantLock;

/** Holds the current {@link Faults} and decides, once per faultable request, whether it fails and how. */
final class FaultInjector {

    private final ReentrantLock lock = new ReentrantLock();
    private Faults faults = Faults.none();
    private Random random = new Random(faults.seed());

    void set(Faults faults) {
        lock.lock();
        try {
            this.faults = faults;
            this.random = new Random(faults.seed());
        } finally {
            lock.unlock();
        }
    }

    Faults current() {
        lock.lock();
        try {
            return faults;
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the injected latency, if any. */
    static void delay(Faults faults) {
        sleep(faults.latency());
    }

    /**
     * Draws this request's fate: a timeout, a 503, a 429 or nothing. A timed-out request is recorded at once,
     * before it hangs, so a test sees it as soon as its own client has given up.
     */
    Optional<Answer> failure(Call call, Faults faults) {
        double draw;
        lock.lock();
        try {
            // One draw per request, whatever the rates, so the requests that fail for a seed do not depend on
            // which kinds of fault are switched on.
            draw = random.nextDouble();
        } finally {
            lock.unlock();
        }
        double bound = faults.timeoutRate();
        if (draw < bound) {
            Answer timedOut = Answer.faulted(HttpReply.error(504, "timeout", "injected fault: answered after "
                    + faults.timeoutHang().toMillis() + " ms"), "injected timeout");
            call.record(timedOut);
            sleep(faults.timeoutHang());
            return Optional.of(timedOut);
        }
        bound += faults.failureRate();
        if (draw < bound) {
            return Optional.of(Answer.faulted(
                    HttpReply.error(503, "unavailable", "injected fault: transient failure, try again"),
                    "injected 503"));
        }
        bound += faults.throttleRate();
        if (draw < bound) {
            var reply = HttpReply.json(429, Json.error("throttled", "injected fault: too many requests")
                            .put("retry_after_seconds", faults.retryAfterSeconds()))
                    .withHeader("Retry-After", Integer.toString(faults.retryAfterSeconds()));
            return Optional.of(Answer.faulted(reply, "injected 429"));
        }
        return Optional.empty();
    }

    /** The answer chosen for a resource, if any; it applies on every attempt. */
    static Optional<Answer> resourceFailure(Faults faults, String resourceId) {
        return faults.resourceFault(resourceId).map(fault -> Answer.faulted(
                HttpReply.json(fault.status(), Json.error("resource_rejected", fault.reason())
                        .put("resource_id", resourceId)),
                "injected " + fault.status() + " for " + resourceId));
    }

    private static void sleep(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            // The App is closing: stop waiting and let the answer go out (or fail) at once.
            Thread.currentThread().interrupt();
        }
    }
}
