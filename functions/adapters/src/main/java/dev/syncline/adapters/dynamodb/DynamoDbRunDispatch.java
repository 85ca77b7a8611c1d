package dev.syncline.adapters.dynamodb;

import static dev.syncline.adapters.dynamodb.DynamoDbRunStore.runPk;
import static dev.syncline.adapters.dynamodb.DynamoDbRunStore.s;

import dev.syncline.core.plan.PlanTotals;
import dev.syncline.core.sync.Phase;
import dev.syncline.core.sync.PhaseCounts;
import dev.syncline.core.sync.Run;
import dev.syncline.core.sync.RunConflictException;
import dev.syncline.core.sync.RunDispatch;
import dev.syncline.core.sync.RunNotFoundException;
import dev.syncline.core.sync.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * A run's dispatch state and guarded counters in the run's partition ({@code pk = RUN#<id>}), every write one
 * conditional single-item update: no transactions (the emulator has none, and they cost double).
 *
 * <p>Items (beside the run item {@code sk = RUN} of {@link DynamoDbRunStore}):
 * <ul>
 *   <li>{@code sk = DISPATCH}: {@code phase} (the current phase's wire name, absent when every phase is done),
 *       {@code chunks} (map of phase wire name to its number of chunks), {@code released} (chunks of the current
 *       phase claimed so far: the release cursor), {@code open_chunks} (number set: claimed, not completed; absent
 *       when empty), {@code window_size}, {@code max_window}, {@code updated_at}. A few hundred bytes: it is
 *       written on every claim and completion.</li>
 *   <li>{@code sk = COUNTER#<ordinal>_<phase>}, one per phase: {@code shards} (number of counter shards of the
 *       phase), {@code done_shards} (number set of shards whose every chunk is counted).</li>
 *   <li>{@code sk = COUNTER#<ordinal>_<phase>#<shard, 5 digits>}, one per {@value #CHUNKS_PER_SHARD} chunks:
 *       {@code planned}, {@code succeeded}, {@code failed}, {@code cancelled} for the entries of those chunks,
 *       {@code chunks} (how many chunks the shard holds) and {@code counted} (number set of the chunks counted).
 *       The guard lives in the item it guards, so one {@code UpdateItem} both checks and counts.</li>
 *   <li>{@code sk = CHUNK#<ordinal>_<phase>#<chunk, 6 digits>}, the claim stamps of a chunk a worker picked up or the
 *       reconciler sent again: {@code received_at} (its latest pick-up), {@code resends} and {@code resent_at}. Kept
 *       apart from the dispatch item, which every claim and completion rewrites, so that it stays small.</li>
 * </ul>
 */
public final class DynamoDbRunDispatch implements RunDispatch {

    /**
     * Chunks per counter shard. A chunk number costs DynamoDB about four bytes in a number set, so a full
     * shard's guard set stays near 500 bytes and a count is a 1 KB write (writes are billed per started KB of
     * the larger of the old and new item); a catalog of 10 million products (about 13,000 chunks, most of them of
     * 1,000 entries) needs about 100 shards.
     */
    static final int CHUNKS_PER_SHARD = 128;

    private static final String DISPATCH_SK = "DISPATCH";
    private static final String COUNTER_PREFIX = "COUNTER#";
    // Optimistic writes that lost a race are retried this often before giving up (claim) or falling back (complete).
    private static final int MAX_ATTEMPTS = 8;

    /**
     * The dispatch item as the calling thread's last completion left it: the claim that follows it on the same thread
     * (the worker releasing the next chunk) starts from it instead of reading the item again.
     */
    private static final ThreadLocal<Completed> COMPLETED = new ThreadLocal<>();

    private record Completed(UUID runId, Map<String, AttributeValue> item, Instant at) {
    }

    /** How old a completion's item may be for a claim to start from it: the worker claims right after it completes. */
    private static final Duration COMPLETED_FRESH = Duration.ofSeconds(1);

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final DynamoDbRunStore runs;

    public DynamoDbRunDispatch(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.table = Objects.requireNonNull(table, "table");
        this.runs = new DynamoDbRunStore(dynamoDb, table);
    }

    // ---- planned ----------------------------------------------------------------------------------

    @Override
    public void planned(UUID runId, PlanTotals totals, Optional<Phase> firstPhase, int window, String heldBecause, Instant now) {
        if (window < 1) {
            throw new IllegalArgumentException("the dispatch window must be at least 1, got " + window);
        }
        firstPhase.ifPresent(first -> {
            if (totals.chunks(first) == 0) {
                throw new IllegalArgumentException("the first phase " + first.wireName() + " has no chunks");
            }
        });
        Run run = runs.find(runId).orElseThrow(() -> new RunNotFoundException(runId));
        if (run.status() != RunStatus.PREPARING) {
            throw notPreparing(runId, run.status());
        }
        // The run is preparing, so nothing was claimed or counted yet and these writes start from nothing. The
        // guards only matter when two planners finish the same run at once: a shard or phase item that a
        // dispatching run already counted into is left alone, and the run move below tells the late one.
        for (Phase phase : Phase.values()) {
            int[] sizes = totals.chunkSizes().get(phase);
            int shards = shardsOf(sizes.length);
            Map<String, AttributeValue> phaseItem = new HashMap<>(phaseKey(runId, phase));
            phaseItem.put("phase", s(phase.wireName()));
            phaseItem.put("shards", n(shards));
            putUnlessStarted(phaseItem, "done_shards");
            for (int shard = 0; shard < shards; shard++) {
                int from = shard * CHUNKS_PER_SHARD;
                int to = Math.min(from + CHUNKS_PER_SHARD, sizes.length);
                long planned = 0;
                for (int chunk = from; chunk < to; chunk++) {
                    planned += sizes[chunk];
                }
                Map<String, AttributeValue> shardItem = new HashMap<>(shardKey(runId, phase, shard));
                shardItem.put("chunks", n(to - from));
                shardItem.put("planned", n(planned));
                shardItem.put("succeeded", n(0));
                shardItem.put("failed", n(0));
                shardItem.put("cancelled", n(0));
                putUnlessStarted(shardItem, "counted");
            }
        }

        Map<String, AttributeValue> chunks = new HashMap<>();
        for (Phase phase : Phase.values()) {
            chunks.put(phase.wireName(), n(totals.chunks(phase)));
        }
        Map<String, AttributeValue> dispatch = new HashMap<>(dispatchKey(runId));
        firstPhase.ifPresent(first -> dispatch.put("phase", s(first.wireName())));
        dispatch.put("chunks", AttributeValue.fromM(chunks));
        dispatch.put("released", n(0));
        dispatch.put("window_size", n(window));
        dispatch.put("max_window", n(window));
        dispatch.put("rejected_lines", n(totals.rejectedLines()));
        if (totals.snapshotSha256() != null) {
            dispatch.put("snapshot_sha256", s(totals.snapshotSha256()));
            dispatch.put("snapshot_lines", n(totals.snapshotLines()));
        }
        if (heldBecause != null) {
            dispatch.put("guard_would_delete", n(totals.deletions()));
            dispatch.put("guard_held", n(totals.held()));
        }
        dispatch.put("updated_at", s(now.toString()));
        // Overwriting is safe only while nothing of the first phase was claimed.
        String unclaimed = firstPhase.isPresent()
                ? "attribute_not_exists(pk) OR (released = :zero AND attribute_not_exists(open_chunks) AND phase = :first)"
                : "attribute_not_exists(pk) OR attribute_not_exists(phase)";
        Map<String, AttributeValue> values = new HashMap<>();
        firstPhase.ifPresent(first -> {
            values.put(":zero", n(0));
            values.put(":first", s(first.wireName()));
        });
        try {
            dynamoDb.putItem(b -> {
                b.tableName(table).item(dispatch).conditionExpression(unclaimed);
                if (!values.isEmpty()) {
                    b.expressionAttributeValues(values);
                }
            });
        } catch (ConditionalCheckFailedException e) {
            throw new RunConflictException("Synchronization " + runId + " is dispatching already; its plan was stored before.");
        }
        try {
            runs.transition(runId, RunStatus.PREPARING, heldBecause == null ? RunStatus.EXECUTION : RunStatus.AWAITING_CONFIRMATION,
                    heldBecause, now);
        } catch (RunConflictException e) {
            RunStatus status = runs.find(runId).map(Run::status).orElse(RunStatus.CANCELLED);
            throw notPreparing(runId, status);
        }
    }

    private void putUnlessStarted(Map<String, AttributeValue> item, String guardSet) {
        try {
            dynamoDb.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(" + guardSet + ")"));
        } catch (ConditionalCheckFailedException alreadyCounting) {
            // Another planner's plan is being dispatched; the run move in planned() reports the conflict.
        }
    }

    private static RunConflictException notPreparing(UUID runId, RunStatus status) {
        return new RunConflictException("Synchronization " + runId + " is " + status.wireName()
                + ", not preparing; its plan is not dispatched.");
    }

    // ---- claim ------------------------------------------------------------------------------------

    /**
     * Claims by optimistic locking on the release cursor: read the run's status and the dispatch item, then
     * move the cursor on condition that it still holds the value read, the window did not shrink, and the
     * phase is still current. Claims are therefore serialized (each one moves the cursor), and only
     * completions interleave: they free slots and change the window, which can only make a claim's room
     * estimate conservative, except a halving, which the {@code window_size >= read} condition catches. A claim
     * right after a completion on the same thread (the worker releasing the next chunk) starts from the dispatch item
     * that completion's write answered instead of reading it again; the same condition holds it to account.
     *
     * <p>Cancel moves the run item's status (through {@link DynamoDbRunStore#transition}); every claim reads it
     * first, consistently, so a claim that starts after the cancel claims nothing. A claim that read
     * {@code execution} just before a concurrent cancel can still release up to one window of chunks after it.
     * That is harmless: the worker reads the status again before delivering and records those entries as
     * cancelled without calling the App, exactly like chunks already in flight when the cancel came.
     */
    @Override
    public List<Integer> claim(UUID runId, Phase phase, Instant now) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            if (status(runId) != RunStatus.EXECUTION) {
                return List.of();
            }
            // Only when it leaves room: deciding that nothing is claimed takes a fresh read.
            Optional<Dispatch> read = (attempt == 0 ? takeCompleted(runId, now) : Optional.<Dispatch>empty())
                    .filter(completed -> completed.isCurrent(phase) && room(completed, phase) > 0)
                    .or(() -> dispatch(runId));
            if (read.isEmpty() || !read.get().isCurrent(phase)) {
                return List.of();
            }
            Dispatch dispatch = read.get();
            int claim = room(dispatch, phase);
            if (claim <= 0) {
                return List.of();
            }
            List<Integer> claimed = IntStream.range(dispatch.released(), dispatch.released() + claim).boxed().toList();
            try {
                dynamoDb.updateItem(b -> b.tableName(table)
                        .key(dispatchKey(runId))
                        .updateExpression("SET released = :next, updated_at = :now ADD open_chunks :claimed")
                        .conditionExpression("phase = :phase AND released = :released AND window_size >= :window")
                        .expressionAttributeValues(Map.of(
                                ":next", n(dispatch.released() + claim),
                                ":now", s(now.toString()),
                                ":claimed", numberSet(claimed),
                                ":phase", s(phase.wireName()),
                                ":released", n(dispatch.released()),
                                ":window", n(dispatch.window()))));
                return claimed;
            } catch (ConditionalCheckFailedException raced) {
                pause(attempt);
            }
        }
        // Every attempt lost to another claimer, which means they filled the window: nothing is left behind.
        return List.of();
    }

    /** How many chunks of {@code phase} a claim may release now: free slots of the window, chunks not released yet. */
    private static int room(Dispatch dispatch, Phase phase) {
        return Math.min(dispatch.window() - dispatch.open().size(), dispatch.chunks(phase) - dispatch.released());
    }

    /** The dispatch item this thread's last completion of {@code runId} wrote a moment ago, once; else empty. */
    private static Optional<Dispatch> takeCompleted(UUID runId, Instant now) {
        Completed completed = COMPLETED.get();
        COMPLETED.remove();
        return completed != null && completed.runId().equals(runId) && now.isBefore(completed.at().plus(COMPLETED_FRESH))
                ? dispatchOf(completed.item()) : Optional.empty();
    }

    // ---- count ------------------------------------------------------------------------------------

    /**
     * One {@code UpdateItem} on the chunk's counter shard adds the deltas and the chunk number to the shard's
     * guard set, on condition the set does not hold it yet; the item it returns says whether the shard is
     * now fully counted. The call that completes a shard adds the shard to the phase item's done set (guarded
     * the same way) and learns from its answer whether every shard is done.
     *
     * <p>A call whose counts were applied before (a redelivered message) still answers the current state:
     * the worker that counted may have died before it marked the shard done or advanced the phase, and the
     * redelivery must be able to finish that work. Marking is idempotent, and {@link #advance} lets one caller
     * through, so several callers seeing a complete phase is fine.
     *
     * <p>A shard is done when all of its chunks are counted, not when planned minus terminal reaches zero:
     * the two agree when every chunk reports its planned entries, and only the first cannot stall on a chunk
     * that does not.
     */
    @Override
    public Counted count(UUID runId, Phase phase, int chunk, PhaseCounts delta, Instant now) {
        if (chunk < 0) {
            throw new IllegalArgumentException("chunk must not be negative, got " + chunk);
        }
        int shard = chunk / CHUNKS_PER_SHARD;
        Map<String, AttributeValue> key = shardKey(runId, phase, shard);
        Map<String, AttributeValue> shardItem;
        boolean applied;
        try {
            shardItem = dynamoDb.updateItem(b -> b.tableName(table)
                            .key(key)
                            .updateExpression("ADD planned :planned, succeeded :succeeded, failed :failed, cancelled :cancelled, counted :chunkSet")
                            .conditionExpression("attribute_exists(pk) AND chunks > :offset AND NOT contains(counted, :chunk)")
                            .expressionAttributeValues(Map.of(
                                    ":planned", n(delta.planned()),
                                    ":succeeded", n(delta.succeeded()),
                                    ":failed", n(delta.failed()),
                                    ":cancelled", n(delta.cancelled()),
                                    ":chunkSet", numberSet(List.of(chunk)),
                                    ":chunk", n(chunk),
                                    ":offset", n(chunk - shard * CHUNKS_PER_SHARD)))
                            .returnValues(ReturnValue.ALL_NEW)
                            .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
                    .attributes();
            applied = true;
        } catch (ConditionalCheckFailedException notApplied) {
            shardItem = get(key);
            if (shardItem.isEmpty() || chunk - shard * CHUNKS_PER_SHARD >= intOf(shardItem, "chunks")) {
                throw new IllegalArgumentException("Chunk " + chunk + " of phase " + phase.wireName() + " is not part of the plan of run " + runId + ".");
            }
            applied = false;
        }
        boolean shardDone = numbers(shardItem, "counted").size() >= intOf(shardItem, "chunks");
        return new Counted(applied, shardDone && markShardDone(runId, phase, shard));
    }

    /** Adds a shard to its phase's done set (once) and answers whether every shard of the phase is done. */
    private boolean markShardDone(UUID runId, Phase phase, int shard) {
        Map<String, AttributeValue> phaseItem;
        try {
            phaseItem = dynamoDb.updateItem(b -> b.tableName(table)
                            .key(phaseKey(runId, phase))
                            .updateExpression("ADD done_shards :shardSet")
                            .conditionExpression("attribute_exists(pk) AND NOT contains(done_shards, :shard)")
                            .expressionAttributeValues(Map.of(":shardSet", numberSet(List.of(shard)), ":shard", n(shard)))
                            .returnValues(ReturnValue.ALL_NEW))
                    .attributes();
        } catch (ConditionalCheckFailedException markedBefore) {
            phaseItem = get(phaseKey(runId, phase));
            if (phaseItem.isEmpty()) {
                throw new IllegalStateException("Run " + runId + " has counter shards but no phase item for " + phase.wireName());
            }
        }
        return numbers(phaseItem, "done_shards").size() >= intOf(phaseItem, "shards");
    }

    // ---- complete ---------------------------------------------------------------------------------

    /**
     * Reads the dispatch item, then removes the chunk from the open set and sets the adapted window, on
     * condition that the chunk is still open, the phase is the one the chunk belongs to (chunk numbers repeat
     * across phases), and the window is the one read (so two completions adapt it one after the other, not
     * over each other). Repeating it finds the chunk no longer open and does nothing, so the window adapts
     * once per chunk.
     */
    @Override
    public int complete(UUID runId, Phase phase, int chunk, boolean throttled, Instant now) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<Dispatch> read = dispatch(runId);
            if (read.isEmpty() || !read.get().isCurrent(phase) || !read.get().open().contains(chunk)) {
                return 0;
            }
            Dispatch dispatch = read.get();
            int window = throttled
                    ? Math.max(1, dispatch.window() / 2)
                    : Math.min(dispatch.maxWindow(), dispatch.window() + 1);
            try {
                Map<String, AttributeValue> written = dynamoDb.updateItem(b -> b.tableName(table)
                        .key(dispatchKey(runId))
                        .updateExpression("DELETE open_chunks :chunkSet SET window_size = :window, updated_at = :now")
                        .conditionExpression("phase = :phase AND contains(open_chunks, :chunk) AND window_size = :read")
                        .expressionAttributeValues(Map.of(
                                ":chunkSet", numberSet(List.of(chunk)),
                                ":window", n(window),
                                ":now", s(now.toString()),
                                ":phase", s(phase.wireName()),
                                ":chunk", n(chunk),
                                ":read", n(dispatch.window())))
                        .returnValues(ReturnValue.ALL_NEW))
                        .attributes();
                COMPLETED.set(new Completed(runId, written, now));
                return window;
            } catch (ConditionalCheckFailedException raced) {
                pause(attempt);
            }
        }
        // Contended throughout: free the slot without adapting the window, so the run never waits on it.
        try {
            dynamoDb.updateItem(b -> b.tableName(table)
                    .key(dispatchKey(runId))
                    .updateExpression("DELETE open_chunks :chunkSet SET updated_at = :now")
                    .conditionExpression("phase = :phase")
                    .expressionAttributeValues(Map.of(
                            ":chunkSet", numberSet(List.of(chunk)),
                            ":now", s(now.toString()),
                            ":phase", s(phase.wireName()))));
        } catch (ConditionalCheckFailedException phaseMovedOn) {
            // The chunk's phase is over; its slot went with it.
        }
        return 0;
    }

    // ---- progressed --------------------------------------------------------------------------------

    @Override
    public void progressed(UUID runId, Instant now) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table)
                    .key(dispatchKey(runId))
                    .updateExpression("SET updated_at = :now")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":now", s(now.toString()))));
        } catch (ConditionalCheckFailedException notDispatched) {
            // The run has no dispatch state: nothing to note.
        }
    }

    // ---- advance ----------------------------------------------------------------------------------

    @Override
    public boolean advance(UUID runId, Phase from, Optional<Phase> to, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":from", s(from.wireName()),
                ":zero", n(0),
                ":now", s(now.toString())));
        String update;
        if (to.isPresent()) {
            update = "SET phase = :to, released = :zero, updated_at = :now REMOVE open_chunks";
            values.put(":to", s(to.get().wireName()));
        } else {
            update = "SET released = :zero, updated_at = :now REMOVE phase, open_chunks";
        }
        try {
            dynamoDb.updateItem(b -> b.tableName(table)
                    .key(dispatchKey(runId))
                    .updateExpression(update)
                    .conditionExpression("phase = :from")
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException anotherAdvanced) {
            return false;
        }
    }

    // ---- claim stamps -------------------------------------------------------------------------------

    @Override
    public void received(UUID runId, Phase phase, int chunk, Instant now) {
        dynamoDb.updateItem(b -> b.tableName(table)
                .key(chunkKey(runId, phase, chunk))
                .updateExpression("SET received_at = :now")
                .expressionAttributeValues(Map.of(":now", s(now.toString()))));
    }

    @Override
    public int resent(UUID runId, Phase phase, int chunk, Instant now) {
        Map<String, AttributeValue> after = dynamoDb.updateItem(b -> b.tableName(table)
                        .key(chunkKey(runId, phase, chunk))
                        .updateExpression("SET resent_at = :now ADD resends :one")
                        .expressionAttributeValues(Map.of(":now", s(now.toString()), ":one", n(1)))
                        .returnValues(ReturnValue.ALL_NEW))
                .attributes();
        return intOf(after, "resends");
    }

    @Override
    public ChunkStamps stamps(UUID runId, Phase phase, int chunk) {
        Map<String, AttributeValue> item = get(chunkKey(runId, phase, chunk));
        if (item.isEmpty()) {
            return ChunkStamps.NONE;
        }
        return new ChunkStamps(
                Optional.ofNullable(item.get("received_at")).map(value -> Instant.parse(value.s())),
                item.containsKey("resends") ? intOf(item, "resends") : 0,
                Optional.ofNullable(item.get("resent_at")).map(value -> Instant.parse(value.s())));
    }

    // ---- reads ------------------------------------------------------------------------------------

    @Override
    public Optional<DispatchState> state(UUID runId) {
        Optional<Dispatch> read = dispatch(runId);
        if (read.isEmpty()) {
            return Optional.empty();
        }
        Dispatch dispatch = read.get();
        return Optional.of(new DispatchState(
                status(runId),
                dispatch.phase(),
                dispatch.phase().map(dispatch::chunks).orElse(0),
                dispatch.released(),
                List.copyOf(dispatch.open()),
                dispatch.window(),
                dispatch.rejectedLines(),
                dispatch.updatedAt(),
                dispatch.guardHold(),
                dispatch.snapshotSha256(),
                dispatch.snapshotLines()));
    }

    /**
     * Sums the counter shards of each phase: one {@code Query} over the run's counter items (a page holds about
     * a thousand shards). Shards beyond the number the phase item names are ignored, so a plan stored twice
     * never adds a stale shard of the first.
     */
    @Override
    public Map<Phase, PhaseCounts> counts(UUID runId) {
        Map<Phase, Integer> shards = new EnumMap<>(Phase.class);
        Map<Phase, Map<Integer, PhaseCounts>> byShard = new EnumMap<>(Phase.class);
        for (Map<String, AttributeValue> item : counterItems(runId, COUNTER_PREFIX)) {
            String[] parts = item.get("sk").s().substring(COUNTER_PREFIX.length()).split("#");
            Phase phase = phaseOfCounter(parts[0]);
            if (parts.length == 1) {
                shards.put(phase, intOf(item, "shards"));
            } else {
                byShard.computeIfAbsent(phase, p -> new HashMap<>()).put(Integer.parseInt(parts[1]), new PhaseCounts(
                        longOf(item, "planned"), longOf(item, "succeeded"), longOf(item, "failed"), longOf(item, "cancelled")));
            }
        }

        Map<Phase, PhaseCounts> counts = new EnumMap<>(Phase.class);
        for (Phase phase : Phase.values()) {
            int phaseShards = shards.getOrDefault(phase, 0);
            PhaseCounts sum = PhaseCounts.ZERO;
            for (Map.Entry<Integer, PhaseCounts> shard : byShard.getOrDefault(phase, Map.of()).entrySet()) {
                if (shard.getKey() < phaseShards) {
                    sum = sum.plus(shard.getValue());
                }
            }
            counts.put(phase, sum);
        }
        return Map.copyOf(counts);
    }

    /**
     * One {@code Query} over the phase's counter shards: the chunks each shard holds that its guard set does not. Only
     * the reconciler asks, for a run that stopped moving.
     */
    @Override
    public List<Integer> uncounted(UUID runId, Phase phase) {
        List<Integer> uncounted = new ArrayList<>();
        for (Map<String, AttributeValue> item : counterItems(runId, COUNTER_PREFIX + counterName(phase) + "#")) {
            String sk = item.get("sk").s();
            int shard = Integer.parseInt(sk.substring(sk.lastIndexOf('#') + 1));
            Set<Integer> counted = numbers(item, "counted");
            for (int chunk = shard * CHUNKS_PER_SHARD; chunk < shard * CHUNKS_PER_SHARD + intOf(item, "chunks"); chunk++) {
                if (!counted.contains(chunk)) {
                    uncounted.add(chunk);
                }
            }
        }
        return List.copyOf(uncounted);
    }

    /** The run's counter items whose sort key starts with {@code prefix}, every page of a consistent {@code Query}. */
    private List<Map<String, AttributeValue>> counterItems(UUID runId, String prefix) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamoDb.queryPaginator(b -> b.tableName(table)
                        .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                        .expressionAttributeValues(Map.of(":pk", s(runPk(runId)), ":prefix", s(prefix)))
                        .consistentRead(true))
                .items().forEach(items::add);
        return items;
    }

    // ---- items ------------------------------------------------------------------------------------

    /** The dispatch item as read. */
    private record Dispatch(
            Optional<Phase> phase, Map<Phase, Integer> chunkCounts, int released, Set<Integer> open,
            int window, int maxWindow, long rejectedLines, Instant updatedAt, Optional<GuardHold> guardHold,
            Optional<String> snapshotSha256, Optional<Long> snapshotLines) {

        boolean isCurrent(Phase candidate) {
            return phase.isPresent() && phase.get() == candidate;
        }

        int chunks(Phase of) {
            return chunkCounts.getOrDefault(of, 0);
        }
    }

    private Optional<Dispatch> dispatch(UUID runId) {
        return dispatchOf(get(dispatchKey(runId)));
    }

    private static Optional<Dispatch> dispatchOf(Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        Map<Phase, Integer> chunks = new EnumMap<>(Phase.class);
        item.get("chunks").m().forEach((phase, count) -> chunks.put(phaseOf(phase), Integer.parseInt(count.n())));
        return Optional.of(new Dispatch(
                item.containsKey("phase") ? Optional.of(phaseOf(item.get("phase").s())) : Optional.empty(),
                chunks,
                intOf(item, "released"),
                numbers(item, "open_chunks"),
                intOf(item, "window_size"),
                intOf(item, "max_window"),
                item.containsKey("rejected_lines") ? Long.parseLong(item.get("rejected_lines").n()) : 0,
                Instant.parse(item.get("updated_at").s()),
                item.containsKey("guard_would_delete")
                        ? Optional.of(new GuardHold(longOf(item, "guard_would_delete"), longOf(item, "guard_held")))
                        : Optional.empty(),
                item.containsKey("snapshot_sha256") ? Optional.of(item.get("snapshot_sha256").s()) : Optional.empty(),
                item.containsKey("snapshot_lines") ? Optional.of(longOf(item, "snapshot_lines")) : Optional.empty()));
    }

    private RunStatus status(UUID runId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table)
                        .key(Map.of("pk", s(runPk(runId)), "sk", s(DynamoDbRunStore.RUN_SK)))
                        .projectionExpression("#status")
                        .expressionAttributeNames(Map.of("#status", "status"))
                        .consistentRead(true))
                .item();
        if (item == null || item.isEmpty()) {
            throw new RunNotFoundException(runId);
        }
        return RunStatus.valueOf(item.get("status").s().toUpperCase(Locale.ROOT));
    }

    private Map<String, AttributeValue> get(Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item();
        return item == null ? Map.of() : item;
    }

    private static Map<String, AttributeValue> dispatchKey(UUID runId) {
        return Map.of("pk", s(runPk(runId)), "sk", s(DISPATCH_SK));
    }

    private static Map<String, AttributeValue> phaseKey(UUID runId, Phase phase) {
        return Map.of("pk", s(runPk(runId)), "sk", s(COUNTER_PREFIX + counterName(phase)));
    }

    private static Map<String, AttributeValue> shardKey(UUID runId, Phase phase, int shard) {
        return Map.of("pk", s(runPk(runId)), "sk", s(COUNTER_PREFIX + counterName(phase) + "#" + String.format(Locale.ROOT, "%05d", shard)));
    }

    private static Map<String, AttributeValue> chunkKey(UUID runId, Phase phase, int chunk) {
        return Map.of("pk", s(runPk(runId)), "sk", s("CHUNK#" + counterName(phase) + "#" + String.format(Locale.ROOT, "%06d", chunk)));
    }

    // "2_products": the ordinal keeps the counter items in phase order.
    private static String counterName(Phase phase) {
        return phase.ordinal() + "_" + phase.wireName();
    }

    private static Phase phaseOfCounter(String counterName) {
        return phaseOf(counterName.substring(counterName.indexOf('_') + 1));
    }

    private static Phase phaseOf(String wireName) {
        return Phase.valueOf(wireName.toUpperCase(Locale.ROOT));
    }

    private static int shardsOf(int chunks) {
        return (chunks + CHUNKS_PER_SHARD - 1) / CHUNKS_PER_SHARD;
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static AttributeValue numberSet(List<Integer> values) {
        return AttributeValue.fromNs(values.stream().map(String::valueOf).toList());
    }

    private static int intOf(Map<String, AttributeValue> item, String name) {
        return Integer.parseInt(item.get(name).n());
    }

    private static long longOf(Map<String, AttributeValue> item, String name) {
        return Long.parseLong(item.get(name).n());
    }

    private static Set<Integer> numbers(Map<String, AttributeValue> item, String name) {
        Set<Integer> numbers = new TreeSet<>();
        AttributeValue set = item.get(name);
        if (set != null && set.hasNs()) {
            set.ns().forEach(number -> numbers.add(Integer.valueOf(number)));
        }
        return numbers;
    }

    // Jittered, growing pause between optimistic attempts, so racing workers spread out instead of colliding again.
    private static void pause(int attempt) {
        long millis = ThreadLocalRandom.current().nextLong(1, 5L << Math.min(attempt, 5));
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a dispatch write", e);
        }
    }
}
