package dev.syncline.core.sync;

import dev.syncline.core.app.Manifest;
import dev.syncline.core.delivery.Chunk;
import dev.syncline.core.delivery.ChunkRef;
import dev.syncline.core.delivery.ChunkResult;
import dev.syncline.core.delivery.ChunkResults;
import dev.syncline.core.delivery.ChunkWork;
import dev.syncline.core.delivery.EntryResult;
import dev.syncline.core.delivery.EntryStatus;
import dev.syncline.core.delivery.RetryPolicy;
import dev.syncline.core.installation.Installation;
import dev.syncline.core.plan.DeliveredState;
import dev.syncline.core.plan.PlanReason;
import dev.syncline.core.plan.PlannedEntry;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.telemetry.Telemetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What the worker does: delivers a pass over a chunk to the App within the worker's deadline, records and accounts
 * for its results once, then moves the run on (more chunks released, the next phase, or the run finished).
 */
public final class ChunkDelivery {

    /**
     * How long a pass's lease outlasts the deadline its worker was given: by then Lambda has stopped that worker
     * (the deadline is its timeout less a few seconds), so another may take the pass over.
     */
    static final Duration PASS_LEASE_SLACK = Duration.ofSeconds(30);

    private final SyncEngine.Ports ports;
    private final Clock clock;
    private final Telemetry telemetry;
    private final RunLifecycle lifecycle;

    ChunkDelivery(RunLifecycle lifecycle) {
        this.ports = lifecycle.ports();
        this.clock = lifecycle.clock();
        this.telemetry = lifecycle.telemetry();
        this.lifecycle = lifecycle;
    }

    /**
     * Delivers one chunk and accounts for it: records its results (once), moves the delivered state and
     * the counters (once), frees its window slot, then releases more chunks, the next phase, or finishes
     * the run. A redelivered message finds the earlier results and only completes the accounting.
     *
     * @param deadline when the worker must be done (its Lambda timeout, less a margin)
     */
    public void deliver(ChunkRef ref, Instant deadline) {
        deliver(ChunkWork.of(ref), deadline);
    }

    /**
     * Delivers one pass over a chunk (see {@link ChunkWork}). When the deadline comes before every entry ended, the
     * pass records the chunk's progress (once) and hands the rest on as the next pass; the chunk's results are
     * recorded and accounted for by the pass that ends its last entry. A pass that was recorded before (a
     * redelivered message) is not delivered again: it only hands on the next pass, whose send may have been lost,
     * as does the chunk's first pass when the reconciler sends it again. A pass is delivered under a lease that
     * outlasts the worker's deadline, so two messages for one pass never call the App side by side.
     */
    public void deliver(ChunkWork work, Instant deadline) {
        long started = System.nanoTime();
        ChunkRef ref = work.ref();
        Run run = ports.runs().find(ref.runId()).orElseThrow(() -> new RunNotFoundException(ref.runId()));
        Installation installation = ports.installations().find(run.installationId());
        Optional<ChunkResult> found = ports.results().find(ref);
        ChunkResult result;
        if (found.isPresent()) {
            result = found.get();
        } else {
            Optional<ChunkResults.Pass> latest = ports.results().latestPass(ref);
            int recordedPass = latest.map(ChunkResults.Pass::pass).orElse(-1);
            if (recordedPass != work.pass() - 1) {
                if (recordedPass >= 0 && (work.pass() == recordedPass || work.pass() == 0)) {
                    ports.work().handOn(new ChunkWork(ref, recordedPass + 1));
                }
                return;
            }
            if (!ports.results().lease(work, deadline.plus(PASS_LEASE_SLACK), clock.instant())) {
                return; // another worker is delivering this pass; if it stops, its own message comes back
            }
            // Picked up: the reconciler tells a chunk a worker holds from one that waits in the queue or was lost.
            ports.dispatch().received(ref.runId(), ref.phase(), ref.chunk(), clock.instant());
            Chunk chunk = ports.chunks().load(ref);
            Customs customs = customsToSend(chunk, run);
            result = deliverNow(chunk, latest.map(ChunkResults.Pass::progress).orElse(null), run, installation, customs.sent(), deadline);
            if (!result.finished()) {
                if (ports.results().recordPass(result, work.pass()).first()) {
                    ports.dispatch().progressed(ref.runId(), clock.instant());
                    ports.work().handOn(work.next());
                }
                return;
            }
            // The delivered state, customs included, is written before the results: results keep no customs, and a
            // message that finds the results recorded knows this was done.
            recordDelivered(run, chunk, result, customs);
        }
        ChunkResult recorded = ports.results().record(result).result();

        RunDispatch.Counted counted = ports.dispatch().count(ref.runId(), ref.phase(), ref.chunk(), recorded.counts(), clock.instant());
        int window = ports.dispatch().complete(ref.runId(), ref.phase(), ref.chunk(), recorded.throttled(), clock.instant());
        if (counted.applied()) {
            telemetry.report(DeliveryFigures.of(recorded, installation, window, Duration.ofNanos(System.nanoTime() - started)));
        }
        if (counted.phaseComplete()) {
            lifecycle.advance(ref.runId(), ref.phase());
        } else {
            lifecycle.release(ref.runId(), ref.phase());
        }
    }

