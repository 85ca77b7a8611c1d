package dev.syncline.core.plan;

import dev.syncline.core.snapshot.Attribute;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.SnapshotLine;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Plans a run: streams the snapshot once, partitioning it by shard into a spill area and collecting the
 * catalog's relation attributes; then, one shard at a time, diffs each resource with what the App last
 * received and writes the planned entries, per phase, as chunks. Resources left over in a shard's state
 * are gone from the snapshot and planned as deletions. Memory holds a few shards, never the catalog. Shards may be
 * planned on several threads, for a machine with the processors; they are written in shard order all the same.
 */
public final class Planner {

    /** Every shard's planning is CPU work on data already in memory; a plan of 10 million products takes minutes. */
    private static final Duration SHARD_TIMEOUT = Duration.ofMinutes(15);

    private final SnapshotStore snapshots;
    private final DeliveredState state;
    private final Supplier<ShardSpill> spills;
    private final PlanWriter plans;
    private final int threads;

    /**
     * A planner that plans shards one after the other on the calling thread: what a planner function of up to 1 769 MB,
     * one vCPU, does best (more threads there share the same CPU and hold more shards in memory).
     */
    public Planner(SnapshotStore snapshots, DeliveredState state, Supplier<ShardSpill> spills, PlanWriter plans) {
        this(snapshots, state, spills, plans, 1);
    }

    /**
     * @param threads how many shards are planned at once beside the thread that writes the plan; 1 plans them one
     *     after the other on the calling thread. The plan is the same whatever the number.
     */
    public Planner(SnapshotStore snapshots, DeliveredState state, Supplier<ShardSpill> spills, PlanWriter plans, int threads) {
        this.snapshots = snapshots;
        this.state = state;
        this.spills = spills;
        this.plans = plans;
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
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
            if (threads == 1) {
                for (int shard = 0; shard < shards; shard++) {
                    // Each entry goes to the plan as it is planned: a shard's entries are never held together.
                    ShardPlan planned = planShard(request, detector, spill.read(shard), pass.shard(shard), plan, step -> write(step, plan));
                    write(planned, plan, tally);
                }
            } else {
                planShardsAtOnce(request, detector, spill, pass, shards, plan, tally);
            }
            PlanTotals totals = plan.finish().withSource(tally.deletions, tally.held, tally.snapshotSha256, tally.snapshotLines);
            pass.commit();
            return totals;
        }
    }

    /**
     * Plans up to {@link #threads} shards at once while this thread loads the next shards' state and writes the planned
     * ones, in shard order: the plan is what one thread would write. The spill and the state are read from this thread
     * only; a shard's planning reads its own records and baselines.
     */
    private void planShardsAtOnce(PlanRequest request, ChangeDetector detector, ShardSpill spill, DeliveredState.Pass pass, int shards,
            PlanWriter.Plan plan, Tally tally) {
        ExecutorService planning = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "planner-shard");
            thread.setDaemon(true);
            return thread;
        });
        Deque<Future<ShardPlan>> window = new ArrayDeque<>();
        try {
            for (int shard = 0; shard < shards; shard++) {
                Iterator<ShardSpill.Spilled> records = spill.read(shard);
                Map<ResourceKey, Baseline> delivered = pass.shard(shard);
                window.add(planning.submit(() -> {
                    List<Object> steps = new ArrayList<>();
                    ShardPlan planned = planShard(request, detector, records, delivered, plan, steps::add);
                    return new ShardPlan(steps, planned.held(), planned.deletions());
                }));
                if (window.size() > threads) {
                    write(await(window.removeFirst()), plan, tally);
                }
            }
            while (!window.isEmpty()) {
                write(await(window.removeFirst()), plan, tally);
            }
        } finally {
            window.forEach(pending -> pending.cancel(true));
            planning.shutdownNow();
        }
    }

    private static ShardPlan await(Future<ShardPlan> shard) {
        try {
            return shard.get(SHARD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("Planning a shard failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Planning a shard took longer than " + SHARD_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while planning", e);
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

    /**
     * What planning one shard adds to the plan, in order: its entries (of the subscribed events), prepared by the plan,
     * and the rejections of its duplicate lines (none when they went to the plan as they were planned); and what the
     * deletion guard weighs.
     */
    private record ShardPlan(List<Object> steps, long held, long deletions) {
    }

    private static void write(ShardPlan shard, PlanWriter.Plan plan, Tally tally) {
        tally.held += shard.held();
        tally.deletions += shard.deletions();
        for (Object step : shard.steps()) {
            write(step, plan);
        }
    }

    private static void write(Object step, PlanWriter.Plan plan) {
        switch (step) {
            case PlanWriter.Prepared entry -> plan.add(entry);
            case SnapshotLine.Rejected rejected -> plan.reject(rejected);
            default -> throw new IllegalStateException("not a step of a plan: " + step);
        }
    }

    /** @param steps takes the shard's entries and rejections in plan order, as they are planned */
    private static ShardPlan planShard(PlanRequest request, ChangeDetector detector, Iterator<ShardSpill.Spilled> records,
            Map<ResourceKey, Baseline> delivered, PlanWriter.Plan plan, Consumer<Object> steps) {
        Map<ResourceKey, Baseline> leftover = new HashMap<>(delivered);
        Map<ResourceKey, Long> firstLine = new HashMap<>();
        long[] deletions = {0};
        while (records.hasNext()) {
            ShardSpill.Spilled record = records.next();
            ResourceKey key = record.key();
            Long first = firstLine.putIfAbsent(key, record.lineNumber());
            if (first != null) {
                if (record.resource() != null) {
                    steps.accept(new SnapshotLine.Rejected(record.lineNumber(),
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
            deletions[0] += addSubscribed(request, detector.plan(key, record.resource(), known, request.mode()), known.customs(), plan, steps);
        }
        leftover.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(gone -> deletions[0] += addSubscribed(request, detector.plan(gone.getKey(), null, gone.getValue(), request.mode()),
                        gone.getValue().customs(), plan, steps));
        return new ShardPlan(List.of(), delivered.size(), deletions[0]);
    }

    /**
     * @param customs the resource's customs as the App last answered them, sent with each of its entries
     * @return the deletions among the entries added
     */
    private static long addSubscribed(PlanRequest request, Iterable<PlannedEntry> entries, Map<String, Object> customs, PlanWriter.Plan plan,
            Consumer<Object> steps) {
        long deletions = 0;
        for (PlannedEntry entry : entries) {
            if (request.subscribedEvents().contains(entry.event())) {
                steps.accept(plan.prepare(entry.withCustoms(customs)));
                if (entry.isDeletion()) {
                    deletions++;
                }
            }
        }
        return deletions;
    }
}
