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
        int shards = state.shards();
        try (ShardSpill spill = spills.get();
                PlanWriter.Plan plan = plans.open(request.runId());
                DeliveredState.Pass pass = state.begin(request.installationId(), request.runId())) {
            Partitioned partitioned = partition(request, spill, plan, shards);
            ChangeDetector detector = new ChangeDetector(new Facets(partitioned.relationAttributes()));
            for (int shard = 0; shard < shards; shard++) {
                planShard(request, detector, spill.read(shard), pass.shard(shard), plan);
            }
            PlanTotals totals = plan.finish().withResources(partitioned.lines());
            pass.commit();
            return totals;
        }
    }

    /** What partitioning learned: the attributes that relate products, and how many snapshot lines it read. */
    private record Partitioned(Set<String> relationAttributes, long lines) {
    }

    private Partitioned partition(PlanRequest request, ShardSpill spill, PlanWriter.Plan plan, int shards) {
        Set<String> relationAttributes = new HashSet<>();
        long read = 0;
        long accepted = 0;
        SnapshotLine.Rejected firstRejected = null;
        try (SnapshotStore.Lines lines = snapshots.open(request.installationId(), request.snapshotId())) {
            while (lines.hasNext()) {
                SnapshotLine line = lines.next();
                read++;
                if (line instanceof SnapshotLine.Accepted) {
                    accepted++;
                } else if (firstRejected == null) {
                    firstRejected = (SnapshotLine.Rejected) line;
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
        }
        if (accepted == 0 && firstRejected != null) {
            // Planning an empty catalog would delete everything the App holds because of a broken file.
            throw new SnapshotUnreadableException("not one line of the snapshot was accepted (line " + firstRejected.lineNumber()
                    + ": " + firstRejected.reason() + "); nothing was sent, fix the file and upload it again");
        }
        return new Partitioned(relationAttributes, read);
    }

    private static void planShard(PlanRequest request, ChangeDetector detector, Iterator<ShardSpill.Spilled> records,
            Map<ResourceKey, Baseline> delivered, PlanWriter.Plan plan) {
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
            addSubscribed(request, detector.plan(key, record.resource(), baseline == null ? Baseline.NONE : baseline, request.mode()), plan);
        }
        leftover.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(gone -> addSubscribed(request, detector.plan(gone.getKey(), null, gone.getValue(), request.mode()), plan));
    }

    private static void addSubscribed(PlanRequest request, Iterable<PlannedEntry> entries, PlanWriter.Plan plan) {
        for (PlannedEntry entry : entries) {
            if (request.subscribedEvents().contains(entry.event())) {
                plan.add(entry);
            }
        }
    }
}
