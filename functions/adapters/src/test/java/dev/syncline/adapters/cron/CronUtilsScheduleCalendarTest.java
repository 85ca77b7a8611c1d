package dev.syncline.adapters.cron;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class CronUtilsScheduleCalendarTest {

    private final CronUtilsScheduleCalendar calendar = new CronUtilsScheduleCalendar();

    @Test
    void next_readsTheFieldsInTheScheduleTimeZone() {
        // 06:00 in Warsaw is 05:00 UTC in winter (CET) and 04:00 UTC in summer (CEST).
        assertThat(calendar.next("0 6 * * ? *", ZoneId.of("Europe/Warsaw"), Instant.parse("2026-01-15T12:00:00Z")))
                .contains(Instant.parse("2026-01-16T05:00:00Z"));
        assertThat(calendar.next("0 6 * * ? *", ZoneId.of("Europe/Warsaw"), Instant.parse("2026-07-15T12:00:00Z")))
                .contains(Instant.parse("2026-07-16T04:00:00Z"));
    }

    @Test
    void next_understandsAwsDayOfWeekNamesLastDaysAndYears() {
        // 2026-03-06 is a Friday: the next weekday 08:30 is Monday the 9th.
        assertThat(calendar.next("30 8 ? * MON-FRI *", ZoneId.of("UTC"), Instant.parse("2026-03-06T09:00:00Z")))
                .contains(Instant.parse("2026-03-09T08:30:00Z"));
        assertThat(calendar.next("0 0 L * ? *", ZoneId.of("UTC"), Instant.parse("2026-02-10T00:00:00Z")))
                .contains(Instant.parse("2026-02-28T00:00:00Z"));
        assertThat(calendar.next("0 0 1 1 ? 2020", ZoneId.of("UTC"), Instant.parse("2026-02-10T00:00:00Z"))).isEmpty();
    }

    @Test
    void refusal_saysWhatIsWrong_withBothDaysOrAnOutOfRangeValue() {
        assertThat(calendar.refusal("0 6 * * * *")).get().asString().contains("'?' in day-of-month or day-of-week");
        assertThat(calendar.refusal("61 6 * * ? *")).get().asString().contains("is not a valid EventBridge Scheduler cron");
        assertThat(calendar.refusal("0/15 6-18 ? * 2#1 *")).isEmpty();
    }
}
