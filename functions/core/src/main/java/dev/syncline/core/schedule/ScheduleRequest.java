package dev.syncline.core.schedule;

/**
 * A PIM's request to set an installation's schedule, as it came (validated by {@link ScheduleService#put}).
 *
 * @param timeZone an IANA time zone name, or null for UTC
 * @param mode {@code incremental} or {@code full}, or null for incremental
 * @param sourceUrl the snapshot source's URL, or null to use the installation's latest upload
 * @param headerName the header sent to the source with {@code headerValue}, or null
 * @param headerValue the secret header value, or null
 */
public record ScheduleRequest(String expression, String timeZone, String mode, String sourceUrl, String headerName, String headerValue) {

    // The header value is a secret: never in a log line that prints a request.
    @Override
    public String toString() {
        return "ScheduleRequest[expression=" + expression + ", timeZone=" + timeZone + ", mode=" + mode + ", sourceUrl=" + sourceUrl
                + ", headerName=" + headerName + ", headerValue=" + (headerValue == null ? "null" : "(secret)") + "]";
    }
}
