package dev.syncline.core.schedule;

import dev.syncline.core.sync.SyncMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * An installation's schedule: when its runs start, in which time zone and mode, and where their snapshot comes
 * from.
 *
 * @param source where each run's snapshot is pulled from, or null for the installation's latest upload
 * @param updatedAt when the schedule was last set; a rate counts from here
 * @param lastOutcome what the last firing did, or null before the first
 */
public record Schedule(
        UUID installationId,
        ScheduleExpression expression,
        ZoneId timeZone,
        SyncMode mode,
        SnapshotSource source,
        Instant createdAt,
        Instant updatedAt,
        ScheduleOutcome lastOutcome) {

    public Schedule {
        Objects.requireNonNull(installationId, "installationId");
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(timeZone, "timeZone");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** When it fires next after {@code after}, or empty when a cron expression never matches again. */
    public Optional<Instant> nextFire(ScheduleCalendar calendar, Instant after) {
        return switch (expression) {
            case ScheduleExpression.Rate rate -> {
                if (after.isBefore(updatedAt)) {
                    yield Optional.of(updatedAt.plus(rate.period()));
                }
                long periods = Duration.between(updatedAt, after).toMillis() / rate.period().toMillis() + 1;
                yield Optional.of(updatedAt.plus(rate.period().multipliedBy(periods)));
            }
            case ScheduleExpression.Cron cron -> calendar.next(cron.fields(), timeZone, after);
        };
    }

    public Schedule withOutcome(ScheduleOutcome outcome) {
        return new Schedule(installationId, expression, timeZone, mode, source, createdAt, updatedAt, outcome);
    }
}
