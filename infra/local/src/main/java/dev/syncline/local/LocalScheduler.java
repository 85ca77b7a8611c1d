package dev.syncline.local;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.syncline.adapters.metrics.AwsCallCounter;
import dev.syncline.adapters.scheduler.EventBridgeScheduleTriggers;
import dev.syncline.core.schedule.Schedule;
import dev.syncline.core.schedule.ScheduleService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * EventBridge Scheduler for the local stack: one thread reads the stored schedules every tick, evaluates their
 * expressions in their time zones, and sends the scheduled function the same event a schedule sends on AWS. Like
 * EventBridge Scheduler, it does not catch up: a fire time that passed while the stack was stopped is not made up.
 */
final class LocalScheduler implements AutoCloseable {

    /** When a schedule is due, for the version of it that was read. */
    private record Due(Instant updatedAt, Optional<Instant> at) {
    }

    private final ScheduleService schedules;
    private final AwsCallCounter ownCalls;
    private final Clock clock;
    private final Consumer<ScheduledEvent> function;
    private final Map<UUID, Due> due = new HashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("scheduler").factory());

    /**
     * @param clock the scheduler's time: the system's, or one a test moves forward
     * @param function invokes the scheduled function with an event
     * @param ownCalls counts the AWS calls of the ticks themselves (not those of the function they invoke)
     */
    LocalScheduler(ScheduleService schedules, Clock clock, Duration tick, Consumer<ScheduledEvent> function, AwsCallCounter ownCalls) {
        this.schedules = schedules;
        this.ownCalls = ownCalls;
        this.clock = clock;
        this.function = function;
        thread.scheduleWithFixedDelay(this::tickSafely, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tickSafely() {
        // The reads of a tick are what EventBridge Scheduler does on AWS: counted apart, as the stack's own.
        AwsCallCounter.Scope counting = AwsCallCounter.alsoCountingInto(ownCalls);
        try {
            tick();
        } catch (RuntimeException e) {
            System.err.println("scheduler failed: " + e);
        } finally {
            counting.close();
        }
    }

    /** Fires every schedule whose time has come; remembers when each is due next. */
    void tick() {
        Instant now = clock.instant();
        Set<UUID> seen = new HashSet<>();
        for (Schedule schedule : schedules.list()) {
            UUID id = schedule.installationId();
            seen.add(id);
            Due next = due.get(id);
            if (next == null || !next.updatedAt().equals(schedule.updatedAt())) {
                next = new Due(schedule.updatedAt(), schedules.nextFire(schedule, now));
                due.put(id, next);
            }
            if (next.at().isPresent() && !next.at().get().isAfter(now)) {
                // The next time first: a firing that fails is not repeated every tick.
                due.put(id, new Due(schedule.updatedAt(), schedules.nextFire(schedule, now)));
                function.accept(event(id, next.at().get()));
            }
        }
        due.keySet().retainAll(seen);
    }

    private static ScheduledEvent event(UUID installationId, Instant scheduledAt) {
        return new ScheduledEvent()
                .withSource(EventBridgeScheduleTriggers.SOURCE)
                .withDetailType(EventBridgeScheduleTriggers.DETAIL_TYPE)
                .withDetail(Map.of("installation_id", installationId.toString(), "scheduled_time", scheduledAt.toString()));
    }

    /** Stops the thread; a firing in progress is interrupted. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
