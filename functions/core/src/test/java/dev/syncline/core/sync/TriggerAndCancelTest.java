package dev.syncline.core.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.core.delivery.ChunkRef;
import dev.syncline.core.installation.InstallationStatus;
import dev.syncline.core.plan.PlanTotals;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Trigger, cancel and uninstall on in-memory fakes: what the API answers, what the App hears, whether the installation is free. */
class TriggerAndCancelTest {

    private final EngineHarness harness = new EngineHarness();

    @Test
    void trigger_whenThePrepareMessageFailsTwice_queuesItOnTheThirdAttemptWithinTheRequest() {
        harness.queues.failNextPrepares(2);

        Run run = harness.trigger();

        assertThat(run.status()).isEqualTo(RunStatus.PREPARING);
        assertThat(harness.queues.prepareAttempts()).isEqualTo(RunControl.ENQUEUE_ATTEMPTS);
        assertThat(harness.queues.prepared()).containsExactly(run.id());
    }

    @Test
    void trigger_whenThePrepareMessageCannotBeQueued_endsTheRunFailedAndTheNextTriggerStartsARun() {
        harness.queues.failNextPrepares(RunControl.ENQUEUE_ATTEMPTS);

        Run failed = harness.trigger();

        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.reason()).isEqualTo("The run could not be queued for planning (IllegalStateException: the control queue is"
                + " unavailable); nothing was sent to the App. Trigger it again.");
        assertThat(harness.run(failed.id()).status()).isEqualTo(RunStatus.FAILED);
        assertThat(harness.active.holder(harness.installation.id())).isEmpty();
        Run next = harness.trigger();
        assertThat(next.status()).isEqualTo(RunStatus.PREPARING);
        assertThat(harness.queues.prepared()).containsExactly(next.id());
        assertThat(harness.app.received()).isEmpty();
    }

    @Test
    void trigger_whenAnIdempotencyKeyNamesARunItsCrashedRequestNeverCreated_startsARunUnderItOnceTheHoldIsAMinuteOld() {
        UUID ghost = UUID.randomUUID();
        // What a request leaves that died between remembering its key and creating its run.
        harness.active.acquire(harness.installation.id(), ghost);
        harness.runs.rememberIdempotencyKey(harness.installation.id(), "pim-request-7", ghost);

        assertThatThrownBy(() -> harness.trigger("pim-request-7")).isInstanceOf(ActiveRunConflictException.class);

        harness.clock.advance(RunControl.TRIGGER_TIME_LIMIT);
        Run run = harness.trigger("pim-request-7");

        assertThat(run.id()).isNotEqualTo(ghost);
        assertThat(run.status()).isEqualTo(RunStatus.PREPARING);
        assertThat(harness.queues.prepared()).containsExactly(run.id());
        assertThat(harness.trigger("pim-request-7").id()).as("a retry with the key gets that run").isEqualTo(run.id());
    }

    @Test
    void cancel_whilePreparing_endsTheRunAndThePlannerThatPicksItUpLaterDoesNothing() {
        Run run = harness.trigger();

        Run cancelled = harness.control.cancel(run.id());
        harness.planning.prepare(run.id()); // the planner is not wired: reaching it would fail

        assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(harness.run(run.id()).status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(harness.app.received()).as("the App never heard of the run").isEmpty();
        assertThat(harness.trigger().status()).as("the installation is free").isEqualTo(RunStatus.PREPARING);
    }

    @Test
    void cancel_whenThePlannerMovesTheRunToExecutionMeanwhile_cancelsItAndTheAppHearsBothStartAndEnd() {
        Run run = harness.trigger();
        harness.runs.beforeNextTransition(() -> {
            harness.app.notify(null, "synchronization_started", Map.of(), "synchronization_started");
            Map<Phase, int[]> plan = new EnumMap<>(Phase.class);
            plan.put(Phase.PRODUCTS, new int[] {3});
            harness.dispatch.planned(run.id(), new PlanTotals(plan, 0), Optional.of(Phase.PRODUCTS), 2, harness.now());
        });

        Run cancelled = harness.control.cancel(run.id());

        assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(harness.app.received()).containsExactly("synchronization_started", "synchronization_ended cancelled");
    }

    @Test
    void deliver_whenTheRunIsCancelledWhileAChunkIsDelivered_startsNoMoreThanOneBatchAfterTheAppHeardTheEnd() {
        Run run = harness.planned(1, 10);
        AtomicBoolean cancelled = new AtomicBoolean();
        harness.app.onConsume(request -> {
            harness.clock.advance(Duration.ofSeconds(1)); // a slow App: the worker checks the run after every batch
            if (cancelled.compareAndSet(false, true)) { // at the App's first product request
                harness.control.cancel(run.id());
            }
        });

        harness.workers(3);

        List<String> received = harness.app.received();
        assertThat(received).contains("synchronization_ended cancelled");
        assertThat(received.subList(received.indexOf("synchronization_ended cancelled"), received.size()))
                .as("after the end notice, at most the batch in flight (the chunk sends 2 at a time)")
                .filteredOn(line -> line.startsWith("product_created")).hasSizeLessThanOrEqualTo(EngineHarness.PARALLELISM);
        long sent = received.stream().filter(line -> line.startsWith("product_created")).count();
        assertThat(sent).as("the cancel came at the first of 10 requests").isLessThan(10);
        assertThat(harness.dispatch.counts(run.id()).get(Phase.PRODUCTS)).as("what was not sent ended cancelled")
                .isEqualTo(new PhaseCounts(10, sent, 0, 10 - sent));
    }

    @Test
    void uninstall_whileARunDelivers_cancelsItFirstSoTheAppHearsItsEndBeforeAppUninstalledAndNothingAfter() {
        Run run = harness.planned(3, 2);
        List<ChunkRef> inFlight = harness.queues.sent();

        harness.control.uninstall(harness.installation.id());
        harness.workers(5);

        assertThat(inFlight).hasSize(EngineHarness.WINDOW);
        assertThat(harness.run(run.id()).status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(harness.installations.find(harness.installation.id()).status()).isEqualTo(InstallationStatus.UNINSTALLED);
        assertThat(harness.app.received()).containsExactly("synchronization_started", "synchronization_ended cancelled", "app_uninstalled");
        assertThat(harness.dispatch.counts(run.id()).get(Phase.PRODUCTS)).isEqualTo(new PhaseCounts(6, 0, 0, 4));
        assertThat(harness.active.holder(harness.installation.id())).isEmpty();
    }

    @Test
    void uninstall_withoutAnActiveRun_uninstallsAndTellsTheApp() {
        harness.control.uninstall(harness.installation.id());

        assertThat(harness.app.received()).containsExactly("app_uninstalled");
        harness.clock.advance(Duration.ofMinutes(1));
        assertThat(harness.active.list()).isEmpty();
    }
}
