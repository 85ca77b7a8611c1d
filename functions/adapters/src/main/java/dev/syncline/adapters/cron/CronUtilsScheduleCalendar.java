package dev.syncline.adapters.cron;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.syncline.core.schedule.ScheduleCalendar;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * EventBridge Scheduler's cron with cron-utils. Its six fields (minutes hours day-of-month month day-of-week year,
 * {@code ?}, {@code L}, {@code W}, {@code #}, day-of-week 1-7 from Sunday) are Quartz's without the seconds, so they
 * are read as Quartz with a leading {@code 0} second: one of day-of-month and day-of-week must be {@code ?}, as AWS
 * requires.
 */
public final class CronUtilsScheduleCalendar implements ScheduleCalendar {

    private final CronParser parser = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    @Override
    public Optional<String> refusal(String cronFields) {
        try {
            parse(cronFields);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of("is not a valid EventBridge Scheduler cron (minutes hours day-of-month month day-of-week year, with"
                    + " '?' in day-of-month or day-of-week, e.g. cron(0 6 * * ? *)): " + e.getMessage());
        }
    }

    @Override
    public Optional<Instant> next(String cronFields, ZoneId zone, Instant after) {
        return ExecutionTime.forCron(parse(cronFields)).nextExecution(ZonedDateTime.ofInstant(after, zone)).map(ZonedDateTime::toInstant);
    }

    private Cron parse(String cronFields) {
        Cron cron = parser.parse("0 " + cronFields);
        cron.validate();
        return cron;
    }
}
