package dev.syncline.core.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.core.delivery.ChunkRef;
import dev.syncline.core.delivery.ChunkWork;
import dev.syncline.core.telemetry.Signal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A worker that goes on with the chunks the window lets go ({@link ChunkDelivery#deliverAndContinue}) while the chunks
 * it delivered are accounted for beside it, on in-memory fakes: what the App receives and in what order, how the run
 * ends, that a cancel still stops it, and that a worker stopped between freeing a chunk's slot and counting it loses
 * nothing.
 */
class ContinuingDeliveryTest {

    private static final Duration WORKER_TIME = Duration.ofSeconds(110);
    private static final Duration PAST_TWO_TIMEOUTS = EngineHarness.STALLED_AFTER.multipliedBy(2).plusMinutes(1);

    private final EngineHarness harness = new EngineHarness();

    @Test
    void deliverAndContinue_takesTheChunksTheWindowLetsGoAndTheNextPhase_andTheAppGetsEveryEntryOnceInPhaseOrder() {
        Run run = harness.planned(Map.of(Phase.PRODUCTS, 5, Phase.RELATIONS, 3), 2);
        List<ChunkRef> window = harness.queues.take();
        assertThat(window).hasSize(EngineHarness.WINDOW);

        deliver(window.getFirst());

        assertThat(harness.queues.sent()).as("the worker took the chunks the window let go itself, none went to the queue").isEmpty();
        assertThat(consumed()).as("chunk 1 waits in the queue; the worker went on with 2, 3 and 4")
                .containsExactlyInAnyOrder("product_created SKU-0-0", "product_created SKU-0-1", "product_created SKU-2-0", "product_created SKU-2-1",
                        "product_created SKU-3-0", "product_created SKU-3-1", "product_created SKU-4-0", "product_created SKU-4-1");
        assertThat(harness.dispatch.counts(run.id()).get(Phase.PRODUCTS)).isEqualTo(new PhaseCounts(10, 8, 0, 0));

        deliver(window.get(1)); // its count completes the phase: this worker goes on with the relations
        harness.continuingWorkers(5);

        List<String> consumed = consumed();
        assertThat(consumed).hasSize(16).doesNotHaveDuplicates();
        assertThat(consumed.subList(0, 10)).as("every product before any relation").allMatch(request -> request.startsWith("product_created"));
        assertThat(consumed.subList(10, 16)).allMatch(request -> request.startsWith("product_updated REL-"));
        assertThat(harness.dispatch.counts(run.id())).containsEntry(Phase.PRODUCTS, new PhaseCounts(10, 10, 0, 0))
                .containsEntry(Phase.RELATIONS, new PhaseCounts(6, 6, 0, 0));
        assertThat(harness.run(run.id()).status()).isEqualTo(RunStatus.FINISHED);
        assertThat(harness.app.received()).filteredOn(request -> request.startsWith("synchronization_ended")).containsExactly("synchronization_ended finished");
        assertThat(harness.signals(Signal.ChunkDelivered.class)).as("each chunk's figures, reported once").hasSize(8);
        assertThat(harness.active.holder(harness.installation.id())).isEmpty();
    }

    @Test
    void deliverAndContinue_whenItsTimeLeavesTooLittleRoom_handsTheNextChunkToTheQueueInsteadOfTakingIt() {
        Run run = harness.planned(3, 2);
        List<ChunkRef> window = harness.queues.take();
        Duration tooLittle = ChunkDelivery.CONTINUE_RESERVE.minusSeconds(1);

        harness.delivery.deliverAndContinue(ChunkWork.of(window.getFirst()), harness.now().plus(tooLittle));

        assertThat(consumed()).containsExactlyInAnyOrder("product_created SKU-0-0", "product_created SKU-0-1");
        assertThat(harness.queues.sent()).containsExactly(new ChunkRef(run.id(), Phase.PRODUCTS, 2));
        assertThat(harness.dispatch.counts(run.id()).get(Phase.PRODUCTS)).as("its own chunk recorded before it returned")
                .isEqualTo(new PhaseCounts(6, 2, 0, 0));
    }

    @Test
    void deliverAndContinue_whenTheRunIsCancelledMidChunk_takesNoFurtherChunkAndTheAppHearsNoneOfThem() {
        Run run = harness.planned(4, 20);
        List<ChunkRef> window = harness.queues.take();
        AtomicBoolean cancelled = new AtomicBoolean();
        harness.app.onConsume(request -> {
            if (cancelled.compareAndSet(false, true)) {
                harness.control.cancel(run.id());
            }
        });

        deliver(window.getFirst());
        window.subList(1, window.size()).forEach(this::deliver);
        harness.continuingWorkers(5);

        assertThat(consumed()).as("only the first chunk had requests going when the cancel came").isNotEmpty()
                .allMatch(request -> request.startsWith("product_created SKU-0-"));
        assertThat(harness.queues.sent()).isEmpty();
        assertThat(harness.run(run.id()).status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(harness.app.received()).filteredOn(request -> request.startsWith("synchronization_ended"))
                .containsExactly("synchronization_ended cancelled");
        assertThat(harness.active.holder(harness.installation.id())).isEmpty();
    }

    @Test
    void deliverAndContinue_whenTheWorkerStopsBeforeRecordingAChunkItTookItself_theReconcilerSendsItAgainAndTheRunEndsWithNothingLost() {
        Run run = harness.planned(4, 2);
        List<ChunkRef> window = harness.queues.take();
        ChunkRef takenItself = new ChunkRef(run.id(), Phase.PRODUCTS, 2);
        harness.chunks.failNextRecording(takenItself);

        assertThatThrownBy(() -> deliver(window.getFirst())).as("the message fails, so SQS delivers it again")
                .hasMessageContaining("stopped before it recorded");
        assertThat(consumed()).contains("product_created SKU-2-0", "product_created SKU-2-1");
        assertThat(harness.dispatch.state(run.id()).orElseThrow().open()).as("its slot was freed before the recording")
                .doesNotContain(2);

        deliver(window.getFirst()); // SQS delivers the failed message again: its chunk was accounted for, nothing is sent
        window.subList(1, window.size()).forEach(this::deliver);
        harness.continuingWorkers(5);
        assertThat(harness.run(run.id()).status()).as("chunk 2 is neither open nor counted").isEqualTo(RunStatus.EXECUTION);

        harness.clock.advance(PAST_TWO_TIMEOUTS);
        harness.reconcile();
        assertThat(harness.queues.sent()).containsExactly(takenItself);
        harness.continuingWorkers(5);

        assertThat(consumed()).as("every entry received, those of chunk 2 once more")
                .containsExactlyInAnyOrder("product_created SKU-0-0", "product_created SKU-0-1", "product_created SKU-1-0", "product_created SKU-1-1",
                        "product_created SKU-2-0", "product_created SKU-2-1", "product_created SKU-2-0", "product_created SKU-2-1",
                        "product_created SKU-3-0", "product_created SKU-3-1");
        assertThat(harness.dispatch.counts(run.id()).get(Phase.PRODUCTS)).as("counted once").isEqualTo(new PhaseCounts(8, 8, 0, 0));
        assertThat(harness.run(run.id()).status()).isEqualTo(RunStatus.FINISHED);
        assertThat(harness.app.received()).filteredOn(request -> request.startsWith("synchronization_ended")).hasSize(1);
    }

    private void deliver(ChunkRef ref) {
        harness.delivery.deliverAndContinue(ChunkWork.of(ref), harness.now().plus(WORKER_TIME));
    }

    private List<String> consumed() {
        return harness.app.received().stream().filter(request -> request.startsWith("product_")).toList();
    }
}
