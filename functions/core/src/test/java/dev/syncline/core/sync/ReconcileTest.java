package dev.syncline.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.core.delivery.ChunkRef;
import dev.syncline.core.delivery.ChunkResult;
import dev.syncline.core.delivery.EntryResult;
import dev.syncline.core.delivery.EntryStatus;
import dev.syncline.core.installation.Installation;
import dev.syncline.core.installation.InstallationRequest;
import dev.syncline.core.plan.PlanTotals;
import dev.syncline.core.telemetry.Signal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every branch of the reconciler's pass, on in-memory fakes: what it sends again, what it ends, what the App hears. */
class ReconcileTest {

    private static final Duration PAST_ONE_TIMEOUT = EngineHarness.STALLED_AFTER.plusMinutes(1);
    private static final Duration PAST_TWO_TIMEOUTS = EngineHarness.STALLED_AFTER.multipliedBy(2).plusMinutes(1);

    private final EngineHarness harness = new EngineHarness();

    @Test
    void reconcile_whenARunAwaitsConfirmationPastItsTimeout_cancelsItAndTheAppHearsNothing() {
        Run run = harness.trigger();
        harness.dispatch.planned(run.id(), new PlanTotals(Map.of(), 0), Optional.empty(), 2, "held by the deletion guard", harness.now());

        harness.clock.advance(Duration.ofHours(23));
        assertThat(harness.reconcile()).isZero();
        harness.clock.advance(Duration.ofHours(1));
        assertThat(harness.reconcile()).isEqualTo(1);

        assertThat(harness.run(run.id()).status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(harness.run(run.id()).reason()).startsWith("Nobody confirmed the deletions within 24 h");
        assertThat(harness.active.holder(harness.installation.id())).isEmpty();
        assertThat(harness.app.received()).isEmpty();
    }

    @Test
    void reconcile_whenTheActiveRunWasNeverCreated_freesTheInstallationOnceTheStallLimitPassed() {
        UUID ghost = UUID.randomUUID();
        harness.active.acquire(harness.installation.id(), ghost);

        harness.clock.advance(EngineHarness.STALLED_AFTER.minusMinutes(1));
        assertThat(harness.reconcile()).as("a trigger may be creating it at this moment").isZero();
        assertThat(harness.active.holder(harness.installation.id())).isPresent();

        harness.clock.advance(Duration.ofMinutes(2));
        assertThat(harness.reconcile()).isEqualTo(1);
        assertThat(harness.active.holder(harness.installation.id())).isEmpty();
        assertThat(harness.trigger().status()).isEqualTo(RunStatus.PREPARING);
    }

    @Test
    void reconcile_whenTheActiveRunEndedButStillHoldsTheInstallation_freesIt() {
        Run run = harness.trigger();
        harness.runs.put(new Run(run.id(), run.installationId(), run.mode(), run.snapshotId(), RunStatus.FINISHED, null,
                run.createdAt(), harness.now(), Map.of()));

        assertThat(harness.reconcile()).isEqualTo(1);

        assertThat(harness.active.holder(harness.installation.id())).isEmpty();
        assertThat(harness.active.list()).isEmpty();
    }

    @Test
    void reconcile_whenPlanningStalledPastThePlannersLimit_sendsThePrepareMessageAgain() {
        Run run = harness.trigger();
        assertThat(harness.queues.prepared()).containsExactly(run.id());

        harness.clock.advance(Duration.ofMinutes(89));
        assertThat(harness.reconcile()).as("the planner may still be planning").isZero();
        harness.clock.advance(Duration.ofMinutes(2));
        assertThat(harness.reconcile()).isEqualTo(1);

        assertThat(harness.queues.prepared()).containsExactly(run.id(), run.id());
        assertThat(harness.signals(Signal.Resent.class)).singleElement()
                .satisfies(resent -> assertThat(resent.what()).isEqualTo("prepare"));
    }

    @Test
    void reconcile_whenTheLastPhaseIsCompleteButWasNotAdvanced_finishesTheRunAndTellsTheApp() {
        Run run = harness.planned(1, 3);
        ChunkRef ref = harness.queues.take().getFirst();
        // A worker recorded and counted the chunk, then died before it advanced the phase.
        ChunkResult result = succeeded(ref, 3);
        harness.chunks.record(result);
        harness.dispatch.count(run.id(), ref.phase(), ref.chunk(), result.counts(), harness.now());
        harness.app.forget();

        harness.clock.advance(PAST_ONE_TIMEOUT);
        assertThat(harness.reconcile()).isEqualTo(1);

        assertThat(harness.run(run.id()).status()).isEqualTo(RunStatus.FINISHED);
        assertThat(harness.app.received()).containsExactly("synchronization_ended finished");
        assertThat(harness.active.holder(harness.installation.id())).isEmpty();
    }

    @Test
    void reconcile_whenAChunkWasRecordedButNotCounted_countsItOnceWithoutCallingTheAppAgain() {
        Run run = harness.planned(1, 3);
        ChunkRef ref = harness.queues.take().getFirst();
        harness.chunks.record(succeeded(ref, 3)); // the worker died right after recording
        harness.app.forget();

        harness.clock.advance(PAST_ONE_TIMEOUT);
        harness.reconcile();
        harness.reconcile();

        assertThat(harness.run(run.id()).status()).isEqualTo(RunStatus.FINISHED);
        assertThat(harness.dispatch.counts(run.id()).get(Phase.PRODUCTS)).isEqualTo(new PhaseCounts(3, 3, 0, 0));
        assertThat(harness.app.received()).containsExactly("synchronization_ended finished");
        assertThat(harness.queues.sent()).isEmpty();
    }

    @Test
    void reconcile_whenChunksAreQueuedBehindOtherInstallationsWork_doesNotSendThemAgain() {
        Run run = harness.planned(2, 3);
        List<ChunkRef> released = harness.queues.sent();
        harness.queues.waiting(5_000); // other installations' chunks ahead of them

        harness.clock.advance(PAST_TWO_TIMEOUTS);
        harness.reconcile();

        assertThat(harness.queues.sent()).isEqualTo(released);
        assertThat(harness.signals(Signal.Resent.class)).isEmpty();
        harness.workers(5);
        assertThat(harness.run(run.id()).status()).isEqualTo(RunStatus.FINISHED);
        assertThat(harness.app.received().stream().filter(request -> request.startsWith("product_created"))).hasSize(6);
    }

    @Test
    void reconcile_whenAWorkerDiedWithAChunk_sendsItAgainOnlyAfterSqsHadItsChanceToRedeliver() {
        Run run = harness.planned(2, 3);
        List<ChunkRef> taken = harness.queues.take();
        harness.workersDieWith(taken);

        harness.clock.advance(PAST_ONE_TIMEOUT);
        harness.reconcile();
        assertThat(harness.queues.sent()).as("SQS redelivers a message whose worker died after one visibility timeout").isEmpty();

        harness.clock.advance(EngineHarness.STALLED_AFTER);
        harness.reconcile();
        assertThat(harness.queues.sent()).containsExactlyElementsOf(taken);
        assertThat(harness.signals(Signal.Resent.class)).singleElement().satisfies(resent -> {
            assertThat(resent.what()).isEqualTo("chunks");
            assertThat(resent.count()).isEqualTo(2);
        });

        harness.workers(5);
        assertThat(harness.run(run.id()).status()).isEqualTo(RunStatus.FINISHED);
        assertThat(harness.dispatch.counts(run.id()).get(Phase.PRODUCTS)).isEqualTo(new PhaseCounts(6, 6, 0, 0));
    }

    @Test
    void reconcile_whenAChunkMessageVanishedAndNothingWaitsInTheQueue_sendsItAgain() {
        harness.planned(1, 3);
        List<ChunkRef> vanished = harness.queues.take(); // never reached a worker
        harness.queues.waiting(0);

        harness.clock.advance(PAST_ONE_TIMEOUT);
        harness.reconcile();

        assertThat(harness.queues.sent()).containsExactlyElementsOf(vanished);
    }

    @Test
    void reconcile_whenAChunkIsLostMoreOftenThanTheResendLimit_failsItsEntriesAsLostAndEndsTheRun() {
        Run run = harness.planned(1, 3);
        harness.app.forget();
        int sends = 1;
        for (int pass = 0; pass < 10 && !harness.run(run.id()).status().isTerminal(); pass++) {
            harness.workersDieWith(harness.queues.take());
            harness.clock.advance(PAST_TWO_TIMEOUTS);
            harness.reconcile();
            sends += harness.queues.sent().size();
        }

        assertThat(sends).as("the release and its re-sends").isEqualTo(1 + RunRecovery.MAX_RESENDS);
        assertThat(harness.run(run.id()).status()).isEqualTo(RunStatus.FINISHED_WITH_ERRORS);
        assertThat(harness.dispatch.counts(run.id()).get(Phase.PRODUCTS)).isEqualTo(new PhaseCounts(3, 0, 3, 0));
        assertThat(harness.chunks.find(new ChunkRef(run.id(), Phase.PRODUCTS, 0)).orElseThrow().entries()).allSatisfy(entry -> {
            assertThat(entry.status()).isEqualTo(EntryStatus.FAILED);
            assertThat(entry.error()).startsWith("lost: the chunk was sent 4 times");
        });
        assertThat(harness.app.received()).containsExactly("synchronization_ended finished_with_errors");
        assertThat(harness.signals(Signal.ChunkLost.class)).singleElement().satisfies(lost -> {
            assertThat(lost.entries()).isEqualTo(3);
            assertThat(lost.resends()).isEqualTo(RunRecovery.MAX_RESENDS);
        });
        assertThat(harness.active.holder(harness.installation.id())).isEmpty();
    }

    @Test
    void reconcile_whenOneRunThrows_reportsItWithItsIdAndStillMovesTheOthers() {
        Run broken = harness.trigger();
        // In execution without a dispatch state: reading it fails on every pass.
        harness.runs.put(new Run(broken.id(), broken.installationId(), broken.mode(), broken.snapshotId(), RunStatus.EXECUTION, null,
                broken.createdAt(), harness.now(), Map.of()));
        Installation other = harness.installations.install(
                new InstallationRequest("shop-export", "Shop FR", "https://pim.example.com/api", null, null)).installation();
        harness.clock.advance(Duration.ofSeconds(1));
        Run stalled = harness.control.trigger(new TriggerRequest(other.id(), SyncMode.INCREMENTAL, "catalog-1", null));

        harness.clock.advance(Duration.ofMinutes(91));
        assertThat(harness.reconcile()).isEqualTo(1);

        assertThat(harness.queues.prepared()).containsExactly(broken.id(), stalled.id(), stalled.id());
        assertThat(harness.signals(Signal.ReconcileFailed.class)).singleElement().satisfies(failed -> {
            assertThat(failed.runId()).isEqualTo(broken.id());
            assertThat(failed.installationId()).isEqualTo(harness.installation.id());
            assertThat(failed.error()).startsWith("NoSuchElementException");
        });
    }

    @Test
    void reconcile_whenARunInExecutionMovedWithinTheStallLimit_leavesItAlone() {
        Run run = harness.planned(2, 3);
        List<ChunkRef> taken = harness.queues.take();
        harness.queues.waiting(0);

        harness.clock.advance(EngineHarness.STALLED_AFTER.minusMinutes(1));
        assertThat(harness.reconcile()).isZero();

        assertThat(harness.queues.sent()).isEmpty();
        assertThat(harness.signals(Signal.Resent.class)).isEmpty();
        assertThat(harness.run(run.id()).status()).isEqualTo(RunStatus.EXECUTION);
        taken.forEach(ref -> harness.delivery.deliver(ref, harness.now().plusSeconds(110)));
        assertThat(harness.run(run.id()).status()).isEqualTo(RunStatus.FINISHED);
    }

    @Test
    void reconcile_whenTheLastPhaseWasAdvancedButTheRunNotFinished_finishesItAndTellsTheAppOnce() {
        Run run = harness.planned(1, 3);
        ChunkRef ref = harness.queues.take().getFirst();
        // A worker counted the chunk and moved the run past its last phase, then died before ending the run.
        recordAndCount(ref, 3);
        harness.dispatch.advance(run.id(), Phase.PRODUCTS, Optional.empty(), harness.now());
        harness.app.forget();

        harness.clock.advance(PAST_ONE_TIMEOUT);
        assertThat(harness.reconcile()).isEqualTo(1);
        harness.reconcile();

        assertThat(harness.run(run.id()).status()).isEqualTo(RunStatus.FINISHED);
        assertThat(harness.app.received()).containsExactly("synchronization_ended finished");
        assertThat(harness.active.holder(harness.installation.id())).isEmpty();
    }

    @Test
    void reconcile_whenAChunkWasSentAgainLessThanAStallLimitAgo_waitsForThatMessageBeforeSendingItOnceMore() {
        harness.planned(1, 3);
        harness.queues.waiting(0);
        harness.queues.take(); // the release vanished
        harness.clock.advance(PAST_ONE_TIMEOUT);
        harness.reconcile();
        List<ChunkRef> resent = harness.queues.take(); // and so did the re-send
        assertThat(resent).hasSize(1);

        harness.clock.advance(EngineHarness.STALLED_AFTER.minusMinutes(1));
        harness.reconcile();
        assertThat(harness.queues.sent()).as("the re-send may still reach a worker").isEmpty();

        harness.clock.advance(Duration.ofMinutes(2));
        harness.reconcile();
        assertThat(harness.queues.sent()).containsExactlyElementsOf(resent);
        assertThat(harness.dispatch.stamps(resent.getFirst().runId(), Phase.PRODUCTS, 0).resends()).isEqualTo(2);
    }

    @Test
    void reconcile_whenAWorkerDiedBeforeReleasingTheNextChunk_fillsTheWindowWithoutSendingQueuedChunksAgain() {
        Run run = harness.planned(3, 2);
        List<ChunkRef> window = harness.queues.take();
        ChunkRef done = window.getFirst();
        // The worker of chunk 0 recorded, counted and completed it, then died before releasing chunk 2.
        recordAndCount(done, 2);
        harness.dispatch.complete(run.id(), done.phase(), done.chunk(), false, harness.now());
        harness.queues.waiting(5_000); // chunk 1 waits behind other installations' work

        harness.clock.advance(PAST_ONE_TIMEOUT);
        assertThat(harness.reconcile()).isEqualTo(1);

        assertThat(harness.queues.sent()).containsExactly(new ChunkRef(run.id(), Phase.PRODUCTS, 2));
        assertThat(harness.signals(Signal.Resent.class)).isEmpty();
    }

    /** What a worker does with a chunk whose entries all succeeded, up to counting them. */
    private void recordAndCount(ChunkRef ref, int entries) {
        ChunkResult result = succeeded(ref, entries);
        harness.chunks.record(result);
        harness.dispatch.count(ref.runId(), ref.phase(), ref.chunk(), result.counts(), harness.now());
    }

    private static ChunkResult succeeded(ChunkRef ref, int entries) {
        List<EntryResult> results = new java.util.ArrayList<>();
        for (int i = 0; i < entries; i++) {
            results.add(new EntryResult(i, dev.syncline.core.snapshot.Product.of("SKU-" + ref.chunk() + "-" + i, "SIMPLE").key(),
                    "product_created", EntryStatus.SUCCEEDED, 1, 204, null, 5, null, false));
        }
        return new ChunkResult(ref, results);
    }
}
