package dev.syncline.adapters.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.syncline.core.delivery.Notification;
import dev.syncline.core.delivery.Notifications;
import dev.syncline.core.file.FileFetch;
import dev.syncline.core.file.FileStatus;
import dev.syncline.core.file.RunFile;
import dev.syncline.core.file.RunFiles;
import dev.syncline.core.sync.Phase;
import dev.syncline.core.sync.PhaseCounts;
import dev.syncline.core.sync.Run;
import dev.syncline.core.sync.RunDispatch;
import dev.syncline.core.sync.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A synchronization as the API shows it ({@code GET /v1/synchronizations/{id}}) and its webhook deliveries send it:
 * what was asked, where it stands, per-phase counters and progress.
 *
 * @param currentPhase the phase being delivered; null before execution and after the last phase
 * @param progressPercent terminal entries over planned entries; 100 for a run that ended with nothing to do
 * @param durationMs from creation to the end, or to now while the run is active
 */
public record RunView(
        String id,
        String installationId,
        String mode,
        String snapshotId,
        // Once planned: the SHA-256 of the snapshot file the run read.
        @JsonInclude(JsonInclude.Include.NON_NULL) String snapshotSha256,
        String status,
        String reason,
        String currentPhase,
        int progressPercent,
        Map<String, Counts> phases,
        Counts totals,
        long rejectedLines,
        String createdAt,
        String updatedAt,
        String endedAt,
        long durationMs,
        String url,
        // Only for runs the deletion guard held (awaiting_confirmation, or confirmed or cancelled from there).
        @JsonInclude(JsonInclude.Include.NON_NULL) GuardView deletionGuard,
        // Only for runs whose App generates a file (synchronization_file_download), once they ended well.
        @JsonInclude(JsonInclude.Include.NON_NULL) FileView file,
        // Only once a notice was sent: synchronization_started, synchronization_ended, each after its retries.
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<NotificationView> notifications,
        // Only for runs asked for as previews: true, and their preview once planned.
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean dryRun,
        @JsonInclude(JsonInclude.Include.NON_NULL) PreviewView preview,
        // What the run used of AWS so far and its estimated cost; shown by the API, not sent in webhooks.
        @JsonInclude(JsonInclude.Include.NON_NULL) CostView cost) {

    /**
     * Why the deletion guard held the run.
     *
     * @param wouldDelete the deletions the plan holds
     * @param held the resources the App held when the run was planned
     * @param confirmUrl where to confirm the deletions; only while the run awaits confirmation
     */
    public record GuardView(long wouldDelete, long held, @JsonInclude(JsonInclude.Include.NON_NULL) String confirmUrl) {
    }

    /**
     * The file the App generated for the run, asked for once the run ended.
     *
     * @param status {@code pending}, {@code stored}, {@code failed} or {@code too_large}
     * @param reason why it failed or was refused; only then
     * @param url where to download it (a redirect to a short-lived link); size, hash, type and URL only once stored
     */
    public record FileView(String status, @JsonInclude(JsonInclude.Include.NON_NULL) String reason,
                    @JsonInclude(JsonInclude.Include.NON_NULL) Long sizeBytes,
                    @JsonInclude(JsonInclude.Include.NON_NULL) String sha256,
                    @JsonInclude(JsonInclude.Include.NON_NULL) String contentType,
                    @JsonInclude(JsonInclude.Include.NON_NULL) String url) {

        public static FileView of(FileFetch fetch, Optional<RunFile> stored) {
            if (fetch.status() == FileStatus.STORED && stored.isPresent()) {
                RunFile file = stored.get();
                return new FileView(FileStatus.STORED.wireName(), null, file.sizeBytes(), file.sha256(), file.contentType(),
                        "/v1/synchronizations/" + file.runId() + "/file");
            }
            return new FileView(fetch.status().wireName(), fetch.reason(), null, null, null, null);
        }
    }

    /** With the run's file (null for none) and its notices. */
    public RunView with(FileView file, List<Notification> sent) {
        return new RunView(id, installationId, mode, snapshotId, snapshotSha256, status, reason, currentPhase, progressPercent, phases, totals,
                rejectedLines, createdAt, updatedAt, endedAt, durationMs, url, deletionGuard, file,
                NotificationView.of(sent), dryRun, preview, cost);
    }

    /** With the preview of a run asked for as one (null until it is planned). */
    public RunView withPreview(PreviewView newPreview) {
        return new RunView(id, installationId, mode, snapshotId, snapshotSha256, status, reason, currentPhase, progressPercent, phases, totals,
                rejectedLines, createdAt, updatedAt, endedAt, durationMs, url, deletionGuard, file, notifications, dryRun, newPreview, cost);
    }

    /** With what the run used and costs. */
    public RunView withCost(CostView runCost) {
        return new RunView(id, installationId, mode, snapshotId, snapshotSha256, status, reason, currentPhase, progressPercent, phases, totals,
                rejectedLines, createdAt, updatedAt, endedAt, durationMs, url, deletionGuard, file, notifications, dryRun, preview, runCost);
    }

    public record Counts(long planned, long succeeded, long failed, long cancelled) {

        public static Counts of(PhaseCounts counts) {
            return new Counts(counts.planned(), counts.succeeded(), counts.failed(), counts.cancelled());
        }
    }

    /** The whole view of {@code run} now: with its file once it ended, and the notices the App was sent. */
    public static RunView of(Run run, RunDispatch dispatch, RunFiles files, Notifications notifications, Instant now) {
        return of(run, dispatch.counts(run.id()), dispatch.state(run.id()), now)
                .with(run.status().isTerminal()
                        ? files.fetch(run.id()).map(fetch -> FileView.of(fetch, files.find(run.id()))).orElse(null)
                        : null, notifications.find(run.id()));
    }

    /** The view of {@code run} without its file and notices, as listings show it. */
    public static RunView of(Run run, Map<Phase, PhaseCounts> counts, Optional<RunDispatch.DispatchState> dispatch, Instant now) {
        Map<String, Counts> phases = new LinkedHashMap<>();
        PhaseCounts total = PhaseCounts.ZERO;
        for (Phase phase : Phase.values()) {
            PhaseCounts phaseCounts = counts.getOrDefault(phase, PhaseCounts.ZERO).as(run.status());
            phases.put(phase.wireName(), Counts.of(phaseCounts));
            total = total.plus(phaseCounts);
        }
        boolean ended = run.status().isTerminal();
        int progress = total.planned() == 0 ? (ended ? 100 : 0) : (int) (100 * total.terminal() / total.planned());
        Instant end = ended ? run.updatedAt() : now;
        String currentPhase = run.status() == RunStatus.EXECUTION
                ? dispatch.flatMap(RunDispatch.DispatchState::phase).map(Phase::wireName).orElse(null)
                : null;
        return new RunView(
                run.id().toString(),
                run.installationId().toString(),
                run.mode().wireName(),
                run.snapshotId(),
                dispatch.flatMap(RunDispatch.DispatchState::snapshotSha256).orElse(null),
                run.status().wireName(),
                run.reason(),
                currentPhase,
                progress,
                phases,
                Counts.of(total),
                dispatch.map(RunDispatch.DispatchState::rejectedLines).orElse(0L),
                run.createdAt().toString(),
                run.updatedAt().toString(),
                ended ? run.updatedAt().toString() : null,
                Duration.between(run.createdAt(), end).toMillis(),
                "/v1/synchronizations/" + run.id(),
                // A preview is held as the guard holds runs; its own deletions say whether the guard would have held it.
                dispatch.flatMap(RunDispatch.DispatchState::guardHold)
                        .filter(hold -> !run.preview())
                        .map(hold -> new GuardView(hold.wouldDelete(), hold.held(), run.status() == RunStatus.AWAITING_CONFIRMATION
                                ? "/v1/synchronizations/" + run.id() + "/confirm" : null))
                        .orElse(null),
                null,
                List.of(),
                run.preview(),
                null,
                null);
    }
}
