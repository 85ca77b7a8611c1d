package dev.syncline.adapters.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * An App's {@code Retry-After} (RFC 9110 §10.2.3: delay seconds or an HTTP date), clamped to what Syncline will
 * ever wait: an App is not ours, and {@code Retry-After: 9223372036854775807} or a date in the year 9999 must
 * neither overflow a computation nor park an entry. Anything longer than {@link #MAX} counts as {@link #MAX}; a
 * negative delay or a past date as no wait; a value that is neither a number nor a date as no header. The retry
 * policy then caps the wait again at its own longest delay.
 */
final class RetryAfter {

    /** The longest wait an App can ask for (docs/operations.md, "Timeouts and limits"). */
    static final Duration MAX = Duration.ofMinutes(5);

    private RetryAfter() {
    }

    /** The wait the header asks for, clamped to [0, {@link #MAX}], or null without a usable header. */
    static Duration parse(Optional<String> header, Clock clock) {
        if (header.isEmpty()) {
            return null;
        }
        String value = header.get().trim();
        if (value.matches("-\\d+")) {
            return Duration.ZERO;
        }
        if (value.matches("\\d+")) {
            String digits = value.replaceFirst("^0+(?=\\d)", "");
            // Seven digits and more are past MAX anyway, and twenty would overflow a long.
            return digits.length() > 6 ? MAX : clamp(Duration.ofSeconds(Long.parseLong(digits)));
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return clamp(Duration.between(clock.instant(), at));
        } catch (DateTimeParseException notADate) {
            return null;
        }
    }

    private static Duration clamp(Duration wait) {
        if (wait.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(MAX) > 0 ? MAX : wait;
    }
}
