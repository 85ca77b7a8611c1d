package dev.syncline.core.sync;

import dev.syncline.core.app.AppRegistry;
import dev.syncline.core.app.InMemoryAppStore;
import dev.syncline.core.app.TestClock;
import dev.syncline.core.app.TestManifests;
import dev.syncline.core.delivery.Chunk;
import dev.syncline.core.delivery.ChunkDeliverer;
import dev.syncline.core.delivery.ChunkRef;
import dev.syncline.core.delivery.ChunkWork;
import dev.syncline.core.delivery.ResourceCustoms;
import dev.syncline.core.installation.InMemoryInstallationStore;
import dev.syncline.core.installation.InMemorySecretVault;
import dev.syncline.core.installation.Installation;
import dev.syncline.core.installation.InstallationRequest;
import dev.syncline.core.installation.InstallationService;
import dev.syncline.core.plan.DeliveredState;
import dev.syncline.core.plan.PlanReason;
import dev.syncline.core.plan.PlanTotals;
import dev.syncline.core.plan.PlannedEntry;
import dev.syncline.core.snapshot.Product;
import dev.syncline.core.telemetry.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/**
 * The engine wired to in-memory fakes of every port it uses, with one installed App that listens to the
 * synchronization notices. The planner is not wired: {@link #planned} stores a plan and releases its first chunks as
 * the planner would, and {@link #workers} delivers the chunk messages sent so far as workers would.
 */
final class EngineHarness {

    /** The work queue's visibility timeout in template.yaml: the reconciler's stall limit. */
    static final Duration STALLED_AFTER = Duration.ofSeconds(720);
    static final int WINDOW = 2;
    /** Requests a chunk has in flight at a time. */
    static final int PARALLELISM = 2;

    final TestClock clock = TestClock.at("2026-03-01T10:00:00Z");
    final InMemoryRunStore runs = new InMemoryRunStore();
    final InMemoryRunDispatch dispatch = new InMemoryRunDispatch(runs);
    final InMemoryActiveRuns active = new InMemoryActiveRuns(clock);
    final InMemoryQueues queues = new InMemoryQueues();
    final InMemoryChunks chunks = new InMemoryChunks();
    final RecordingApp app = new RecordingApp();
    final List<Signal> signals = Collections.synchronizedList(new ArrayList<>());
    final InstallationService installations;
    final Installation installation;
    final RunControl control;
    final RunPlanning planning;
    final ChunkDelivery delivery;
    final RunRecovery recovery;

    EngineHarness() {
        InMemoryAppStore appStore = new InMemoryAppStore();
        InMemorySecretVault vault = new InMemorySecretVault();
        installations = new InstallationService(appStore, new InMemoryInstallationStore(), app, vault, clock);
        AppRegistry registry = new AppRegistry(appStore, installations, clock);
        registry.register("shop-export", TestManifests.valid().events(List.of("app_uninstalled", "synchronization_started",
                "synchronization_ended", "product_created", "product_updated")).build());
        installation = installations.install(new InstallationRequest("shop-export", "Shop DE", "https://pim.example.com/api", null, null))
                .installation();
        ResourceCustoms customs = new ResourceCustoms() {
            @Override
            public Map<dev.syncline.core.snapshot.ResourceKey, Map<String, Object>> find(UUID installationId,
                    Collection<dev.syncline.core.snapshot.ResourceKey> resources) {
                return Map.of();
            }

            @Override
            public void update(UUID installationId, Map<dev.syncline.core.snapshot.ResourceKey, Map<String, Object>> stored,
                    Collection<dev.syncline.core.snapshot.ResourceKey> deleted) {
                // what the App answered is not under test here
            }
        };
        DeliveredState state = new DeliveredState() {
            @Override
            public int shards() {
                return 1;
            }

            @Override
            public Pass begin(UUID installationId, UUID runId) {
                throw new UnsupportedOperationException("the planner is not wired");
            }

            @Override
            public void recordDelivered(UUID installationId, UUID runId, Phase phase, int chunk, List<Delivered> delivered) {
                // what the next plan compares with is not under test here
            }

            @Override
            public Map<dev.syncline.core.snapshot.ResourceKey, Map<String, Object>> customsDelivered(UUID installationId, UUID runId,
                    Phase phase, int chunk) {
                return Map.of();
            }
        };
        ChunkDeliverer deliverer = new ChunkDeliverer(app, clock, wait -> {
        }, new Random(7), PARALLELISM, java.time.Duration.ofSeconds(10));
        SyncEngine engine = SyncEngine.create(new SyncEngine.Ports(runs, dispatch, active, queues.control, queues.work, chunks, chunks, customs, state,
                null, deliverer, app, installations, registry, vault, (installationId, snapshotId) -> true,
                new InMemoryRunPreviews(), SyncEngine.PlanCost.NONE, SyncEngine.Ports.DEFAULT_TENANT_MAX_ACTIVE_RUNS),
                clock, RunEnding.NONE, signals::add);
        control = engine.control();
        planning = engine.planning();
        delivery = engine.delivery();
        recovery = engine.recovery();
        app.forget();
    }

