package dev.syncline.core.schedule;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Where installations' schedules are kept, one per installation. */
public interface ScheduleStore {

    Optional<Schedule> find(UUID installationId);

    /** Creates or replaces the installation's schedule, keeping its last outcome. */
    void put(Schedule schedule);

    /** Records what a firing did; does nothing when the schedule was deleted meanwhile. */
    void recordOutcome(UUID installationId, ScheduleOutcome outcome);

    /** Removes it; harmless when there is none. */
    void delete(UUID installationId);

    /** Every schedule, for the local stack's scheduler (on AWS, EventBridge Scheduler holds them). */
    List<Schedule> list();
}
