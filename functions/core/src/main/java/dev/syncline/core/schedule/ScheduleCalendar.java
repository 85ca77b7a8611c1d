package dev.syncline.core.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/** Reads cron fields as EventBridge Scheduler does, for validation and the next fire time. */
public interface ScheduleCalendar {

    /** What is wrong with the six cron fields, phrased to follow "expression ...", or empty when they are valid. */
    Optional<String> refusal(String cronFields);

    /** The first time after {@code after} the fields match in {@code zone}, or empty when they never will again. */
    Optional<Instant> next(String cronFields, ZoneId zone, Instant after);
}
