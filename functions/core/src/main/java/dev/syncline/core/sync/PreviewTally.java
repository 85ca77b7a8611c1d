package dev.syncline.core.sync;

import dev.syncline.core.plan.PlanListener;
import dev.syncline.core.plan.PlanReason;
import dev.syncline.core.plan.PlannedEntry;
import dev.syncline.core.snapshot.SnapshotLine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Counts a plan's entries per phase and event while it is written, keeping the first few of each and of its rejected lines. */
final class PreviewTally implements PlanListener {

    private final Map<String, Counted> changes = new LinkedHashMap<>();
    private final List<SnapshotLine.Rejected> firstRejected = new ArrayList<>();
    private long rejected;

    @Override
    public void added(PlannedEntry entry) {
        Counted counted = changes.computeIfAbsent(entry.phase().wireName() + " " + entry.event(),
                key -> new Counted(entry.phase(), entry.event()));
        counted.count++;
        if (counted.samples.size() < RunPreview.SAMPLES) {
            counted.samples.add(new RunPreview.Sample(entry.resource(), shortened(entry.reason())));
        }
    }

    @Override
    public void rejected(SnapshotLine.Rejected line) {
        rejected++;
        if (firstRejected.size() < RunPreview.SAMPLES) {
            firstRejected.add(line);
        }
    }

    /** A reason naming {@value RunPreview#CHANGED_FIELDS} changed fields at most: a preview stays a few kilobytes whatever the catalog. */
    private static PlanReason shortened(PlanReason reason) {
        return reason.changed().size() <= RunPreview.CHANGED_FIELDS
                ? reason
                : new PlanReason(reason.kind(), reason.changed().subList(0, RunPreview.CHANGED_FIELDS));
    }

    RunPreview preview(long deletions, long held, boolean guardWouldHold, RunPreview.Estimate estimate, Instant expiresAt) {
        List<RunPreview.Change> counted = changes.values().stream()
                .sorted(Comparator.comparing((Counted change) -> change.phase)) // stable: first met first within a phase
                .map(change -> new RunPreview.Change(change.phase, change.event, change.count, change.samples))
                .toList();
        return new RunPreview(counted, rejected, firstRejected, deletions, held, guardWouldHold, estimate, expiresAt);
    }

    private static final class Counted {
        final Phase phase;
        final String event;
        final List<RunPreview.Sample> samples = new ArrayList<>();
        long count;

        Counted(Phase phase, String event) {
            this.phase = phase;
            this.event = event;
        }
    }
}
