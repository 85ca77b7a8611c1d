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
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

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
    /**
     * What a worker keeps free before its deadline, beyond twice its slowest chunk, when it considers taking the next
     * chunk itself: the accounting still to do, and the handler's answer to Lambda.
     */
    static final Duration CONTINUE_RESERVE = Duration.ofSeconds(30);
    /** The least a worker waits for a read or its accounting, however close its deadline: AWS calls have their own timeouts. */
    private static final Duration WAIT_FLOOR = Duration.ofSeconds(5);

    private final SyncEngine.Ports ports;
    private final Clock clock;
    private final Telemetry telemetry;
    private final RunLifecycle lifecycle;
    /**
     * The reads a chunk's delivery starts with, asked side by side. Platform threads, as the accounting's: loading a
     * chunk or writing its delivery record is CPU work (gzip, JSON) that would hold one of the few carrier threads the
     * App requests' virtual threads run on.
     */
    private final ExecutorService reads = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name("chunk-read-", 0).daemon().factory());

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
     *
     * <p>Once the App's part of the chunk is over, its window slot is freed and the next chunks are released before
     * its results are recorded, so the App is not kept waiting on Syncline's own writes.
     */
    public void deliver(ChunkWork work, Instant deadline) {
        deliverOne(work, null, deadline, null);
    }

    /**
     * What a worker does with its message: delivers it as {@link #deliver(ChunkWork, Instant)} does, and when the
     * chunk's App part is over and the window lets the next chunk of the phase go, takes that chunk itself instead of
     * sending it to the queue, while the finished chunk's accounting goes on beside it; when that accounting completes
     * the phase, the worker takes the next phase's first chunk too. So the App gets the next
     * requests without the queue's hop and without the reads another worker would start with; what the App may have in
     * flight stays the window's chunks times the requests of a chunk. It goes on while the deadline leaves room for
     * twice the slowest chunk so far and {@link #CONTINUE_RESERVE}, and returns once every accounting it started
     * ended. A chunk it took itself is stamped as received like a sent one: should the worker stop before its
     * accounting, the reconciler finds it uncounted and sends it again.
     *
     * @throws IllegalStateException when an accounting failed (its message is then redelivered) or did not end by the
     *     deadline
     */
    public void deliverAndContinue(ChunkWork work, Instant deadline) {
        deliverAndContinue(work, deadline, Scope.NONE);
    }

    /** @param scope tags what the worker does for each chunk it takes, on its thread and on the accounting's */
    public void deliverAndContinue(ChunkWork work, Instant deadline, Scope scope) {
        try (Accounting accounting = new Accounting(deadline, scope)) {
            Taken next = deliverOne(work, null, deadline, accounting);
            while (next != null || (next = accounting.nextPhase()) != null) {
                scope.enter(next.work().ref());
                next = deliverOne(next.work(), next.known(), deadline, accounting);
            }
        }
    }

    /**
     * What tags a worker's output (its log lines' ids) as it goes from chunk to chunk, and follows each chunk's
     * accounting onto the thread that does it.
     */
    public interface Scope {

        /** Tags nothing. */
        Scope NONE = new Scope() {
            @Override
            public void enter(ChunkRef chunk) {
            }

            @Override
            public Runnable carry(Runnable work) {
                return work;
            }
        };

        /** The worker's thread goes on with {@code chunk}, after the chunk its message named. */
        void enter(ChunkRef chunk);

        /** {@code work} to run on another thread, tagged as the worker's thread is now. */
        Runnable carry(Runnable work);
    }

    /**
     * @param known the installation and manifest of the run, when the worker took this chunk itself after another
     * @param accounting where to account for the chunk beside the next one's delivery; null to do it now and take no
     *     next chunk
     * @return the next chunk, when the worker took it itself
     */
    private Taken deliverOne(ChunkWork work, Known known, Instant deadline, Accounting accounting) {
        List<Future<?>> asked = new ArrayList<>();
        try {
            return deliverOne(work, known, deadline, accounting, asked);
        } finally {
            asked.forEach(read -> read.cancel(true)); // what a pass that stopped early no longer needs
        }
    }

    private Taken deliverOne(ChunkWork work, Known known, Instant deadline, Accounting accounting, List<Future<?>> asked) {
        long started = System.nanoTime();
        ChunkRef ref = work.ref();
        // The reads a pass starts with do not depend on each other: asked together, they take the time of the slowest.
        Future<Run> runRead = ask(asked, () -> ports.runs().find(ref.runId()).orElseThrow(() -> new RunNotFoundException(ref.runId())));
        Future<Known> knownRead = known != null ? CompletableFuture.completedFuture(known) : ask(asked, () -> known(await(runRead, deadline)));
        Optional<ChunkResults.Pass> latest = Optional.empty();
        if (known == null) {
            Future<Optional<ChunkResult>> foundRead = ask(asked, () -> ports.results().find(ref));
            Future<Optional<ChunkResults.Pass>> latestRead = ask(asked, () -> ports.results().latestPass(ref));
            Optional<ChunkResult> found = await(foundRead, deadline);
            if (found.isPresent()) {
                account(found.get(), await(knownRead, deadline).installation(), started);
                return null;
            }
            latest = await(latestRead, deadline);
            int recordedPass = latest.map(ChunkResults.Pass::pass).orElse(-1);
            if (recordedPass != work.pass() - 1) {
                if (recordedPass >= 0 && (work.pass() == recordedPass || work.pass() == 0)) {
                    ports.work().handOn(new ChunkWork(ref, recordedPass + 1));
                }
                return null;
            }
        }
        // A chunk this worker claimed itself a moment ago has nothing recorded and no message: it needs none of the
        // checks above, and its lease is taken beside the reads.
        Future<Chunk> chunkRead = ask(asked, () -> ports.chunks().load(ref));
        Future<Boolean> leased = ask(asked, () -> ports.results().lease(work, deadline.plus(PASS_LEASE_SLACK), clock.instant()));
        // Picked up: the reconciler tells a chunk a worker holds from one that waits in the queue or was lost.
        Future<Void> stamped = ask(asked, () -> {
            ports.dispatch().received(ref.runId(), ref.phase(), ref.chunk(), clock.instant());
            return null;
        });
        if (!await(leased, deadline)) {
            return null; // another worker is delivering this pass; if it stops, its own message comes back
        }
        Run run = await(runRead, deadline);
        Known context = await(knownRead, deadline);
        Chunk chunk = await(chunkRead, deadline);
        Customs customs = customsToSend(chunk, run);
        ChunkResult result = deliverNow(chunk, latest.map(ChunkResults.Pass::progress).orElse(null), run, context, customs.sent(), deadline);
        await(stamped, deadline);
        if (!result.finished()) {
            if (ports.results().recordPass(result, work.pass()).first()) {
                ports.dispatch().progressed(ref.runId(), clock.instant());
                ports.work().handOn(work.next());
            }
            return null;
        }

        // The App's part is over: free the slot and let the next chunks go before recording, which the App need not
        // wait for. A worker that stops before the recording leaves its chunk uncounted, and the reconciler finds it.
        int window = ports.dispatch().complete(ref.runId(), ref.phase(), ref.chunk(), result.throttled(), clock.instant());
        List<ChunkRef> released = ports.dispatch().claim(ref.runId(), ref.phase(), clock.instant()).stream()
                .map(next -> new ChunkRef(ref.runId(), ref.phase(), next))
                .toList();
        Taken taken = null;
        if (accounting != null && !released.isEmpty() && accounting.mayContinue(Duration.ofNanos(System.nanoTime() - started))) {
            taken = new Taken(ChunkWork.of(released.getFirst()), context);
            released = released.subList(1, released.size());
        }
        if (!released.isEmpty()) {
            ports.work().send(released);
        }
        Runnable recording = () -> {
            // The delivered state, customs included, is written before the results: results keep no customs, and a
            // message that finds the results recorded knows this was done.
            recordDelivered(run, chunk, result, customs);
            ChunkResult recorded = ports.results().record(result).result();
            RunDispatch.Counted counted = ports.dispatch().count(ref.runId(), ref.phase(), ref.chunk(), recorded.counts(), clock.instant());
            if (counted.applied()) {
                telemetry.report(DeliveryFigures.of(recorded, context.installation(), window, Duration.ofNanos(System.nanoTime() - started)));
            }
            if (counted.phaseComplete()) {
                if (accounting == null) {
                    lifecycle.advance(ref.runId(), ref.phase());
                } else {
                    lifecycle.advance(ref.runId(), ref.phase(), accounting::keep);
                }
            }
        };
        if (accounting == null) {
            recording.run();
        } else {
            accounting.start(recording, context);
        }
        return taken;
    }

    /**
     * Accounts for a chunk whose results were recorded before (a redelivered message, or the reconciler finishing
     * what a stopped worker began): counts them unless they were counted, frees the window slot, then moves the run on.
     */
    private void account(ChunkResult result, Installation installation, long started) {
        ChunkRef ref = result.ref();
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

    /** What a run's chunks are delivered with, read once per worker. */
    private Known known(Run run) {
        Installation installation = ports.installations().find(run.installationId());
        return new Known(installation, run.status() == RunStatus.EXECUTION ? ports.apps().latest(installation.appId()) : null);
    }

    /**
     * @param manifest the App's manifest, null when the run was not in execution when it was read
     */
    private record Known(Installation installation, Manifest manifest) {
    }

    /** A chunk the worker took itself after the one it delivered, with what it knows of their run. */
    private record Taken(ChunkWork work, Known known) {
    }

    private <T> Future<T> ask(List<Future<?>> asked, Callable<T> read) {
        Future<T> future = reads.submit(read);
        asked.add(future);
        return future;
    }

    /** Waits for a read, no longer than the worker's deadline ({@link #WAIT_FLOOR} at least). */
    private <T> T await(Future<T> read, Instant deadline) {
        Duration left = Duration.between(clock.instant(), deadline);
        try {
            return read.get(Math.max(left.toMillis(), WAIT_FLOOR.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a read", e);
        } catch (TimeoutException e) {
            read.cancel(true);
            throw new IllegalStateException("A read did not answer before the worker's deadline " + deadline, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * The accounting of the chunks one worker delivered, one after the other on a thread of its own, beside the
     * delivery of the next chunk; {@link #close} waits for it (bounded by the deadline), as a Lambda function freezes
     * once it returns.
     */
    private final class Accounting implements AutoCloseable {
        private final Instant deadline;
        private final ExecutorService thread = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("accounting-", 0).daemon().factory());
        private final List<RuntimeException> failures = new CopyOnWriteArrayList<>();
        /** The first chunk of the next phase, released by this worker's accounting of the last chunk of a phase. */
        private final AtomicReference<ChunkRef> kept = new AtomicReference<>();
        private Duration slowest = Duration.ZERO;
        private Known known;

        private final Scope scope;

        Accounting(Instant deadline, Scope scope) {
            this.deadline = deadline;
            this.scope = scope;
        }

        /** @param known what the chunk was delivered with: a chunk of the next phase is delivered with it too */
        void start(Runnable recording, Known known) {
            this.known = known;
            thread.execute(scope.carry(() -> {
                try {
                    recording.run();
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }));
        }

        /**
         * Whether the worker may take the next chunk: none of its accounting failed, and the deadline leaves room for
         * twice the slowest chunk so far and {@link #CONTINUE_RESERVE}.
         *
         * @param took how long the chunk just delivered took
         */
        boolean mayContinue(Duration took) {
            if (took.compareTo(slowest) > 0) {
                slowest = took;
            }
            return failures.isEmpty() && clock.instant().plus(slowest.multipliedBy(2)).plus(CONTINUE_RESERVE).isBefore(deadline);
        }

        /** Called by an advance in the accounting: the chunk is delivered by this worker, or sent on {@link #close}. */
        void keep(ChunkRef chunk) {
            kept.set(chunk);
        }

        /**
         * Once the accounting started so far ended: the chunk of the next phase it kept, when this worker's accounting
         * completed a phase and the worker may go on; a kept chunk the worker may not go on with is sent to the queue.
         */
        Taken nextPhase() {
            Future<?> drained = thread.submit(() -> {
            });
            await(drained, deadline);
            ChunkRef chunk = kept.getAndSet(null);
            if (chunk == null) {
                return null;
            }
            if (!mayContinue(Duration.ZERO)) {
                ports.work().send(List.of(chunk));
                return null;
            }
            return new Taken(ChunkWork.of(chunk), known);
        }

        @Override
        public void close() {
            try {
                awaitAccounting();
            } finally {
                // Kept after the worker's last look: nobody delivers it unless it is sent.
                ChunkRef chunk = kept.getAndSet(null);
                if (chunk != null) {
                    ports.work().send(List.of(chunk));
                }
            }
        }

        private void awaitAccounting() {
            thread.shutdown();
            Duration left = Duration.between(clock.instant(), deadline);
            try {
                if (!thread.awaitTermination(Math.max(left.toMillis(), WAIT_FLOOR.toMillis()), TimeUnit.MILLISECONDS)) {
                    thread.shutdownNow();
                    throw new IllegalStateException("The accounting of delivered chunks did not end before the worker's deadline " + deadline);
                }
            } catch (InterruptedException e) {
                thread.shutdownNow();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while accounting for delivered chunks", e);
            }
            if (!failures.isEmpty()) {
                RuntimeException first = failures.getFirst();
                failures.subList(1, failures.size()).forEach(first::addSuppressed);
                throw first;
            }
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
    private ChunkResult deliverNow(Chunk chunk, ChunkResult progress, Run run, Known known,
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
        Installation installation = known.installation();
        Manifest manifest = known.manifest() != null ? known.manifest() : ports.apps().latest(installation.appId());
        return ports.deliverer().deliver(chunk, progress, lifecycle.target(installation, manifest, ref.runId()),
                RetryPolicy.withRetries(installation.dispatch().retryBudget()), customs, deadline, () -> hasEnded(ref.runId()));
    }

    /** Whether a run left execution (cancelled, or finished while a duplicate of one of its chunks is delivered). */
    private boolean hasEnded(UUID runId) {
        return ports.runs().find(runId).map(run -> run.status() != RunStatus.EXECUTION).orElse(true);
    }
}
