package dev.syncline.core.schedule;

import dev.syncline.core.SynclineException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a schedule fires, in EventBridge Scheduler's syntax, so that the same text runs on AWS and in the local
 * stack: {@code rate(5 minutes)} or {@code cron(minutes hours day-of-month month day-of-week year)}.
 */
public sealed interface ScheduleExpression {

    /** The expression as EventBridge Scheduler reads it. */
    String text();

    /** {@code rate(value unit)}: every {@code period}, counted from when the schedule was set. */
    record Rate(long value, String unit, Duration period) implements ScheduleExpression {
        @Override
        public String text() {
            return "rate(" + value + " " + unit + ")";
        }
    }

    /** {@code cron(fields)}: six fields, in the schedule's time zone. */
    record Cron(String fields) implements ScheduleExpression {
        @Override
        public String text() {
            return "cron(" + fields + ")";
        }
    }

    Pattern RATE = Pattern.compile("rate\\(\\s*(\\d{1,9})\\s+([a-z]+)\\s*\\)");
    Pattern CRON = Pattern.compile("cron\\((.*)\\)");
    int MAX_LENGTH = 256;

    /**
     * Reads an expression; the cron fields' own rules are checked by the {@link ScheduleCalendar}.
     *
     * @throws SynclineException.Invalid saying what a valid expression looks like
     */
    static ScheduleExpression parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid("expression is required: 'rate(5 minutes)' or 'cron(0 6 * * ? *)'");
        }
        String trimmed = text.strip();
        if (trimmed.length() > MAX_LENGTH) {
            throw invalid("expression must be at most " + MAX_LENGTH + " characters");
        }
        Matcher rate = RATE.matcher(trimmed);
        if (rate.matches()) {
            return rate(trimmed, Long.parseLong(rate.group(1)), rate.group(2));
        }
        if (trimmed.startsWith("rate(")) {
            throw invalid("expression " + SynclineException.quote(trimmed)
                    + " is not a rate: write rate(<whole number> <minute|minutes|hour|hours|day|days>), e.g. rate(5 minutes)");
        }
        Matcher cron = CRON.matcher(trimmed);
        if (cron.matches()) {
            String fields = cron.group(1).strip().replaceAll("\\s+", " ");
            int count = fields.isEmpty() ? 0 : fields.split(" ").length;
            if (count != 6) {
                throw invalid("expression " + SynclineException.quote(trimmed) + " has " + count
                        + " cron fields; EventBridge Scheduler's cron has six: minutes hours day-of-month month day-of-week year,"
                        + " e.g. cron(0 6 * * ? *) for 06:00 every day");
            }
            return new Cron(fields);
        }
        throw invalid("expression " + SynclineException.quote(trimmed)
                + " is neither rate(...) nor cron(...): e.g. rate(5 minutes) or cron(0 6 * * ? *)");
    }

    private static Rate rate(String text, long value, String unit) {
        Duration one = switch (unit.toLowerCase(Locale.ROOT)) {
            case "minute", "minutes" -> Duration.ofMinutes(1);
            case "hour", "hours" -> Duration.ofHours(1);
            case "day", "days" -> Duration.ofDays(1);
            default -> throw invalid("expression " + SynclineException.quote(text) + " has the unit '" + unit
                    + "'; a rate counts minutes, hours or days (the shortest is rate(1 minute))");
        };
        if (value < 1) {
            throw invalid("expression " + SynclineException.quote(text) + " must repeat at least every 1 " + unit.replaceAll("s$", ""));
        }
        boolean plural = unit.endsWith("s");
        if (value == 1 && plural || value > 1 && !plural) {
            // EventBridge Scheduler refuses "rate(1 minutes)" and "rate(5 minute)".
            String singular = plural ? unit.substring(0, unit.length() - 1) : unit;
            throw invalid("expression " + SynclineException.quote(text) + " must say rate(" + value + " "
                    + (value == 1 ? singular : singular + "s") + "): singular for 1, plural above");
        }
        return new Rate(value, unit, one.multipliedBy(value));
    }

    private static SynclineException.Invalid invalid(String message) {
        return new SynclineException.Invalid("schedule", List.of(new SynclineException.Violation("expression", message)));
    }
}
