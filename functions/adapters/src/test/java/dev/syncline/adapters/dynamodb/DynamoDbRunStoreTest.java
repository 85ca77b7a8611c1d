package dev.syncline.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.adapters.aws.AwsClientFactory;
import dev.syncline.adapters.aws.EmulatorClients;
import dev.syncline.core.sync.Phase;
import dev.syncline.core.sync.PhaseCounts;
import dev.syncline.core.sync.Run;
import dev.syncline.core.sync.RunConflictException;
import dev.syncline.core.sync.RunNotFoundException;
import dev.syncline.core.sync.RunStatus;
import dev.syncline.core.sync.SyncMode;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@AwsIntegrationTest
class DynamoDbRunStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private AwsClientFactory clients;
    private DynamoDbRunStore store;

    @BeforeEach
    void setUp(AwsStack stack) {
        clients = EmulatorClients.factory(stack);
        store = new DynamoDbRunStore(clients.dynamoDb(), stack.names().table());
    }

    @AfterEach
    void tearDown() {
        clients.close();
    }

    @Test
    void create_thenFind_returnsThePreparingRunWithZeroCounters() {
        Run run = Run.start(UUID.randomUUID(), UUID.randomUUID(), SyncMode.INCREMENTAL, T0);

        store.create(run);

        Run found = store.find(run.id()).orElseThrow();
        assertThat(found).isEqualTo(run);
        assertThat(found.status()).isEqualTo(RunStatus.PREPARING);
        assertThat(found.countsOf(Phase.PRODUCTS)).isEqualTo(PhaseCounts.ZERO);
    }

    @Test
    void create_whenTheIdExists_isRefused() {
        Run run = Run.start(UUID.randomUUID(), UUID.randomUUID(), SyncMode.FULL, T0);
        store.create(run);

        assertThatThrownBy(() -> store.create(run)).isInstanceOf(RunConflictException.class).hasMessageContaining("already exists");
    }

    @Test
    void find_whenUnknown_isEmpty() {
        assertThat(store.find(UUID.randomUUID())).isEmpty();
    }

    @Test
    void transition_fromTheExpectedStatus_movesTheRun() {
        Run run = Run.start(UUID.randomUUID(), UUID.randomUUID(), SyncMode.FULL, T0);
        store.create(run);

        Run moved = store.transition(run.id(), RunStatus.PREPARING, RunStatus.EXECUTION, T0.plusSeconds(5));

        assertThat(moved.status()).isEqualTo(RunStatus.EXECUTION);
        assertThat(moved.updatedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(store.find(run.id()).orElseThrow().status()).isEqualTo(RunStatus.EXECUTION);
    }

    @Test
    void transition_whenAnotherWorkerMovedItFirst_isRefusedNamingTheCurrentStatus() {
        Run run = Run.start(UUID.randomUUID(), UUID.randomUUID(), SyncMode.FULL, T0);
        store.create(run);
        store.transition(run.id(), RunStatus.PREPARING, RunStatus.CANCELLED, T0);

        assertThatThrownBy(() -> store.transition(run.id(), RunStatus.PREPARING, RunStatus.EXECUTION, T0))
                .isInstanceOf(RunConflictException.class)
                .hasMessageContaining("is cancelled, not preparing");
        assertThat(store.find(run.id()).orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
    }

    @Test
    void transition_outOfATerminalStatus_isRefusedWithoutWriting() {
        UUID id = UUID.randomUUID();

        assertThatThrownBy(() -> store.transition(id, RunStatus.FINISHED, RunStatus.EXECUTION, T0))
                .isInstanceOf(RunConflictException.class)
                .hasMessage("A synchronization cannot move from finished to execution.");
    }

    @Test
    void transition_whenTheRunDoesNotExist_saysSo() {
        assertThatThrownBy(() -> store.transition(UUID.randomUUID(), RunStatus.PREPARING, RunStatus.EXECUTION, T0))
                .isInstanceOf(RunNotFoundException.class);
    }

    @Test
    void addCounts_returnsTheNewTotalsAndKeepsPhasesApart() {
        Run run = Run.start(UUID.randomUUID(), UUID.randomUUID(), SyncMode.INCREMENTAL, T0);
        store.create(run);

        store.addCounts(run.id(), Phase.PRODUCTS, new PhaseCounts(250, 0, 0, 0), T0);
        PhaseCounts after = store.addCounts(run.id(), Phase.PRODUCTS, new PhaseCounts(0, 98, 2, 0), T0);

        assertThat(after).isEqualTo(new PhaseCounts(250, 98, 2, 0));
        assertThat(after.remaining()).isEqualTo(150);
        Run found = store.find(run.id()).orElseThrow();
        assertThat(found.countsOf(Phase.PRODUCTS)).isEqualTo(new PhaseCounts(250, 98, 2, 0));
        assertThat(found.countsOf(Phase.ATTRIBUTES)).isEqualTo(PhaseCounts.ZERO);
    }

    @Test
    void addCounts_fromManyWorkersAtOnce_losesNoUpdate() throws Exception {
        Run run = Run.start(UUID.randomUUID(), UUID.randomUUID(), SyncMode.INCREMENTAL, T0);
        store.create(run);

        List<Future<PhaseCounts>> results = new ArrayList<>();
        try (ExecutorService workers = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 40; i++) {
                results.add(workers.submit(() -> store.addCounts(run.id(), Phase.CATEGORIES, new PhaseCounts(0, 3, 1, 0), T0)));
            }
        }

        List<Long> succeededSeen = new ArrayList<>();
        for (Future<PhaseCounts> result : results) {
            succeededSeen.add(result.get().succeeded());
        }
        assertThat(store.find(run.id()).orElseThrow().countsOf(Phase.CATEGORIES)).isEqualTo(new PhaseCounts(0, 120, 40, 0));
        // Every worker saw a distinct total: exactly one of them saw the last one, the one that may advance the phase.
        assertThat(succeededSeen).doesNotHaveDuplicates().contains(120L);
    }

    @Test
    void addCounts_whenTheRunDoesNotExist_createsNothing(AwsStack stack) {
        UUID id = UUID.randomUUID();

        assertThatThrownBy(() -> store.addCounts(id, Phase.PRODUCTS, new PhaseCounts(1, 0, 0, 0), T0))
                .isInstanceOf(RunNotFoundException.class);
        assertThat(stack.dynamoDb().scan(b -> b.tableName(stack.names().table())).count()).isZero();
    }
}
