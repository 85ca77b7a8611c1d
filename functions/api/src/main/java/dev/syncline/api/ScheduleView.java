package dev.syncline.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.syncline.core.schedule.Schedule;
import dev.syncline.core.schedule.ScheduleOutcome;
import java.time.Instant;
import java.util.Optional;

/**
 * A schedule as the API shows it: when it fires next and what its last firing did; of its snapshot source, the URL
 * and the header's name, never the header's value.
 *
 * @param nextFireAt null when a cron expression never matches again
 * @param lastOutcome null before the first firing
 */
record ScheduleView(
        String installationId,
        String expression,
        String timeZone,
        String mode,
        String snapshot,
        @JsonInclude(JsonInclude.Include.NON_NULL) SourceView snapshotSource,
        String nextFireAt,
        OutcomeView lastOutcome,
        String createdAt,
        String updatedAt) {

    /** {@code header_value_set} says a secret is stored; the secret itself is never shown. */
    record SourceView(String url, @JsonInclude(JsonInclude.Include.NON_NULL) String headerName, boolean headerValueSet) {
    }

    /** {@code outcome}: started (with the run), skipped or failed (with the reason). */
    record OutcomeView(
            String outcome,
            String at,
            @JsonInclude(JsonInclude.Include.NON_NULL) String synchronizationId,
            @JsonInclude(JsonInclude.Include.NON_NULL) String reason) {

        static OutcomeView of(ScheduleOutcome outcome) {
            return switch (outcome) {
                case ScheduleOutcome.Started started -> new OutcomeView("started", started.at().toString(), started.runId().toString(), null);
                case ScheduleOutcome.Skipped skipped -> new OutcomeView("skipped", skipped.at().toString(), null, skipped.reason());
                case ScheduleOutcome.Failed failed -> new OutcomeView("failed", failed.at().toString(), null, failed.reason());
            };
        }
    }

    static ScheduleView of(Schedule schedule, Optional<Instant> nextFire) {
        return new ScheduleView(
                schedule.installationId().toString(),
                schedule.expression().text(),
                schedule.timeZone().getId(),
                schedule.mode().wireName(),
                schedule.source() == null ? "latest_upload" : "snapshot_source",
                schedule.source() == null ? null : new SourceView(schedule.source().url().toString(), schedule.source().headerName(),
                        schedule.source().headerValue() != null),
                nextFire.map(Instant::toString).orElse(null),
                schedule.lastOutcome() == null ? null : OutcomeView.of(schedule.lastOutcome()),
                schedule.createdAt().toString(),
                schedule.updatedAt().toString());
    }
}
