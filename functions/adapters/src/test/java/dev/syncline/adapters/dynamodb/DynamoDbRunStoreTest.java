package dev.syncline.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.adapters.aws.AwsClientFactory;
import dev.syncline.adapters.aws.EmulatorClients;
import dev.syncline.core.sync.Run;
import dev.syncline.core.sync.RunConflictException;
import dev.syncline.core.sync.RunNotFoundException;
import dev.syncline.core.sync.RunStatus;
import dev.syncline.core.sync.RunStore;
import dev.syncline.core.sync.SyncMode;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
        Run run = Run.start(UUID.randomUUID(), UUID.randomUUID(), SyncMode.INCREMENTAL, "snap-1", T0);

        store.create(run);

        Run found = store.find(run.id()).orElseThrow();
        assertThat(found).isEqualTo(run);
        assertThat(found.status()).isEqualTo(RunStatus.PREPARING);
    }

    @Test
    void aPreview_staysAPreviewThroughItsMoves() {
        Run run = Run.start(UUID.randomUUID(), UUID.randomUUID(), SyncMode.INCREMENTAL, "snap-1", T0).asPreview();

        store.create(run);
        Run held = store.transition(run.id(), RunStatus.PREPARING, RunStatus.AWAITING_CONFIRMATION, "Preview: ...", T0.plusSeconds(1));

        assertThat(store.find(run.id()).orElseThrow()).isEqualTo(held);
        assertThat(held.preview()).isTrue();
        assertThat(store.transition(run.id(), RunStatus.AWAITING_CONFIRMATION, RunStatus.EXECUTION, null, T0.plusSeconds(2)).preview()).isTrue();
        assertThat(store.history(run.installationId(), 10, null).runs()).extracting(Run::preview).containsExactly(true);
    }

    @Test
    void create_whenTheIdExists_isRefused() {
        Run run = Run.start(UUID.randomUUID(), UUID.randomUUID(), SyncMode.FULL, "snap-1", T0);
        store.create(run);

        assertThatThrownBy(() -> store.create(run)).isInstanceOf(RunConflictException.class).hasMessageContaining("already exists");
    }

    @Test
    void find_whenUnknown_isEmpty() {
        assertThat(store.find(UUID.randomUUID())).isEmpty();
    }

    @Test
    void transition_fromTheExpectedStatus_movesTheRun() {
        Run run = Run.start(UUID.randomUUID(), UUID.randomUUID(), SyncMode.FULL, "snap-1", T0);
        store.create(run);

        Run moved = store.transition(run.id(), RunStatus.PREPARING, RunStatus.EXECUTION, null, T0.plusSeconds(5));

        assertThat(moved.status()).isEqualTo(RunStatus.EXECUTION);
        assertThat(moved.updatedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(store.find(run.id()).orElseThrow().status()).isEqualTo(RunStatus.EXECUTION);
    }

    @Test
    void transition_whenAnotherWorkerMovedItFirst_isRefusedNamingTheCurrentStatus() {
        Run run = Run.start(UUID.randomUUID(), UUID.randomUUID(), SyncMode.FULL, "snap-1", T0);
        store.create(run);
        store.transition(run.id(), RunStatus.PREPARING, RunStatus.CANCELLED, null, T0);

        assertThatThrownBy(() -> store.transition(run.id(), RunStatus.PREPARING, RunStatus.EXECUTION, null, T0))
                .isInstanceOf(RunConflictException.class)
                .hasMessageContaining("is cancelled, not preparing");
        assertThat(store.find(run.id()).orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
    }

    @Test
    void transition_outOfATerminalStatus_isRefusedWithoutWriting() {
        UUID id = UUID.randomUUID();

        assertThatThrownBy(() -> store.transition(id, RunStatus.FINISHED, RunStatus.EXECUTION, null, T0))
                .isInstanceOf(RunConflictException.class)
                .hasMessage("A synchronization cannot move from finished to execution.");
    }

    @Test
    void transition_whenTheRunDoesNotExist_saysSo() {
        assertThatThrownBy(() -> store.transition(UUID.randomUUID(), RunStatus.PREPARING, RunStatus.EXECUTION, null, T0))
                .isInstanceOf(RunNotFoundException.class);
    }

    @Test
    void transition_toFailed_keepsTheReason() {
        Run run = Run.start(UUID.randomUUID(), UUID.randomUUID(), SyncMode.FULL, "snap-1", T0);
        store.create(run);

        store.transition(run.id(), RunStatus.PREPARING, RunStatus.FAILED, "snapshot 'snap-1' is gone", T0);

        assertThat(store.find(run.id()).orElseThrow().reason()).isEqualTo("snapshot 'snap-1' is gone");
    }

    @Test
    void idempotencyKey_rememberedOnce_returnsTheFirstRunToLaterRequests() {
        UUID installation = UUID.randomUUID();
        UUID first = UUID.randomUUID();

        assertThat(store.rememberIdempotencyKey(installation, "pim-req-7", first)).isEmpty();
        assertThat(store.rememberIdempotencyKey(installation, "pim-req-7", UUID.randomUUID())).contains(first);
        assertThat(store.findByIdempotencyKey(installation, "pim-req-7")).contains(first);
        assertThat(store.findByIdempotencyKey(UUID.randomUUID(), "pim-req-7")).isEmpty();
    }

    @Test
    void history_isNewestFirstAndPagesWithACursor() {
        UUID installation = UUID.randomUUID();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Run run = Run.start(UUID.randomUUID(), installation, SyncMode.INCREMENTAL, "snap-" + i, T0.plusSeconds(i));
            store.create(run);
            ids.add(run.id());
        }
        store.create(Run.start(UUID.randomUUID(), UUID.randomUUID(), SyncMode.INCREMENTAL, "other", T0));

        RunStore.Page first = store.history(installation, 3, null);
        RunStore.Page second = store.history(installation, 3, first.nextCursor());

        assertThat(first.runs()).extracting(Run::id).containsExactly(ids.get(4), ids.get(3), ids.get(2));
        assertThat(second.runs()).extracting(Run::id).containsExactly(ids.get(1), ids.get(0));
        assertThat(second.nextCursor()).isNull();
    }

    @Test
    void history_withAForgedCursor_saysWhatToPass() {
        assertThatThrownBy(() -> store.history(UUID.randomUUID(), 3, "bm90LWEtY3Vyc29y"))
                .hasMessageContaining("pass next_cursor from the previous page unchanged");
    }

    @Test
    void reassignIdempotencyKey_movesAKeyFromTheRunItNamesOnly() {
        UUID installation = UUID.randomUUID();
        UUID dangling = UUID.randomUUID();
        UUID next = UUID.randomUUID();
        store.rememberIdempotencyKey(installation, "pim-7", dangling);

        assertThat(store.reassignIdempotencyKey(installation, "pim-7", UUID.randomUUID(), next)).as("not the run it names").isFalse();
        assertThat(store.findByIdempotencyKey(installation, "pim-7")).contains(dangling);
        assertThat(store.reassignIdempotencyKey(installation, "pim-7", dangling, next)).isTrue();
        assertThat(store.findByIdempotencyKey(installation, "pim-7")).contains(next);
        assertThat(store.reassignIdempotencyKey(installation, "pim-7", dangling, UUID.randomUUID())).as("moved once").isFalse();
    }
}
