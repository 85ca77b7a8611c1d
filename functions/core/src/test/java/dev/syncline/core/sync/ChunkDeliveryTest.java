package dev.syncline.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.core.delivery.ChunkRef;
import dev.syncline.core.delivery.ChunkResults;
import dev.syncline.core.delivery.ChunkWork;
import dev.syncline.core.delivery.DeliveryAttempt;
import dev.syncline.core.delivery.EntryResult;
import dev.syncline.core.delivery.EntryStatus;
import dev.syncline.core.telemetry.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The worker's side of a run on in-memory fakes: what the App receives for a chunk message, however often it comes and
 * however little time the worker has, and how the last chunk ends the run.
 */
class ChunkDeliveryTest {

    /** The worker's deadline as the harness gives it: its timeout (120 s) less a margin. */
    private static final Duration WORKER_TIME = Duration.ofSeconds(110);
    /** How long the slow App below takes to answer: three attempts fit one worker's time, not a fourth. */
    private static final Duration SLOW_ANSWER = Duration.ofSeconds(40);
    /** Slower still: two attempts fit one worker's time, so an entry's six attempts take three passes. */
    private static final Duration SLOWER_ANSWER = Duration.ofSeconds(50);

    private final EngineHarness harness = new EngineHarness();

    @Test
    void deliver_whenAChunkMessageComesTwice_sendsItsEntriesToTheAppOnceAndCountsThemOnce() {
        Run run = harness.planned(2, 3);
        ChunkRef first = harness.queues.take().getFirst();

        deliver(ChunkWork.of(first));
        deliver(ChunkWork.of(first));

        assertThat(consumed()).containsExactlyInAnyOrder("product_created SKU-0-0", "product_created SKU-0-1", "product_created SKU-0-2");
        assertThat(harness.dispatch.counts(run.id()).get(Phase.PRODUCTS)).isEqualTo(new PhaseCounts(6, 3, 0, 0));
        assertThat(harness.signals(Signal.ChunkDelivered.class)).as("the chunk's figures, reported once").hasSize(1);
        assertThat(harness.run(run.id()).status()).isEqualTo(RunStatus.EXECUTION);
    }

    @Test
    void deliver_whenTheDeadlineComes_handsOpenEntriesOnWithTheirAttemptsAndNeverExceedsTheRetryBudget() {
        Run run = harness.planned(1, 2);
        ChunkRef ref = harness.queues.take().getFirst();
        slowFailing("SKU-0-1", SLOW_ANSWER, 1);

        deliver(ChunkWork.of(ref));

        assertThat(harness.queues.handedOn()).containsExactly(new ChunkWork(ref, 1));
        ChunkResults.Pass recorded = harness.chunks.latestPass(ref).orElseThrow();
        assertThat(recorded.pass()).isZero();
        EntryResult succeeded = recorded.progress().entries().get(0);
        EntryResult open = recorded.progress().entries().get(1);
        assertThat(succeeded.status()).isEqualTo(EntryStatus.SUCCEEDED);
        assertThat(open.status()).isEqualTo(EntryStatus.PLANNED);
        assertThat(open.attempts()).isEqualTo(3).isEqualTo(attemptsOf("SKU-0-1"));
        assertThat(harness.chunks.find(ref)).as("nothing accounted before the last entry ended").isEmpty();
        assertThat(harness.dispatch.counts(run.id()).get(Phase.PRODUCTS)).isEqualTo(new PhaseCounts(2, 0, 0, 0));

        for (int pass = 1; pass <= 5 && harness.chunks.find(ref).isEmpty(); pass++) {
            assertThat(harness.queues.handedOn()).as("each pass hands on the next one").last().isEqualTo(new ChunkWork(ref, pass));
            deliver(new ChunkWork(ref, pass));
        }

        int maxAttempts = harness.installation.dispatch().retryBudget() + 1;
        assertThat(attemptsOf("SKU-0-1")).as("retry_budget + 1 over all passes").isEqualTo(maxAttempts);
        assertThat(attemptsOf("SKU-0-0")).as("an entry that ended is not sent on the next pass").isEqualTo(1);
        EntryResult failed = harness.chunks.find(ref).orElseThrow().entries().get(1);
        assertThat(failed.status()).isEqualTo(EntryStatus.FAILED);
        assertThat(failed.attempts()).isEqualTo(maxAttempts);
        assertThat(failed.error()).startsWith("gave up after " + maxAttempts + " attempts");
        assertThat(harness.run(run.id()).status()).isEqualTo(RunStatus.FINISHED_WITH_ERRORS);
        assertThat(harness.dispatch.counts(run.id()).get(Phase.PRODUCTS)).isEqualTo(new PhaseCounts(2, 1, 1, 0));
    }

