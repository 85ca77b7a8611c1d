package dev.syncline.adapters.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.syncline.core.plan.PlanReason;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.ResourceType;
import dev.syncline.core.snapshot.SnapshotLine;
import dev.syncline.core.sync.Phase;
import dev.syncline.core.sync.RunPreview;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A run's preview as the API shows it (and as it is stored, without its links): what the plan would send, per phase
 * and event with the first few entries and their reasons, the rejected snapshot lines, the deletions, how long it
 * should take and when it is discarded.
 *
 * @param entries every planned entry
 * @param confirmUrl where to run the plan; only while the preview waits
 * @param cancelUrl where to discard it; only while the preview waits
 */
public record PreviewView(
        long entries,
        List<ChangeView> changes,
        RejectedView rejectedLines,
        DeletionsView deletions,
        EstimateView estimate,
        String expiresAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String confirmUrl,
        @JsonInclude(JsonInclude.Include.NON_NULL) String cancelUrl) {

    /** The entries of one event in one phase, with the first few. */
    public record ChangeView(String phase, String event, long count, List<SampleView> samples) {
    }

    public record SampleView(ResourceView resource, ReasonView reason) {
    }

    public record ResourceView(String type, String id) {

        static ResourceView of(ResourceKey key) {
            return key == null ? null : new ResourceView(key.type().wireName(), key.id());
        }

        ResourceKey toKey() {
            return new ResourceKey(ResourceType.valueOf(type.toUpperCase(Locale.ROOT)), id);
        }
    }

    /** Why an entry is planned: {@code created}, {@code changed} (with the fields that changed), {@code deleted}, {@code full_run}. */
    public record ReasonView(String kind, List<String> changed) {
    }

    /** How many snapshot lines the plan rejected, and the first few with their line numbers. */
    public record RejectedView(long count, List<RejectedLineView> first) {
    }

    public record RejectedLineView(long line, @JsonInclude(JsonInclude.Include.NON_NULL) ResourceView resource, String reason) {
    }

    /** Planned deletions, the resources the App holds, and whether the deletion guard would hold a run triggered at once. */
    public record DeletionsView(long planned, long held, boolean guardWouldHold) {
    }

    /**
     * How long the plan would take and, once a run of the installation sent something, what it would cost.
     *
     * @param basis {@code recent_runs} or {@code default}
     * @param runs the recent runs measured
     * @param window the installation's concurrency window
     * @param estimatedUsd the preview's entries priced from what the installation's last runs cost per planned entry, when
     *     it was planned; absent before any such run, and for a preview stored before previews kept their price
     */
    public record EstimateView(long durationSeconds, String basis, int runs, int window,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double estimatedUsd) {
    }

    /** The preview of {@code runId}; with links to confirm and cancel it while it waits. */
    public static PreviewView of(RunPreview preview, String runId, boolean waiting) {
        String base = "/v1/synchronizations/" + runId;
        return new PreviewView(
                preview.entries(),
                preview.changes().stream()
                        .map(change -> new ChangeView(change.phase().wireName(), change.event(), change.count(), change.samples().stream()
                                .map(sample -> new SampleView(ResourceView.of(sample.resource()), new ReasonView(
                                        sample.reason().kind().name().toLowerCase(Locale.ROOT), sample.reason().changed())))
                                .toList()))
                        .toList(),
                new RejectedView(preview.rejectedLines(), preview.firstRejected().stream()
                        .map(line -> new RejectedLineView(line.lineNumber(), ResourceView.of(line.resource()), line.reason()))
                        .toList()),
                new DeletionsView(preview.deletions(), preview.held(), preview.guardWouldHold()),
                new EstimateView(preview.estimate().durationSeconds(), preview.estimate().basis().wireName(), preview.estimate().runs(),
                        preview.estimate().window(), preview.estimate().estimatedUsd()),
                preview.expiresAt().toString(),
                waiting ? base + "/confirm" : null,
                waiting ? base + "/cancel" : null);
    }

    /** The preview this view shows, as it was stored. */
    public RunPreview toPreview() {
        return new RunPreview(
                changes.stream()
                        .map(change -> new RunPreview.Change(Phase.valueOf(change.phase().toUpperCase(Locale.ROOT)), change.event(),
                                change.count(), change.samples().stream()
                                        .map(sample -> new RunPreview.Sample(sample.resource().toKey(), new PlanReason(
                                                PlanReason.Kind.valueOf(sample.reason().kind().toUpperCase(Locale.ROOT)),
                                                sample.reason().changed())))
                                        .toList()))
                        .toList(),
                rejectedLines.count(),
                rejectedLines.first().stream()
                        .map(line -> new SnapshotLine.Rejected(line.line(), line.reason(),
                                line.resource() == null ? null : line.resource().toKey()))
                        .toList(),
                deletions.planned(),
                deletions.held(),
                deletions.guardWouldHold(),
                new RunPreview.Estimate(estimate.durationSeconds(), RunPreview.Basis.valueOf(estimate.basis().toUpperCase(Locale.ROOT)),
                        estimate.runs(), estimate.window(), estimate.estimatedUsd()),
                Instant.parse(expiresAt));
    }
}
