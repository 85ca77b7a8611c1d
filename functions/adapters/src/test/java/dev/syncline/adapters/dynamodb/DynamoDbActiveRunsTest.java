package dev.syncline.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.syncline.adapters.aws.AwsClientFactory;
import dev.syncline.adapters.aws.EmulatorClients;
import dev.syncline.core.sync.ActiveRuns.ActiveRun;
import dev.syncline.core.tenant.TenantId;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@AwsIntegrationTest
class DynamoDbActiveRunsTest {

    private AwsClientFactory clients;
    private DynamoDbActiveRuns active;

    @BeforeEach
    void setUp(AwsStack stack) {
        clients = EmulatorClients.factory(stack);
        active = new DynamoDbActiveRuns(clients.dynamoDb(), stack.names().table(), new TickingClock(Instant.parse("2026-11-25T10:00:00Z")));
    }

    @AfterEach
    void tearDown() {
        clients.close();
    }

    @Test
    void activeCount_countsTheTenantsHeldInstallationsOnly_andFallsWhenOneIsReleased() {
        TenantId acme = new TenantId("acme-shop");
        UUID first = UUID.randomUUID();
        UUID firstRun = UUID.randomUUID();
        active.acquire(first, acme, firstRun);
        active.acquire(UUID.randomUUID(), acme, UUID.randomUUID());
        active.acquire(UUID.randomUUID(), new TenantId("other-shop"), UUID.randomUUID());
        active.acquire(UUID.randomUUID(), UUID.randomUUID());

        assertThat(active.activeCount(acme)).isEqualTo(2);
        assertThat(active.activeCount(new TenantId("other-shop"))).isEqualTo(1);
        assertThat(active.activeCount(TenantId.DEFAULT)).isEqualTo(1);
        active.release(first, firstRun);
        assertThat(active.activeCount(acme)).isEqualTo(1);
        assertThat(active.activeCount(new TenantId("nobody-here"))).isZero();
    }

    @Test
    void acquire_whileAnotherRunIsActive_namesThatRunAndLeavesItActive() {
        UUID installation = UUID.randomUUID();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();

        assertThat(active.acquire(installation, first)).isEmpty();
        assertThat(active.acquire(installation, second)).contains(first);

        assertThat(active.list()).extracting(ActiveRun::installationId, ActiveRun::runId).containsExactly(tuple(installation, first));
    }

    @Test
    void acquire_repeatedByTheActiveRun_succeedsAgain() {
        UUID installation = UUID.randomUUID();
        UUID run = UUID.randomUUID();
        active.acquire(installation, run);

        assertThat(active.acquire(installation, run)).isEmpty();
        assertThat(active.list()).extracting(ActiveRun::installationId, ActiveRun::runId).containsExactly(tuple(installation, run));
    }

    @Test
    void acquire_byManyRunsAtOnce_letsExactlyOneIn() throws Exception {
        UUID installation = UUID.randomUUID();
        List<UUID> candidates = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            candidates.add(UUID.randomUUID());
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Optional<UUID>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(candidates.size())) {
            List<Future<Optional<UUID>>> futures = new ArrayList<>();
            for (UUID run : candidates) {
                futures.add(pool.submit((Callable<Optional<UUID>>) () -> {
                    start.await();
                    return active.acquire(installation, run);
                }));
            }
            start.countDown();
            for (Future<Optional<UUID>> future : futures) {
                answers.add(future.get());
            }
        }

        assertThat(answers).filteredOn(Optional::isEmpty).hasSize(1);
        UUID winner = candidates.get(answers.indexOf(Optional.<UUID>empty()));
        assertThat(answers).filteredOn(Optional::isPresent).allSatisfy(a -> assertThat(a).contains(winner));
        assertThat(active.list()).extracting(ActiveRun::installationId, ActiveRun::runId).containsExactly(tuple(installation, winner));
    }

    @Test
    void release_byAnotherRun_leavesTheActiveRunInPlace() {
        UUID installation = UUID.randomUUID();
        UUID run = UUID.randomUUID();
        active.acquire(installation, run);

        active.release(installation, UUID.randomUUID());

        assertThat(active.acquire(installation, UUID.randomUUID())).contains(run);
        assertThat(active.list()).extracting(ActiveRun::installationId, ActiveRun::runId).containsExactly(tuple(installation, run));
    }

    @Test
    void release_byTheActiveRun_freesTheInstallationForTheNext_andRepeatingItIsHarmless() {
        UUID installation = UUID.randomUUID();
        UUID run = UUID.randomUUID();
        UUID next = UUID.randomUUID();
        active.acquire(installation, run);

        active.release(installation, run);
        active.release(installation, run);

        assertThat(active.list()).isEmpty();
        assertThat(active.acquire(installation, next)).isEmpty();
        active.release(installation, run);
        assertThat(active.list()).extracting(ActiveRun::installationId, ActiveRun::runId).containsExactly(tuple(installation, next));
    }

    @Test
    void list_showsEveryInstallationsActiveRun_oldestFirst() {
        List<ActiveRun> runs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ActiveRun run = new ActiveRun(UUID.randomUUID(), UUID.randomUUID(), Instant.EPOCH);
            active.acquire(run.installationId(), run.runId());
            runs.add(run);
        }
        active.release(runs.get(2).installationId(), runs.get(2).runId());

        assertThat(active.list()).extracting(ActiveRun::runId)
                .containsExactly(runs.get(0).runId(), runs.get(1).runId(), runs.get(3).runId(), runs.get(4).runId());
        assertThat(active.list()).extracting(ActiveRun::acquiredAt).isSorted();
    }

    /** Moves one second on every reading, so acquisitions have distinct times. */
    private static final class TickingClock extends Clock {

        private Instant now;

        TickingClock(Instant start) {
            this.now = start;
        }

        @Override
        public synchronized Instant instant() {
            now = now.plus(Duration.ofSeconds(1));
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void holder_namesTheRunHoldingTheInstallationAndSinceWhen_andNothingOnceReleased() {
        UUID installation = UUID.randomUUID();
        UUID run = UUID.randomUUID();
        assertThat(active.holder(installation)).isEmpty();
        active.acquire(installation, run);

        ActiveRun holder = active.holder(installation).orElseThrow();

        assertThat(holder.runId()).isEqualTo(run);
        assertThat(holder.installationId()).isEqualTo(installation);
        assertThat(holder.acquiredAt()).isAfterOrEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
        active.release(installation, run);
        assertThat(active.holder(installation)).isEmpty();
    }
}