    @Test
    void deliver_whenARecordedPassComesAgain_onlyHandsOnTheNextPassAndTheAppHearsNothing() {
        harness.planned(1, 2);
        ChunkRef ref = harness.queues.take().getFirst();
        slowFailing("SKU-0-1", SLOW_ANSWER, 1);
        deliver(ChunkWork.of(ref));
        int requests = harness.app.received().size();

        deliver(ChunkWork.of(ref)); // SQS redelivers pass 0, or the reconciler sends the chunk again

        assertThat(harness.app.received()).hasSize(requests);
        assertThat(harness.queues.handedOn()).containsExactly(new ChunkWork(ref, 1), new ChunkWork(ref, 1));
        assertThat(harness.chunks.latestPass(ref).orElseThrow().pass()).isZero();
    }

    @Test
    void deliver_whenTheFirstPassComesAgainAfterLaterPasses_handsOnThePassAfterTheLatestRecordedAndStaleOnesDoNothing() {
        harness.planned(1, 1);
        ChunkRef ref = harness.queues.take().getFirst();
        slowFailing("SKU-0-0", SLOWER_ANSWER, 0);
        deliver(ChunkWork.of(ref));
        deliver(new ChunkWork(ref, 1));
        assertThat(harness.chunks.latestPass(ref).orElseThrow().pass()).isEqualTo(1);
        assertThat(harness.queues.handedOn()).containsExactly(new ChunkWork(ref, 1), new ChunkWork(ref, 2));
        int requests = harness.app.received().size();

        deliver(ChunkWork.of(ref)); // the reconciler sends the chunk again: its message names the first pass
        deliver(new ChunkWork(ref, 1)); // a duplicate of the latest recorded pass
        deliver(new ChunkWork(ref, 3)); // a pass whose predecessor was never recorded

        assertThat(harness.app.received()).hasSize(requests);
        assertThat(harness.queues.handedOn()).containsExactly(new ChunkWork(ref, 1), new ChunkWork(ref, 2), new ChunkWork(ref, 2),
                new ChunkWork(ref, 2));
        assertThat(harness.chunks.latestPass(ref).orElseThrow().pass()).isEqualTo(1);
    }

    @Test
    void deliver_whenAPassIsDeliveredBySecondWorkerMeanwhile_theSecondIsRefusedByTheLeaseAndTheAppHearsEachEntryOnce() {
        Run run = harness.planned(1, 3);
        ChunkRef ref = harness.queues.take().getFirst();
        AtomicBoolean duplicateSent = new AtomicBoolean();
        harness.app.onConsume(request -> {
            if (duplicateSent.compareAndSet(false, true)) {
                // SQS hands the same message to a second worker while the first is calling the App.
                deliver(ChunkWork.of(ref));
            }
        });

        deliver(ChunkWork.of(ref));

        assertThat(duplicateSent).isTrue();
        assertThat(consumed()).containsExactlyInAnyOrder("product_created SKU-0-0", "product_created SKU-0-1", "product_created SKU-0-2");
        assertThat(harness.dispatch.counts(run.id()).get(Phase.PRODUCTS)).isEqualTo(new PhaseCounts(3, 3, 0, 0));
        assertThat(harness.run(run.id()).status()).isEqualTo(RunStatus.FINISHED);
    }

