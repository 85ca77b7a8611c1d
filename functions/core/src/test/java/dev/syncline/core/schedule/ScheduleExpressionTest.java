package dev.syncline.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.core.SynclineException;
import dev.syncline.core.sync.SyncMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ScheduleExpressionTest {

    private static final ScheduleCalendar NO_CRON = new ScheduleCalendar() {
        @Override
        public Optional<String> refusal(String cronFields) {
            return Optional.empty();
        }

        @Override
        public Optional<Instant> next(String cronFields, java.time.ZoneId zone, Instant after) {
            return Optional.empty();
        }
    };

    @Test
    void parse_readsRatesOfMinutesHoursAndDays() {
        assertThat(ScheduleExpression.parse("rate(1 minute)")).isEqualTo(new ScheduleExpression.Rate(1, "minute", Duration.ofMinutes(1)));
        assertThat(ScheduleExpression.parse(" rate(5 minutes) ").text()).isEqualTo("rate(5 minutes)");
        assertThat(((ScheduleExpression.Rate) ScheduleExpression.parse("rate(2 days)")).period()).isEqualTo(Duration.ofDays(2));
    }

    @Test
    void parse_keepsSixCronFieldsAsWritten() {
        assertThat(ScheduleExpression.parse("cron(0  6 * * ? *)")).isEqualTo(new ScheduleExpression.Cron("0 6 * * ? *"));
    }

    @Test
    void parse_whenTheUnitDisagreesWithTheNumber_saysWhichFormToWrite() {
        assertThat(messageOf("rate(1 minutes)")).contains("must say rate(1 minute)");
        assertThat(messageOf("rate(5 minute)")).contains("must say rate(5 minutes)");
    }

    @Test
    void parse_refusesWhatEventBridgeSchedulerRefuses_namingTheField() {
        assertThat(messageOf("rate(0 minutes)")).contains("at least every 1 minute");
        assertThat(messageOf("rate(30 seconds)")).contains("counts minutes, hours or days");
        assertThat(messageOf("rate(five minutes)")).contains("rate(<whole number> <minute|minutes|hour|hours|day|days>)");
        assertThat(messageOf("cron(0 6 * * ?)")).contains("has 5 cron fields").contains("minutes hours day-of-month month day-of-week year");
        assertThat(messageOf("0 6 * * ? *")).contains("neither rate(...) nor cron(...)");
        assertThat(messageOf(null)).contains("expression is required");
    }

    @Test
    void nextFire_ofARate_countsWholePeriodsFromWhenTheScheduleWasSet() {
        Instant set = Instant.parse("2026-03-01T10:00:00Z");
        Schedule schedule = new Schedule(UUID.randomUUID(), ScheduleExpression.parse("rate(5 minutes)"), ZoneOffset.UTC, SyncMode.INCREMENTAL,
                null, set, set, null);

        assertThat(schedule.nextFire(NO_CRON, set)).contains(Instant.parse("2026-03-01T10:05:00Z"));
        assertThat(schedule.nextFire(NO_CRON, Instant.parse("2026-03-01T10:05:00Z"))).contains(Instant.parse("2026-03-01T10:10:00Z"));
        assertThat(schedule.nextFire(NO_CRON, Instant.parse("2026-03-01T11:02:30Z"))).contains(Instant.parse("2026-03-01T11:05:00Z"));
    }

    private static String messageOf(String expression) {
        try {
            ScheduleExpression.parse(expression);
        } catch (SynclineException.Invalid e) {
            assertThat(e.violations()).extracting(SynclineException.Violation::field).containsOnly("expression");
            return e.getMessage();
        }
        throw new AssertionError(expression + " was accepted");
    }
}
