package dev.syncline.core.plan;

import dev.syncline.core.snapshot.Attribute;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.SnapshotLine;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Plans a run: streams the snapshot once, partitioning it by shard into a spill area and collecting the
 * catalog's relation attributes; then, one shard at a time, diffs each resource with what the App last
 * received and writes the planned entries, per phase, as chunks. Resources left over in a shard's state
 * are gone from the snapshot and planned as deletions. Memory holds one shard, never the catalog.
 */
public final class Planner {

    private final SnapshotStore snapshots;
    private final DeliveredState state;
    private final Supplier<ShardSpill> spills;
    private final PlanWriter plans;

    public Planner(SnapshotStore snapshots, DeliveredState state, Supplier<ShardSpill> spills, PlanWriter plans) {
        this.snapshots = snapshots;
        this.state = state;
        this.spills = spills;
        this.plans = plans;
    }

    public PlanTotals plan(PlanRequest request) {
        return plan(request, null);
    }

    /** Plans a run, telling {@code listener} (null for none) of every entry and rejected line as the plan is written. */
    public PlanTotals plan(PlanRequest request, PlanListener listener) {
        int shards = state.shards();
        try (ShardSpill spill = spills.get();
                PlanWriter.Plan plan = listener == null ? plans.open(request.runId()) : PlanListener.watching(plans.open(request.runId()), listener);
                DeliveredState.Pass pass = state.begin(request.installationId(), request.runId())) {
            Tally tally = new Tally();
            Set<String> relationAttributes = partition(request, spill, plan, shards, tally);
            ChangeDetector detector = new ChangeDetector(new Facets(relationAttributes));
            for (int shard = 0; shard < shards; shard++) {
                planShard(request, detector, spill.read(shard), pass.shard(shard), plan, tally);
            }
            PlanTotals totals = plan.finish().withSource(tally.deletions, tally.held, tally.snapshotSha256, tally.snapshotLines);
            pass.commit();
            return totals;
        }
    }

    private Set<String> partition(PlanRequest request, ShardSpill spill, PlanWriter.Plan plan, int shards, Tally tally) {
        Set<String> relationAttributes = new HashSet<>();
        long accepted = 0;
        long rejectedCount = 0;
        SnapshotLine.Rejected firstRejected = null;
        try (SnapshotStore.Lines lines = snapshots.open(request.installationId(), request.snapshotId())) {
            while (lines.hasNext()) {
                SnapshotLine line = lines.next();
                if (line instanceof SnapshotLine.Accepted) {
                    accepted++;
                } else {
                    rejectedCount++;
                    if (firstRejected == null) {
                        firstRejected = (SnapshotLine.Rejected) line;
                    }
                }
                switch (line) {
                    case SnapshotLine.Accepted acceptedLine -> {
                        if (acceptedLine.resource() instanceof Attribute attribute && attribute.isProductRelation()) {
                            relationAttributes.add(attribute.code());
                        }
                        ResourceKey key = acceptedLine.resource().key();
                        spill.add(key.shard(shards), ShardSpill.Spilled.accepted(acceptedLine.lineNumber(), acceptedLine.resource()));
                    }
                    case SnapshotLine.Rejected rejected -> {
                        plan.reject(rejected);
                        if (rejected.resource() != null) {
                            spill.add(rejected.resource().shard(shards), ShardSpill.Spilled.rejected(rejected.lineNumber(), rejected.resource()));
                        }
                    }
                }
            }
            tally.snapshotSha256 = lines.sha256().orElse(null);
            tally.snapshotLines = accepted + rejectedCount;
        }
        // Planning an empty catalog would delete everything the App holds because of a broken or empty export.
        if (accepted == 0 && firstRejected != null) {
            throw new SnapshotUnreadableException("not one line of the snapshot was accepted (" + rejectedCount + " rejected; line "
                    + firstRejected.lineNumber() + ": " + firstRejected.reason() + "); nothing was sent, fix the file and upload it again");
        }
        if (accepted == 0) {
            throw new SnapshotUnreadableException("the snapshot is empty (no line, or only blank lines); nothing was sent, because an"
                    + " empty catalog would delete everything the App holds. Export the catalog again and upload it");
        }
        return relationAttributes;
    }

    /** What the deletion guard weighs (deletions planned, resources the App held before the run), and what was read. */
    private static final class Tally {
        long deletions;
        long held;
        String snapshotSha256;
        long snapshotLines;
    }

    private static void planShard(PlanRequest request, ChangeDetector detector, Iterator<ShardSpill.Spilled> records,
            Map<ResourceKey, Baseline> delivered, PlanWriter.Plan plan, Tally tally) {
        tally.held += delivered.size();
        Map<ResourceKey, Baseline> leftover = new HashMap<>(delivered);
        Map<ResourceKey, Long> firstLine = new HashMap<>();
        while (records.hasNext()) {
            ShardSpill.Spilled record = records.next();
            ResourceKey key = record.key();
            Long first = firstLine.putIfAbsent(key, record.lineNumber());
            if (first != null) {
                if (record.resource() != null) {
                    plan.reject(new SnapshotLine.Rejected(record.lineNumber(),
                            "duplicate " + key.type().wireName() + " " + key.id() + ": it is already on line " + first
                                    + "; a snapshot holds each resource once",
                            key));
                }
                continue;
            }
            Baseline baseline = leftover.remove(key);
            if (record.resource() == null) {
                continue; // rejected line: what the App has of it stays as it is
            }
            Baseline known = baseline == null ? Baseline.NONE : baseline;
            addSubscribed(request, detector.plan(key, record.resource(), known, request.mode()), known.customs(), plan, tally);
        }
        leftover.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(gone -> addSubscribed(request, detector.plan(gone.getKey(), null, gone.getValue(), request.mode()),
                        gone.getValue().customs(), plan, tally));
    }

    /** @param customs the resource's customs as the App last answered them, sent with each of its entries */
    private static void addSubscribed(PlanRequest request, Iterable<PlannedEntry> entries, Map<String, Object> customs, PlanWriter.Plan plan,
            Tally tally) {
        for (PlannedEntry entry : entries) {
            if (request.subscribedEvents().contains(entry.event())) {
                plan.add(entry.withCustoms(customs));
                if (entry.isDeletion()) {
                    tally.deletions++;
                }
            }
        }
    }
}