    @Test
    void deliver_whenTheLeaseOfAStoppedWorkerRanOut_anotherWorkerDeliversThePass() {
        Run run = harness.planned(1, 2);
        ChunkRef ref = harness.queues.take().getFirst();
        Instant stoppedWorkersDeadline = harness.now().plus(WORKER_TIME);
        harness.chunks.lease(ChunkWork.of(ref), stoppedWorkersDeadline.plus(ChunkDelivery.PASS_LEASE_SLACK), harness.now());

        deliver(ChunkWork.of(ref));
        assertThat(consumed()).as("the lease is held").isEmpty();

        harness.clock.advance(WORKER_TIME.plus(ChunkDelivery.PASS_LEASE_SLACK));
        deliver(ChunkWork.of(ref));

        assertThat(consumed()).containsExactlyInAnyOrder("product_created SKU-0-0", "product_created SKU-0-1");
        assertThat(harness.run(run.id()).status()).isEqualTo(RunStatus.FINISHED);
    }

    @Test
    void deliver_whenTheRunWasCancelled_sendsTheAppNothingAndEndsTheChunksEntriesCancelled() {
        Run run = harness.planned(2, 3);
        List<ChunkRef> inFlight = harness.queues.take();
        harness.control.cancel(run.id());
        harness.app.forget();

        inFlight.forEach(ref -> deliver(ChunkWork.of(ref)));

        assertThat(harness.app.received()).isEmpty();
        assertThat(harness.chunks.find(inFlight.getFirst()).orElseThrow().entries())
                .extracting(EntryResult::status).containsOnly(EntryStatus.CANCELLED);
        assertThat(harness.run(run.id()).status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(harness.active.holder(harness.installation.id())).isEmpty();
    }

    @Test
    void deliver_whenTheLastChunkEnds_finishesTheRunTellsTheAppOnceAndFreesTheInstallation() {
        Run run = harness.planned(3, 2);
        List<ChunkRef> window = harness.queues.take();
        assertThat(window).as("the window's first chunks").hasSize(EngineHarness.WINDOW);
        window.forEach(ref -> deliver(ChunkWork.of(ref)));
        List<ChunkRef> released = harness.queues.take();
        assertThat(released).containsExactly(new ChunkRef(run.id(), Phase.PRODUCTS, 2));
        assertThat(harness.run(run.id()).status()).isEqualTo(RunStatus.EXECUTION);

        deliver(ChunkWork.of(released.getFirst()));
        deliver(ChunkWork.of(released.getFirst())); // a duplicate of the last message

        assertThat(harness.run(run.id()).status()).isEqualTo(RunStatus.FINISHED);
        assertThat(harness.app.received()).last().isEqualTo("synchronization_ended finished");
        assertThat(harness.app.received()).filteredOn(request -> request.startsWith("synchronization_ended")).hasSize(1);
        assertThat(harness.signals(Signal.RunEnded.class)).singleElement()
                .satisfies(ended -> assertThat(ended.status()).isEqualTo(RunStatus.FINISHED));
        assertThat(harness.active.holder(harness.installation.id())).isEmpty();
        assertThat(harness.dispatch.counts(run.id()).get(Phase.PRODUCTS)).isEqualTo(new PhaseCounts(6, 6, 0, 0));
    }

    private void deliver(ChunkWork work) {
        harness.delivery.deliver(work, harness.now().plus(WORKER_TIME));
    }

    /**
     * The App answers every request for {@code sku} with 503, each after {@code after}, and the chunk's other entries
     * at once. Its first slow answer waits (a few seconds at most) until the other entries were answered, so that they
     * end before the worker's time runs out whichever request the threads start first.
     */
    private void slowFailing(String sku, Duration after, int others) {
        CountDownLatch othersAnswered = new CountDownLatch(others);
        harness.app.answer(request -> {
            if (!request.resource().id().equals(sku)) {
                othersAnswered.countDown();
                return RecordingApp.ACCEPTED;
            }
            try {
                othersAnswered.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            harness.clock.advance(after);
            return new DeliveryAttempt.Answered(503, "busy", null, null);
        });
    }

    private List<String> consumed() {
        return harness.app.received().stream().filter(request -> request.startsWith("product_")).toList();
    }

    private int attemptsOf(String sku) {
        return (int) harness.app.received().stream().filter(request -> request.endsWith(" " + sku)).count();
    }
}
