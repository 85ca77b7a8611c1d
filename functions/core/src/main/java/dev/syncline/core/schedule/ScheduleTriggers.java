package dev.syncline.core.schedule;

import java.util.UUID;

/**
 * What fires schedules: EventBridge Scheduler on AWS (one schedule per installation), a thread of the local stack
 * that reads the {@link ScheduleStore} locally.
 */
public interface ScheduleTriggers {

    /** Fires nothing by itself: the local stack's scheduler reads the stored schedules. */
    ScheduleTriggers STORED_ONLY = new ScheduleTriggers() {
        @Override
        public void put(Schedule schedule) {
        }

        @Override
        public void delete(UUID installationId) {
        }
    };

    /** Creates or updates the installation's trigger. */
    void put(Schedule schedule);

    /** Removes the installation's trigger; harmless when there is none. */
    void delete(UUID installationId);
}