    /**
     * The customs each entry is sent with: what the plan says the App last answered, or what the App answered
     * earlier in this run (a relations entry after its product's products-phase entry), read from that chunk's
     * delivery record once per chunk; for entries whose plan does not know them, the customs kept outside the
     * delivered state before it kept them.
     */
    private Customs customsToSend(Chunk chunk, Run run) {
        Map<ResourceKey, Map<String, Object>> sent = new HashMap<>();
        List<ResourceKey> unknown = new ArrayList<>();
        Map<Integer, List<ResourceKey>> answeredEarlier = new TreeMap<>();
        for (PlannedEntry entry : chunk.entries()) {
            if (entry.customs() == null) {
                // A resource the App never received has no customs yet, except in the relations phase.
                if (entry.reason().kind() != PlanReason.Kind.CREATED || entry.phase() == Phase.RELATIONS) {
                    unknown.add(entry.resource());
                }
            } else if (!entry.customs().isEmpty()) {
                sent.put(entry.resource(), entry.customs());
            }
            if (entry.customsChunk() >= 0) {
                answeredEarlier.computeIfAbsent(entry.customsChunk(), c -> new ArrayList<>()).add(entry.resource());
            }
        }
        Map<ResourceKey, Map<String, Object>> kept = unknown.isEmpty() ? Map.of() : ports.customs().find(run.installationId(), unknown);
        sent.putAll(kept);
        answeredEarlier.forEach((earlierChunk, resources) -> {
            Map<ResourceKey, Map<String, Object>> answered = ports.state().customsDelivered(run.installationId(), run.id(), Phase.PRODUCTS, earlierChunk);
            for (ResourceKey resource : resources) {
                Map<String, Object> latest = answered.get(resource);
                if (latest != null) {
                    sent.put(resource, latest);
                }
            }
        });
        return new Customs(sent, Set.copyOf(unknown));
    }

    /**
     * @param sent the customs each entry is sent with, for the resources that have any
     * @param unknown resources whose plan did not know their customs: those kept outside the delivered state are
     *     forgotten there once the delivered state has them
     */
    private record Customs(Map<ResourceKey, Map<String, Object>> sent, Set<ResourceKey> unknown) {
    }

    /** Moves the delivered state by the entries the App accepted, with the customs it holds after each. */
    private void recordDelivered(Run run, Chunk chunk, ChunkResult result, Customs customs) {
        List<DeliveredState.Delivered> delivered = new ArrayList<>();
        List<ResourceKey> forget = new ArrayList<>();
        for (EntryResult entry : result.entries()) {
            if (entry.status() != EntryStatus.SUCCEEDED) {
                continue;
            }
            PlannedEntry planned = chunk.entries().get(entry.index());
            Map<String, Object> now = planned.isDeletion() ? Map.of()
                    : entry.customs() != null ? entry.customs() : customs.sent().getOrDefault(planned.resource(), Map.of());
            delivered.add(new DeliveredState.Delivered(planned.resource(), planned.phase(), planned.state(), now));
            if (customs.unknown().contains(planned.resource())) {
                forget.add(planned.resource());
            }
        }
        if (!delivered.isEmpty()) {
            ports.state().recordDelivered(run.installationId(), run.id(), chunk.ref().phase(), chunk.ref().chunk(), delivered);
        }
        if (!forget.isEmpty()) {
            ports.customs().update(run.installationId(), Map.of(), forget);
        }
    }

    /**
     * @param progress the chunk's progress after its previous pass, or null on its first
     * @param customs the customs to send, by resource
     */
    private ChunkResult deliverNow(Chunk chunk, ChunkResult progress, Run run, Installation installation,
            Map<ResourceKey, Map<String, Object>> customs, Instant deadline) {
        ChunkRef ref = chunk.ref();
        if (run.status() != RunStatus.EXECUTION) {
            List<EntryResult> cancelled = new ArrayList<>();
            for (int i = 0; i < chunk.entries().size(); i++) {
                PlannedEntry entry = chunk.entries().get(i);
                EntryResult earlier = progress == null ? null : progress.entries().get(i);
                cancelled.add(earlier != null && earlier.status() != EntryStatus.PLANNED ? earlier : EntryResult.cancelled(i, entry.resource(), entry.event()));
            }
            return new ChunkResult(ref, cancelled);
        }
        Manifest manifest = ports.apps().latest(installation.appId());
        return ports.deliverer().deliver(chunk, progress, lifecycle.target(installation, manifest, ref.runId()),
                RetryPolicy.withRetries(installation.dispatch().retryBudget()), customs, deadline, () -> hasEnded(ref.runId()));
    }

    /** Whether a run left execution (cancelled, or finished while a duplicate of one of its chunks is delivered). */
    private boolean hasEnded(UUID runId) {
        return ports.runs().find(runId).map(run -> run.status() != RunStatus.EXECUTION).orElse(true);
    }
}
