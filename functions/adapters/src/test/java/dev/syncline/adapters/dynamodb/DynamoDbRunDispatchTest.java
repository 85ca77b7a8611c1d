package dev.syncline.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.adapters.aws.AwsClientFactory;
import dev.syncline.adapters.aws.EmulatorClients;
import dev.syncline.adapters.metrics.AwsCallCounter;
import dev.syncline.core.plan.PlanTotals;
import dev.syncline.core.sync.Phase;
import dev.syncline.core.sync.PhaseCounts;
import dev.syncline.core.sync.Run;
import dev.syncline.core.sync.RunConflictException;
import dev.syncline.core.sync.RunDispatch;
import dev.syncline.core.sync.RunDispatch.Counted;
import dev.syncline.core.sync.RunDispatch.DispatchState;
import dev.syncline.core.sync.RunStatus;
import dev.syncline.core.sync.SyncMode;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

@AwsIntegrationTest
class DynamoDbRunDispatchTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private AwsStack stack;
    private AwsClientFactory clients;
    private DynamoDbRunStore runs;
    private DynamoDbRunDispatch dispatch;

    @BeforeEach
    void setUp(AwsStack stack) {
        this.stack = stack;
        clients = EmulatorClients.factory(stack);
        DynamoDbClient dynamoDb = clients.dynamoDb();
        runs = new DynamoDbRunStore(dynamoDb, stack.names().table());
        dispatch = new DynamoDbRunDispatch(dynamoDb, stack.names().table());
    }

    @AfterEach
    void tearDown() {
        clients.close();
    }

    // ---- planned ----------------------------------------------------------------------------------

    @Test
    void planned_movesTheRunToExecutionWithTheFirstPhaseCurrentAndPlannedCountsStored() {
        UUID run = preparingRun();

        dispatch.planned(run, totals(Map.of(Phase.ATTRIBUTES, sizes(2, 100), Phase.PRODUCTS, sizes(3, 40))), Optional.of(Phase.ATTRIBUTES), 4, T0);

        assertThat(runs.find(run).orElseThrow().status()).isEqualTo(RunStatus.EXECUTION);
        assertThat(dispatch.state(run)).contains(new DispatchState(RunStatus.EXECUTION, Optional.of(Phase.ATTRIBUTES), 2, 0, List.of(), 4, 0, T0));
        assertThat(dispatch.counts(run)).containsEntry(Phase.ATTRIBUTES, new PhaseCounts(200, 0, 0, 0))
                .containsEntry(Phase.CATEGORIES, PhaseCounts.ZERO)
                .containsEntry(Phase.PRODUCTS, new PhaseCounts(120, 0, 0, 0))
                .containsEntry(Phase.RELATIONS, PhaseCounts.ZERO);
    }

    @Test
    void planned_whenTheRunWasCancelledWhilePlanning_isRefusedAndTheRunStaysCancelled() {
        UUID run = preparingRun();
        runs.transition(run, RunStatus.PREPARING, RunStatus.CANCELLED, null, T0);

        assertThatThrownBy(() -> dispatch.planned(run, totals(Map.of(Phase.PRODUCTS, sizes(1, 10))), Optional.of(Phase.PRODUCTS), 4, T0))
                .isInstanceOf(RunConflictException.class)
                .hasMessageContaining("is cancelled, not preparing");
        assertThat(runs.find(run).orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(dispatch.state(run)).isEmpty();
    }

    @Test
    void planned_withoutEntries_leavesNoPhaseToDispatch() {
        UUID run = preparingRun();

        dispatch.planned(run, totals(Map.of()), Optional.empty(), 4, T0);

        assertThat(dispatch.state(run).orElseThrow().phase()).isEmpty();
        assertThat(dispatch.claim(run, Phase.ATTRIBUTES, T0)).isEmpty();
        assertThat(dispatch.counts(run).values()).containsOnly(PhaseCounts.ZERO);
    }

    // ---- progressed --------------------------------------------------------------------------------

    @Test
    void progressed_movesTheRunsLastMove_andLeavesARunWithoutDispatchStateWithout() {
        UUID run = executingRun(Map.of(Phase.PRODUCTS, sizes(3, 100)), 4);
        UUID planning = preparingRun();
        dispatch.claim(run, Phase.PRODUCTS, T0);
        Instant later = T0.plusSeconds(700);

        dispatch.progressed(run, later);
        dispatch.progressed(planning, later);

        assertThat(dispatch.state(run).orElseThrow().updatedAt()).isEqualTo(later);
        assertThat(dispatch.state(run).orElseThrow().open()).as("nothing else moved").containsExactly(0, 1, 2);
        assertThat(dispatch.state(run).orElseThrow().window()).isEqualTo(4);
        assertThat(dispatch.state(planning)).isEmpty();
    }

    // ---- count ------------------------------------------------------------------------------------

    @Test
    void count_theSameChunkTwice_appliesItsCountsOnce() {
        UUID run = executingRun(Map.of(Phase.PRODUCTS, sizes(3, 100)), 4);

        Counted first = dispatch.count(run, Phase.PRODUCTS, 1, new PhaseCounts(0, 97, 2, 1), T0);
        Counted redelivered = dispatch.count(run, Phase.PRODUCTS, 1, new PhaseCounts(0, 97, 2, 1), T0);

        assertThat(first).isEqualTo(new Counted(true, false));
        assertThat(redelivered).isEqualTo(new Counted(false, false));
        assertThat(dispatch.counts(run).get(Phase.PRODUCTS)).isEqualTo(new PhaseCounts(300, 97, 2, 1));
    }

    @Test
    void count_aRedeliveredLastChunk_stillReportsThePhaseComplete() {
        // The worker that counted the last chunk died before advancing: its redelivery must be able to.
        UUID run = executingRun(Map.of(Phase.ATTRIBUTES, sizes(2, 10)), 4);
        dispatch.count(run, Phase.ATTRIBUTES, 0, succeeded(10), T0);

        Counted last = dispatch.count(run, Phase.ATTRIBUTES, 1, succeeded(10), T0);
        Counted redelivered = dispatch.count(run, Phase.ATTRIBUTES, 1, succeeded(10), T0);

        assertThat(last).isEqualTo(new Counted(true, true));
        assertThat(redelivered).isEqualTo(new Counted(false, true));
        assertThat(dispatch.counts(run).get(Phase.ATTRIBUTES).remaining()).isZero();
    }

    @Test
    void count_whenAWorkerDiedBeforeMarkingItsShardDone_theRedeliveryCompletesThePhase() {
        UUID run = executingRun(Map.of(Phase.ATTRIBUTES, sizes(1, 10)), 4);
        // Counted, then the worker died: the shard's guard set holds the chunk, the phase item knows nothing.
        stack.dynamoDb().updateItem(b -> b.tableName(stack.names().table())
                .key(Map.of("pk", DynamoDbRunStore.s("RUN#" + run), "sk", DynamoDbRunStore.s("COUNTER#0_attributes#00000")))
                .updateExpression("ADD succeeded :ten, counted :chunk")
                .expressionAttributeValues(Map.of(
                        ":ten", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN("10"),
                        ":chunk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromNs(List.of("0")))));

        Counted redelivered = dispatch.count(run, Phase.ATTRIBUTES, 0, succeeded(10), T0);

        assertThat(redelivered).isEqualTo(new Counted(false, true));
        assertThat(dispatch.counts(run).get(Phase.ATTRIBUTES)).isEqualTo(new PhaseCounts(10, 10, 0, 0));
    }

    @Test
    void count_acrossSeveralCounterShards_completesThePhaseOnlyWithItsLastChunk() {
        int chunks = DynamoDbRunDispatch.CHUNKS_PER_SHARD * 2 + 44;
        UUID run = executingRun(Map.of(Phase.PRODUCTS, sizes(chunks, 3)), 4);
        // The last chunk to arrive is in the middle shard, not at the end of the plan.
        int last = DynamoDbRunDispatch.CHUNKS_PER_SHARD + 7;
        List<Counted> before = new ArrayList<>();
        for (int chunk = 0; chunk < chunks; chunk++) {
            if (chunk != last) {
                before.add(dispatch.count(run, Phase.PRODUCTS, chunk, succeeded(3), T0));
            }
        }

        Counted counted = dispatch.count(run, Phase.PRODUCTS, last, succeeded(3), T0);

        assertThat(before).allSatisfy(c -> assertThat(c).isEqualTo(new Counted(true, false)));
        assertThat(counted).isEqualTo(new Counted(true, true));
        assertThat(dispatch.counts(run).get(Phase.PRODUCTS)).isEqualTo(new PhaseCounts(chunks * 3L, chunks * 3L, 0, 0));
    }

    @Test
    void uncounted_namesTheChunksOfThePhaseNotCountedYet_acrossShards_andNoneOfAnotherPhase() {
        int chunks = DynamoDbRunDispatch.CHUNKS_PER_SHARD + 3;
        UUID run = executingRun(Map.of(Phase.PRODUCTS, sizes(chunks, 3), Phase.RELATIONS, sizes(2, 3)), 4);
        List<Integer> left = List.of(1, DynamoDbRunDispatch.CHUNKS_PER_SHARD - 1, DynamoDbRunDispatch.CHUNKS_PER_SHARD + 2);
        for (int chunk = 0; chunk < chunks; chunk++) {
            if (!left.contains(chunk)) {
                dispatch.count(run, Phase.PRODUCTS, chunk, succeeded(3), T0);
            }
        }

        assertThat(dispatch.uncounted(run, Phase.PRODUCTS)).isEqualTo(left);
        assertThat(dispatch.uncounted(run, Phase.RELATIONS)).containsExactly(0, 1);
        assertThat(dispatch.uncounted(run, Phase.ATTRIBUTES)).isEmpty();
    }

    @Test
    void count_fromManyThreadsAtOnce_losesNothingAndReportsTheCompletePhaseExactlyOnce() throws Exception {
        int chunks = DynamoDbRunDispatch.CHUNKS_PER_SHARD * 2 + 10;
        UUID run = executingRun(Map.of(Phase.CATEGORIES, sizes(chunks, 5)), 4);
        List<Integer> order = IntStream.range(0, chunks).boxed().collect(java.util.stream.Collectors.toCollection(ArrayList::new));
        Collections.shuffle(order, new java.util.Random(7));

        List<Counted> results = concurrently(16, order.stream()
                .<Callable<Counted>>map(chunk -> () -> dispatch.count(run, Phase.CATEGORIES, chunk, new PhaseCounts(0, 4, 1, 0), T0))
                .toList());

        assertThat(results).filteredOn(Counted::applied).hasSize(chunks);
        assertThat(results).filteredOn(Counted::phaseComplete).hasSize(1);
        assertThat(dispatch.counts(run).get(Phase.CATEGORIES)).isEqualTo(new PhaseCounts(chunks * 5L, chunks * 4L, chunks, 0));
    }

    @Test
    void count_redeliveriesRacingTheFirstDeliveries_countEveryChunkOnce() throws Exception {
        int chunks = DynamoDbRunDispatch.CHUNKS_PER_SHARD + 20;
        UUID run = executingRun(Map.of(Phase.PRODUCTS, sizes(chunks, 2)), 4);
        List<Callable<Counted>> calls = new ArrayList<>();
        for (int chunk = 0; chunk < chunks; chunk++) {
            int c = chunk;
            calls.add(() -> dispatch.count(run, Phase.PRODUCTS, c, succeeded(2), T0));
            calls.add(() -> dispatch.count(run, Phase.PRODUCTS, c, succeeded(2), T0));
        }

        List<Counted> results = concurrently(16, calls);

        assertThat(results).filteredOn(Counted::applied).hasSize(chunks);
        assertThat(results).filteredOn(Counted::phaseComplete).isNotEmpty();
        assertThat(dispatch.counts(run).get(Phase.PRODUCTS)).isEqualTo(new PhaseCounts(chunks * 2L, chunks * 2L, 0, 0));
    }

    @Test
    void count_ofAChunkThePlanDoesNotHave_isRefused() {
        UUID run = executingRun(Map.of(Phase.PRODUCTS, sizes(3, 10)), 4);

        assertThatThrownBy(() -> dispatch.count(run, Phase.PRODUCTS, 3, succeeded(10), T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Chunk 3 of phase products is not part of the plan");
        assertThatThrownBy(() -> dispatch.count(run, Phase.RELATIONS, 0, succeeded(10), T0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(dispatch.counts(run).get(Phase.PRODUCTS)).isEqualTo(new PhaseCounts(30, 0, 0, 0));
    }

    @Test
    void count_onATypicalShard_isASmallWrite() {
        List<ConsumedCapacity> consumed = new CopyOnWriteArrayList<>();
        SdkHttpClient http = AwsClientFactory.defaultHttpClient();
        try (DynamoDbClient metered = DynamoDbClient.builder()
                .httpClient(http)
                .region(Region.of(stack.endpoints().region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(stack.endpoints().accessKeyId(), stack.endpoints().secretAccessKey())))
                .endpointOverride(stack.endpoints().dynamoDb())
                .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                        if (context.response() instanceof UpdateItemResponse response && response.consumedCapacity() != null) {
                            consumed.add(response.consumedCapacity());
                        }
                    }
                }))
                .build()) {
            DynamoDbRunDispatch meteredDispatch = new DynamoDbRunDispatch(metered, stack.names().table());
            // A full plan's shard (128 chunks), most of them counted: the guard set near its largest.
            UUID run = executingRun(Map.of(Phase.PRODUCTS, sizes(DynamoDbRunDispatch.CHUNKS_PER_SHARD, 100)), 4);
            for (int chunk = 0; chunk < DynamoDbRunDispatch.CHUNKS_PER_SHARD - 2; chunk++) {
                dispatch.count(run, Phase.PRODUCTS, chunk, succeeded(100), T0);
            }

            meteredDispatch.count(run, Phase.PRODUCTS, DynamoDbRunDispatch.CHUNKS_PER_SHARD - 2, succeeded(100), T0);
        } finally {
            http.close();
        }

        System.out.println("count() on a shard with 127 of 128 chunks counted consumed: "
                + (consumed.isEmpty() ? "not reported by this DynamoDB" : consumed));
        if (!consumed.isEmpty()) {
            assertThat(consumed.getFirst().capacityUnits()).as("write capacity units of one count").isLessThanOrEqualTo(1.0);
        }
    }

    // ---- claim and complete -----------------------------------------------------------------------

    @Test
    void claim_fillsTheWindowAndNoMore() {
        UUID run = executingRun(Map.of(Phase.PRODUCTS, sizes(10, 100)), 3);

        assertThat(dispatch.claim(run, Phase.PRODUCTS, T0)).containsExactly(0, 1, 2);
        assertThat(dispatch.claim(run, Phase.PRODUCTS, T0)).isEmpty();
        assertThat(dispatch.state(run).orElseThrow().open()).containsExactly(0, 1, 2);
        assertThat(dispatch.state(run).orElseThrow().released()).isEqualTo(3);
    }

    @Test
    void claim_fromManyWorkersAtOnce_neverExceedsTheWindowAndReleasesEveryChunkOnce() throws Exception {
        int chunks = 60;
        int window = 4;
        UUID run = executingRun(Map.of(Phase.PRODUCTS, sizes(chunks, 10)), window);
        Set<Integer> open = ConcurrentHashMap.newKeySet();
        List<Integer> released = new CopyOnWriteArrayList<>();
        AtomicInteger mostOpen = new AtomicInteger();

        List<Callable<Void>> workers = new ArrayList<>();
        for (int w = 0; w < 12; w++) {
            workers.add(() -> {
                while (released.size() < chunks) {
                    List<Integer> claimed = dispatch.claim(run, Phase.PRODUCTS, T0);
                    open.addAll(claimed);
                    released.addAll(claimed);
                    mostOpen.accumulateAndGet(open.size(), Math::max);
                    for (int chunk : claimed) {
                        open.remove(chunk);
                        dispatch.complete(run, Phase.PRODUCTS, chunk, false, T0);
                    }
                }
                return null;
            });
        }
        concurrently(12, workers);

        assertThat(mostOpen.get()).isBetween(1, window);
        assertThat(released).hasSize(chunks).doesNotHaveDuplicates();
        assertThat(dispatch.state(run).orElseThrow().open()).isEmpty();
        assertThat(dispatch.state(run).orElseThrow().released()).isEqualTo(chunks);
    }

    @Test
    void claim_afterTheRunIsCancelled_releasesNothingMore() {
        UUID run = executingRun(Map.of(Phase.PRODUCTS, sizes(10, 100)), 2);
        assertThat(dispatch.claim(run, Phase.PRODUCTS, T0)).containsExactly(0, 1);

        runs.transition(run, RunStatus.EXECUTION, RunStatus.CANCELLED, null, T0);
        dispatch.complete(run, Phase.PRODUCTS, 0, false, T0);
        dispatch.complete(run, Phase.PRODUCTS, 1, false, T0);

        assertThat(dispatch.claim(run, Phase.PRODUCTS, T0)).isEmpty();
        assertThat(dispatch.state(run).orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(dispatch.state(run).orElseThrow().released()).isEqualTo(2);
    }

    @Test
    void claim_ofAPhaseThatIsNotCurrent_releasesNothing() {
        UUID run = executingRun(Map.of(Phase.ATTRIBUTES, sizes(1, 5), Phase.PRODUCTS, sizes(4, 100)), 4);

        assertThat(dispatch.claim(run, Phase.PRODUCTS, T0)).isEmpty();
        assertThat(dispatch.claim(run, Phase.ATTRIBUTES, T0)).containsExactly(0);
    }

    @Test
    void complete_makesRoomForTheNextClaim_andRepeatingItMakesNoMore() {
        UUID run = executingRun(Map.of(Phase.PRODUCTS, sizes(10, 100)), 2);
        dispatch.claim(run, Phase.PRODUCTS, T0.plusSeconds(1));

        dispatch.complete(run, Phase.PRODUCTS, 0, false, T0.plusSeconds(2));
        dispatch.complete(run, Phase.PRODUCTS, 0, false, T0.plusSeconds(3));

        assertThat(dispatch.state(run).orElseThrow().updatedAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(dispatch.claim(run, Phase.PRODUCTS, T0)).containsExactly(2);
        assertThat(dispatch.claim(run, Phase.PRODUCTS, T0)).isEmpty();
    }

    @Test
    @SuppressWarnings("try") // the scope counts the calls made inside, unreferenced
    void claim_rightAfterACompletionOnTheSameThread_readsOnlyTheRunsStatus_andReleasesTheFreedSlot() {
        UUID run = executingRun(Map.of(Phase.PRODUCTS, sizes(10, 100)), 2);
        dispatch.claim(run, Phase.PRODUCTS, T0);
        dispatch.complete(run, Phase.PRODUCTS, 0, false, T0);

        AwsCallCounter counted = AwsCallCounter.create();
        List<Integer> claimed;
        try (AwsCallCounter.Scope scope = AwsCallCounter.alsoCountingInto(counted)) {
            claimed = dispatch.claim(run, Phase.PRODUCTS, T0);
        }

        assertThat(claimed).containsExactly(2);
        assertThat(counted.snapshot().of("DynamoDb", "GetItem").calls()).as("the run's status; the dispatch item came with the completion")
                .isEqualTo(1);
        assertThat(dispatch.state(run).orElseThrow().open()).containsExactly(1, 2);
    }

    @Test
    void claim_afterACompletionThatAnotherWorkerOvertook_releasesOnlyWhatIsFreeNow() throws Exception {
        UUID run = executingRun(Map.of(Phase.PRODUCTS, sizes(10, 100)), 2);
        dispatch.claim(run, Phase.PRODUCTS, T0);
        dispatch.complete(run, Phase.PRODUCTS, 0, false, T0);
        // Meanwhile another worker completes chunk 1 and fills the window again.
        List<List<Integer>> other = concurrently(1, List.of(() -> {
            dispatch.complete(run, Phase.PRODUCTS, 1, false, T0);
            return dispatch.claim(run, Phase.PRODUCTS, T0);
        }));

        assertThat(other.getFirst()).containsExactly(2, 3);
        assertThat(dispatch.claim(run, Phase.PRODUCTS, T0)).as("the window is full again").isEmpty();
        assertThat(dispatch.state(run).orElseThrow().open()).containsExactly(2, 3);
        assertThat(dispatch.state(run).orElseThrow().released()).isEqualTo(4);
    }

    @Test
    void complete_adaptsTheWindow_halvingWhenThrottledAndGrowingBackToTheInstallationsLimit() {
        UUID run = executingRun(Map.of(Phase.PRODUCTS, sizes(40, 100)), 8);
        assertThat(dispatch.claim(run, Phase.PRODUCTS, T0)).hasSize(8);

        List<Integer> windows = new ArrayList<>();
        boolean[] throttled = {true, true, true, true, false, false, false};
        for (int chunk = 0; chunk < throttled.length; chunk++) {
            dispatch.complete(run, Phase.PRODUCTS, chunk, throttled[chunk], T0);
            windows.add(dispatch.state(run).orElseThrow().window());
        }

        assertThat(windows).containsExactly(4, 2, 1, 1, 2, 3, 4);
        // One chunk (7) is still open in a window of 4: room for three.
        assertThat(dispatch.claim(run, Phase.PRODUCTS, T0)).containsExactly(8, 9, 10);
        for (int chunk : List.of(7, 8, 9, 10, 7)) {
            dispatch.complete(run, Phase.PRODUCTS, chunk, false, T0);
        }
        assertThat(dispatch.state(run).orElseThrow().window()).as("repeated completion of 7 adds nothing").isEqualTo(8);
        assertThat(dispatch.claim(run, Phase.PRODUCTS, T0)).hasSize(8);
        assertThat(dispatch.claim(run, Phase.PRODUCTS, T0)).isEmpty();
    }

    @Test
    void complete_aShrunkWindow_holdsBackClaimsUntilEnoughChunksFinish() {
        UUID run = executingRun(Map.of(Phase.PRODUCTS, sizes(20, 100)), 4);
        dispatch.claim(run, Phase.PRODUCTS, T0);

        dispatch.complete(run, Phase.PRODUCTS, 0, true, T0);

        assertThat(dispatch.state(run).orElseThrow().window()).isEqualTo(2);
        assertThat(dispatch.claim(run, Phase.PRODUCTS, T0)).as("three open in a window of two").isEmpty();
        dispatch.complete(run, Phase.PRODUCTS, 1, true, T0);
        dispatch.complete(run, Phase.PRODUCTS, 2, false, T0);
        assertThat(dispatch.claim(run, Phase.PRODUCTS, T0)).as("one open in a window of two").containsExactly(4);
    }

    @Test
    void complete_ofAChunkOfAnEarlierPhase_leavesTheSameNumberInTheCurrentPhaseOpen() {
        UUID run = executingRun(Map.of(Phase.ATTRIBUTES, sizes(1, 5), Phase.PRODUCTS, sizes(4, 100)), 4);
        dispatch.claim(run, Phase.ATTRIBUTES, T0);
        dispatch.complete(run, Phase.ATTRIBUTES, 0, false, T0);
        dispatch.advance(run, Phase.ATTRIBUTES, Optional.of(Phase.PRODUCTS), T0);
        dispatch.claim(run, Phase.PRODUCTS, T0);

        dispatch.complete(run, Phase.ATTRIBUTES, 0, true, T0);

        DispatchState state = dispatch.state(run).orElseThrow();
        assertThat(state.open()).containsExactly(0, 1, 2, 3);
        assertThat(state.window()).isEqualTo(4);
    }

    // ---- advance ----------------------------------------------------------------------------------

    @Test
    void advance_twoWorkersRacing_exactlyOneMovesThePhase() throws Exception {
        UUID run = executingRun(Map.of(Phase.ATTRIBUTES, sizes(2, 5), Phase.PRODUCTS, sizes(5, 100)), 3);
        dispatch.claim(run, Phase.ATTRIBUTES, T0);
        dispatch.complete(run, Phase.ATTRIBUTES, 0, false, T0);

        List<Boolean> winners = concurrently(2, List.<Callable<Boolean>>of(
                () -> dispatch.advance(run, Phase.ATTRIBUTES, Optional.of(Phase.PRODUCTS), T0.plusSeconds(9)),
                () -> dispatch.advance(run, Phase.ATTRIBUTES, Optional.of(Phase.PRODUCTS), T0.plusSeconds(9))));

        assertThat(winners).containsExactlyInAnyOrder(true, false);
        assertThat(dispatch.state(run)).contains(
                new DispatchState(RunStatus.EXECUTION, Optional.of(Phase.PRODUCTS), 5, 0, List.of(), 3, 0, T0.plusSeconds(9)));
        assertThat(dispatch.claim(run, Phase.ATTRIBUTES, T0)).isEmpty();
        assertThat(dispatch.claim(run, Phase.PRODUCTS, T0)).containsExactly(0, 1, 2);
    }

    @Test
    void advance_pastTheLastPhase_leavesNothingToClaim() {
        UUID run = executingRun(Map.of(Phase.RELATIONS, sizes(1, 5)), 3);

        assertThat(dispatch.advance(run, Phase.RELATIONS, Optional.empty(), T0)).isTrue();

        assertThat(dispatch.state(run).orElseThrow().phase()).isEmpty();
        assertThat(dispatch.claim(run, Phase.RELATIONS, T0)).isEmpty();
        assertThat(dispatch.advance(run, Phase.RELATIONS, Optional.empty(), T0)).isFalse();
    }

    // ---- support ----------------------------------------------------------------------------------

    private UUID preparingRun() {
        Run run = Run.start(UUID.randomUUID(), UUID.randomUUID(), SyncMode.INCREMENTAL, "snap-1", T0);
        runs.create(run);
        return run.id();
    }

    private UUID executingRun(Map<Phase, int[]> chunkSizes, int window) {
        UUID run = preparingRun();
        PlanTotals totals = totals(chunkSizes);
        Optional<Phase> first = Arrays.stream(Phase.values()).filter(p -> totals.chunks(p) > 0).findFirst();
        dispatch.planned(run, totals, first, window, T0);
        return run;
    }

    private static PlanTotals totals(Map<Phase, int[]> chunkSizes) {
        return new PlanTotals(chunkSizes, 0);
    }

    private static int[] sizes(int chunks, int entriesEach) {
        int[] sizes = new int[chunks];
        Arrays.fill(sizes, entriesEach);
        return sizes;
    }

    private static PhaseCounts succeeded(int entries) {
        return new PhaseCounts(0, entries, 0, 0);
    }

    /** Runs every call on {@code threads} threads, all released at once; rethrows the first failure. */
    private static <T> List<T> concurrently(int threads, List<Callable<T>> calls) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> call : calls) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }

    @Test
    void stamps_recordTheLatestPickUpAndEveryResendOfAChunk() {
        UUID run = UUID.randomUUID();
        assertThat(dispatch.stamps(run, Phase.PRODUCTS, 3)).isEqualTo(RunDispatch.ChunkStamps.NONE);

        dispatch.received(run, Phase.PRODUCTS, 3, T0);
        RunDispatch.ChunkStamps picked = dispatch.stamps(run, Phase.PRODUCTS, 3);
        assertThat(picked).isEqualTo(new RunDispatch.ChunkStamps(Optional.of(T0), 0, Optional.empty()));
        assertThat(picked.receivedSinceSent()).isTrue();

        assertThat(dispatch.resent(run, Phase.PRODUCTS, 3, T0.plusSeconds(1500))).isEqualTo(1);
        assertThat(dispatch.stamps(run, Phase.PRODUCTS, 3).receivedSinceSent()).as("the re-sent message was not picked up yet").isFalse();
        dispatch.received(run, Phase.PRODUCTS, 3, T0.plusSeconds(1600));
        assertThat(dispatch.resent(run, Phase.PRODUCTS, 3, T0.plusSeconds(3100))).isEqualTo(2);

        assertThat(dispatch.stamps(run, Phase.PRODUCTS, 3))
                .isEqualTo(new RunDispatch.ChunkStamps(Optional.of(T0.plusSeconds(1600)), 2, Optional.of(T0.plusSeconds(3100))));
        assertThat(dispatch.stamps(run, Phase.RELATIONS, 3)).as("chunk numbers repeat across phases").isEqualTo(RunDispatch.ChunkStamps.NONE);
    }
}