    Run trigger() {
        return trigger(null);
    }

    Run trigger(String idempotencyKey) {
        return control.trigger(new TriggerRequest(installation.id(), SyncMode.INCREMENTAL, "catalog-1", idempotencyKey));
    }

    /**
     * A triggered run the planner planned into {@code chunkCount} product chunks of {@code perChunk} entries: the App
     * told it started, the first window of chunks released to the work queue.
     */
    Run planned(int chunkCount, int perChunk) {
        return planned(Map.of(Phase.PRODUCTS, chunkCount), perChunk);
    }

    /**
     * A triggered run planned into the given number of chunks per phase, each of {@code perChunk} entries: products
     * ({@code product_created SKU-<chunk>-<i>}) and relations ({@code product_updated REL-<chunk>-<i>}); the first
     * window of the first phase released to the work queue.
     */
    Run planned(Map<Phase, Integer> chunkCounts, int perChunk) {
        Run run = trigger();
        queues.prepared();
        Map<Phase, int[]> plan = new EnumMap<>(Phase.class);
        for (Map.Entry<Phase, Integer> phase : new EnumMap<>(chunkCounts).entrySet()) {
            int[] sizes = new int[phase.getValue()];
            for (int chunk = 0; chunk < sizes.length; chunk++) {
                sizes[chunk] = perChunk;
                List<PlannedEntry> entries = new ArrayList<>();
                for (int i = 0; i < perChunk; i++) {
                    entries.add(phase.getKey() == Phase.RELATIONS
                            ? new PlannedEntry(Phase.RELATIONS, "product_updated", Product.of("REL-" + chunk + "-" + i, "SIMPLE").key(), List.of(),
                                    PlanReason.created(), Product.of("REL-" + chunk + "-" + i, "SIMPLE"))
                            : new PlannedEntry(phase.getKey(), "product_created", Product.of("SKU-" + chunk + "-" + i, "SIMPLE").key(), List.of(),
                                    PlanReason.created(), Product.of("SKU-" + chunk + "-" + i, "SIMPLE")));
                }
                chunks.store(new Chunk(new ChunkRef(run.id(), phase.getKey(), chunk), entries));
            }
            plan.put(phase.getKey(), sizes);
        }
        Phase first = plan.keySet().iterator().next();
        app.notify(null, "synchronization_started", Map.of(), "synchronization_started");
        dispatch.planned(run.id(), new PlanTotals(plan, 0), Optional.of(first), WINDOW, clock.instant());
        queues.work.send(dispatch.claim(run.id(), first, clock.instant()).stream()
                .map(chunk -> new ChunkRef(run.id(), first, chunk)).toList());
        return runs.find(run.id()).orElseThrow();
    }

    /** Workers take every chunk message sent so far and deliver it, until none is left or {@code rounds} passed. */
    void workers(int rounds) {
        for (int round = 0; round < rounds; round++) {
            List<ChunkRef> taken = queues.take();
            if (taken.isEmpty()) {
                return;
            }
            taken.forEach(ref -> delivery.deliver(ref, clock.instant().plus(Duration.ofSeconds(110))));
        }
    }

    /**
     * Workers take every chunk message sent so far and deliver it as the worker function does, going on with the chunks
     * the window lets go, until no message is left or {@code rounds} passed.
     */
    void continuingWorkers(int rounds) {
        for (int round = 0; round < rounds; round++) {
            List<ChunkRef> taken = queues.take();
            if (taken.isEmpty()) {
                return;
            }
            taken.forEach(ref -> delivery.deliverAndContinue(ChunkWork.of(ref), clock.instant().plus(Duration.ofSeconds(110))));
        }
    }

    /** A worker took these chunk messages and died before recording anything: the stamps say they were picked up. */
    void workersDieWith(List<ChunkRef> taken) {
        taken.forEach(ref -> dispatch.received(ref.runId(), ref.phase(), ref.chunk(), clock.instant()));
    }

    int reconcile() {
        return recovery.reconcile(STALLED_AFTER);
    }

    Run run(UUID id) {
        return runs.find(id).orElseThrow();
    }

    Instant now() {
        return clock.instant();
    }

    <T extends Signal> List<T> signals(Class<T> type) {
        synchronized (signals) {
            return signals.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }
}
