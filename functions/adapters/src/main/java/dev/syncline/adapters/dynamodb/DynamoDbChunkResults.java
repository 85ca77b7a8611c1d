package dev.syncline.adapters.dynamodb;

import static dev.syncline.adapters.dynamodb.DynamoDbRunStore.runPk;
import static dev.syncline.adapters.dynamodb.DynamoDbRunStore.s;

import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.core.SynclineException;
import dev.syncline.core.delivery.ChunkRef;
import dev.syncline.core.delivery.ChunkResult;
import dev.syncline.core.delivery.ChunkResults;
import dev.syncline.core.delivery.ChunkWork;
import dev.syncline.core.delivery.EntryResult;
import dev.syncline.core.delivery.EntryStatus;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.ResourceType;
import dev.syncline.core.sync.Phase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Chunk results, one item per chunk, written once, and an index of the failed entries.
 *
 * <ul>
 *   <li>The chunk item, {@code pk = RUN#<run>#RESULTS}, {@code sk = <phase ordinal>_<phase>#<chunk, 10 digits>}
 *       (so a run's chunks sort by phase, then chunk): {@code phase}, {@code chunk}, {@code succeeded},
 *       {@code failed}, {@code cancelled} (the chunk's counts) and {@code packed}, every entry's result in one binary
 *       value ({@link PackedEntryResults}: about 9 bytes an entry where the list of maps below takes 80, so a chunk of
 *       250 entries is a write of 3 units instead of 20). When packed entries would not fit one item, and in
 *       items written before they were packed, the item has {@code entries} instead, a list with one map per entry
 *       under short names, since every byte of them is billed on each write: {@code i} index, {@code rt} resource
 *       type, {@code ri} resource id, {@code ev} event, {@code st} status, {@code at} attempts, {@code hs} last
 *       HTTP status, {@code er} error excerpt (at most {@value #ERROR_LIMIT} characters and an ellipsis),
 *       {@code ms} duration in milliseconds, {@code th} true when the App pushed back (no customs: the delivered
 *       state keeps them). A chunk of 100 entries takes a few KB, up to about 60 KB with long error
 *       excerpts. It is put on condition {@code attribute_not_exists(pk)}: the first recording wins.</li>
 *   <li>Parts of an oversized chunk item. Only customs are unbounded; when a chunk's entries would pass
 *       {@value #MAX_ITEM_BYTES} bytes (an item may hold 400 KB), the chunk item keeps the first entries and
 *       {@code parts} (how many items hold entries) and {@code attempt} (an id of the recording), and the rest go
 *       to {@code pk = RUN#<run>#RESULT_PARTS}, {@code sk = <chunk item's sk>#<attempt>#<part, 3 digits>}
 *       with {@code entries}. Parts are written before the chunk item, so a chunk item never names a missing
 *       part; a recording that loses the race deletes its own parts (one that dies first leaves them
 *       unreferenced, costing storage only).</li>
 *   <li>One item per failed entry, {@code pk = RUN#<run>#FAILED},
 *       {@code sk = <phase ordinal>_<phase>#<chunk, 10 digits>#<index, 6 digits>}: {@code phase}, {@code chunk},
 *       {@code entry} (the entry's map as above, without customs), so listing the failures of a run never
 *       reads its successes. Written after the chunk item, from the record on file, and again by every later
 *       recording of the same chunk: puts of the same content, so a worker that died in between is made good
 *       by the redelivery.</li>
 *   <li>The progress of a chunk handed on between passes, one item per pass, {@code pk = RUN#<run>#PASSES},
 *       {@code sk = <chunk item's sk>#<pass, 5 digits>}: {@code pass} and {@code entries} as in the chunk item
 *       (open entries have status {@code planned} and the attempts made so far; oversized ones go to parts the
 *       same way, and with {@code cu}, the {@code resource_customs} an entry's App answered, as JSON text, until
 *       the final pass puts them into the delivered state), put on condition {@code attribute_not_exists(pk)}: the first recording of a pass wins.</li>
 *   <li>The lease on a pass, {@code pk = RUN#<run>#PASS_LEASES}, {@code sk} as a pass's: {@code until} (epoch
 *       milliseconds), put on condition that none exists or it ran out.</li>
 * </ul>
 */
public final class DynamoDbChunkResults implements ChunkResults {

    static final int ERROR_LIMIT = 500;
    /** Above this estimate a chunk's entries are split over several items; DynamoDB refuses items over 400 KB. */
    static final int MAX_ITEM_BYTES = 350 * 1024;

    private static final Pattern CHUNK_SK = Pattern.compile("(\\d)_([a-z]+)#(\\d{10})");
    private static final Pattern FAILED_SK = Pattern.compile("(\\d)_([a-z]+)#(\\d{10})#(\\d{6})");

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final JsonCodec json;

    public DynamoDbChunkResults(DynamoDbClient dynamoDb, String table, JsonCodec json) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.table = Objects.requireNonNull(table, "table");
        this.json = Objects.requireNonNull(json, "json");
    }

    /** One entry's result and the chunk it belongs to. */
    public record RecordedEntry(ChunkRef chunk, EntryResult result) {

        public RecordedEntry {
            Objects.requireNonNull(chunk, "chunk");
            Objects.requireNonNull(result, "result");
        }
    }

    /** A page of entries; {@code nextCursor} is null on the last page. */
    public record EntryPage(List<RecordedEntry> entries, String nextCursor) {

        public EntryPage {
            entries = List.copyOf(entries);
        }
    }

    // ---- the port ---------------------------------------------------------------------------------

    @Override
    public Recorded record(ChunkResult result) {
        ChunkRef ref = result.ref();
        Map<String, AttributeValue> item = new HashMap<>(chunkKey(ref));
        item.put("phase", s(ref.phase().wireName()));
        item.put("chunk", n(ref.chunk()));
        item.put("succeeded", n(result.counts().succeeded()));
        item.put("failed", n(result.counts().failed()));
        item.put("cancelled", n(result.counts().cancelled()));
        // The final results keep no customs: the delivered state has them (written before the results).
        if (putOnce(result, item, false)) {
            indexFailed(result);
            return new Recorded(result, true);
        }
        ChunkResult onFile = find(ref).orElseThrow(() -> new IllegalStateException("the results of chunk " + ref + " vanished"));
        indexFailed(onFile);
        return new Recorded(onFile, false);
    }

    @Override
    public Recorded recordPass(ChunkResult progress, int pass) {
        ChunkRef ref = progress.ref();
        Map<String, AttributeValue> item = new HashMap<>(passKey(ref, pass));
        item.put("pass", n(pass));
        if (putOnce(progress, item, true)) {
            return new Recorded(progress, true);
        }
        Map<String, AttributeValue> onFile = get(passKey(ref, pass));
        return new Recorded(new ChunkResult(ref, entriesOf(ref, onFile)), false);
    }

    @Override
    public Optional<Pass> latestPass(ChunkRef ref) {
        QueryResponse page = dynamoDb.query(b -> b.tableName(table)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", s(passesPk(ref.runId())), ":prefix", s(chunkSk(ref) + "#")))
                .scanIndexForward(false)
                .limit(1)
                .consistentRead(true));
        if (page.items().isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = page.items().getFirst();
        return Optional.of(new Pass(Integer.parseInt(item.get("pass").n()), new ChunkResult(ref, entriesOf(ref, item))));
    }

    @Override
    public boolean lease(ChunkWork work, Instant until, Instant now) {
        Map<String, AttributeValue> key = Map.of("pk", s(leasesPk(work.ref().runId())),
                "sk", s(chunkSk(work.ref()) + "#" + String.format(Locale.ROOT, "%05d", work.pass())));
        try {
            // Epoch milliseconds, so the condition compares numbers, not texts of varying length.
            dynamoDb.putItem(b -> b.tableName(table)
                    .item(Map.of("pk", key.get("pk"), "sk", key.get("sk"), "until", n(until.toEpochMilli())))
                    .conditionExpression("attribute_not_exists(pk) OR #until < :now")
                    .expressionAttributeNames(Map.of("#until", "until"))
                    .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli()))));
            return true;
        } catch (ConditionalCheckFailedException held) {
            return false;
        }
    }

    /**
     * Puts {@code item} with the result's entries on condition that its key is new, spilling entries to parts when
     * they would not fit one item; a recording that loses the race deletes its own parts.
     *
     * @return whether this call wrote it
     */
    private boolean putOnce(ChunkResult result, Map<String, AttributeValue> item, boolean withCustoms) {
        ChunkRef ref = result.ref();
        if (!withCustoms) {
            byte[] packed = PackedEntryResults.pack(result.entries());
            // The rest of an item (keys, counts, names) takes well under 1 KB.
            if (packed.length + 1024 <= MAX_ITEM_BYTES) {
                item.put("packed", AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(packed)));
                return putFirst(item);
            }
        }
        List<List<AttributeValue>> parts = split(ref, result.entries().stream().map(entry -> AttributeValue.fromM(encode(entry, withCustoms))).toList());
        item.put("entries", AttributeValue.fromL(parts.getFirst()));
        String attempt = null;
        if (parts.size() > 1) {
            attempt = UUID.randomUUID().toString();
            item.put("parts", n(parts.size()));
            item.put("attempt", s(attempt));
            // One request per part: a batch of parts could pass the 16 MB a batch may carry.
            for (int part = 1; part < parts.size(); part++) {
                Map<String, AttributeValue> partItem = new HashMap<>(partKey(ref, attempt, part));
                partItem.put("entries", AttributeValue.fromL(parts.get(part)));
                dynamoDb.putItem(b -> b.tableName(table).item(partItem).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            }
        }
        if (putFirst(item)) {
            return true;
        }
        if (attempt != null) {
            List<WriteRequest> deletes = new ArrayList<>();
            for (int part = 1; part < parts.size(); part++) {
                deletes.add(WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(partKey(ref, attempt, part)).build()).build());
            }
            DynamoDbResourceCustomsBatches.writeAll(dynamoDb, table, deletes);
        }
        return false;
    }

    /** Puts {@code item} on condition that its key is new; answers whether it did. */
    private boolean putFirst(Map<String, AttributeValue> item) {
        try {
            dynamoDb.putItem(b -> b.tableName(table)
                    .item(item)
                    .conditionExpression("attribute_not_exists(pk)")
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            return true;
        } catch (ConditionalCheckFailedException recordedBefore) {
            return false;
        }
    }

    private Map<String, AttributeValue> get(Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            throw new IllegalStateException("the item " + key.get("sk").s() + " of " + key.get("pk").s() + " vanished");
        }
        return item;
    }

    @Override
    public Optional<ChunkResult> find(ChunkRef ref) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(chunkKey(ref)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ChunkResult(ref, entriesOf(ref, item)));
    }

    // ---- reads for the API ------------------------------------------------------------------------

    /**
     * A run's entry results of one phase in chunk and entry order, {@code chunks} chunk items (about 100
     * entries each) per page; fewer when DynamoDB's 1 MB page ends first. Listings read eventually
     * consistently, at half the cost: a chunk recorded a moment ago may show only on the next call.
     *
     * @param cursor null for the first page, else {@code nextCursor} of the previous one
     * @throws SynclineException.Invalid when the cursor is not one this method returned for this phase
     */
    public EntryPage entries(UUID runId, Phase phase, int chunks, String cursor) {
        requirePositive(chunks);
        String prefix = phasePrefix(phase);
        Map<String, AttributeValue> pk = Map.of("pk", s(resultsPk(runId)));
        Map<String, AttributeValue> start = cursor == null ? null : startKey(pk, cursor, CHUNK_SK, prefix, "entries");
        QueryResponse page = dynamoDb.query(b -> {
            b.tableName(table)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                    .expressionAttributeValues(Map.of(":pk", pk.get("pk"), ":prefix", s(prefix)))
                    .limit(chunks);
            if (start != null) {
                b.exclusiveStartKey(start);
            }
        });
        List<RecordedEntry> entries = new ArrayList<>();
        for (Map<String, AttributeValue> item : page.items()) {
            ChunkRef ref = new ChunkRef(runId, phase, Integer.parseInt(item.get("chunk").n()));
            for (EntryResult entry : entriesOf(ref, item)) {
                entries.add(new RecordedEntry(ref, entry));
            }
        }
        return new EntryPage(entries, nextCursor(page));
    }

    /**
     * A run's failed entries in phase, chunk and entry order, {@code limit} per page, read from the failure
     * index alone. Customs are not part of the index.
     *
     * @param cursor null for the first page, else {@code nextCursor} of the previous one
     * @throws SynclineException.Invalid when the cursor is not one this method returned
     */
    public EntryPage failed(UUID runId, int limit, String cursor) {
        return failed(runId, "", limit, cursor);
    }

    /** Like {@link #failed(UUID, int, String)}, for the failed entries of one phase. */
    public EntryPage failed(UUID runId, Phase phase, int limit, String cursor) {
        return failed(runId, phasePrefix(phase), limit, cursor);
    }

    private EntryPage failed(UUID runId, String prefix, int limit, String cursor) {
        requirePositive(limit);
        Map<String, AttributeValue> pk = Map.of("pk", s(failedPk(runId)));
        Map<String, AttributeValue> start = cursor == null ? null : startKey(pk, cursor, FAILED_SK, prefix, "failed entries");
        QueryResponse page = dynamoDb.query(b -> {
            b.tableName(table).limit(limit);
            // DynamoDB refuses an empty string as a key condition's value.
            if (prefix.isEmpty()) {
                b.keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", pk.get("pk")));
            } else {
                b.keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                        .expressionAttributeValues(Map.of(":pk", pk.get("pk"), ":prefix", s(prefix)));
            }
            if (start != null) {
                b.exclusiveStartKey(start);
            }
        });
        List<RecordedEntry> entries = new ArrayList<>();
        for (Map<String, AttributeValue> item : page.items()) {
            ChunkRef ref = new ChunkRef(runId, phaseOf(item.get("phase").s()), Integer.parseInt(item.get("chunk").n()));
            entries.add(new RecordedEntry(ref, decode(item.get("entry").m(), false)));
        }
        return new EntryPage(entries, nextCursor(page));
    }

    // ---- items ------------------------------------------------------------------------------------

    private void indexFailed(ChunkResult result) {
        List<WriteRequest> writes = new ArrayList<>();
        for (EntryResult entry : result.entries()) {
            if (entry.status() != EntryStatus.FAILED) {
                continue;
            }
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("pk", s(failedPk(result.ref().runId())));
            item.put("sk", s(failedSk(result.ref(), entry.index())));
            item.put("phase", s(result.ref().phase().wireName()));
            item.put("chunk", n(result.ref().chunk()));
            item.put("entry", AttributeValue.fromM(encode(entry, false)));
            writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
        }
        DynamoDbResourceCustomsBatches.writeAll(dynamoDb, table, writes);
    }

    private List<EntryResult> entriesOf(ChunkRef ref, Map<String, AttributeValue> item) {
        if (item.containsKey("packed")) {
            return PackedEntryResults.unpack(item.get("packed").b().asByteArrayUnsafe());
        }
        List<EntryResult> entries = new ArrayList<>();
        item.get("entries").l().forEach(entry -> entries.add(decode(entry.m(), true)));
        if (!item.containsKey("parts")) {
            return entries;
        }
        // Read consistently even for listings: the parts were written before the chunk item, but an eventually
        // consistent read of another item need not show them yet.
        String prefix = chunkSk(ref) + "#" + item.get("attempt").s() + "#";
        int found = 1;
        Iterable<Map<String, AttributeValue>> parts = dynamoDb.queryPaginator(b -> b.tableName(table)
                        .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                        .expressionAttributeValues(Map.of(":pk", s(partsPk(ref.runId())), ":prefix", s(prefix)))
                        .consistentRead(true))
                .items();
        for (Map<String, AttributeValue> part : parts) {
            part.get("entries").l().forEach(entry -> entries.add(decode(entry.m(), true)));
            found++;
        }
        int expected = Integer.parseInt(item.get("parts").n());
        if (found != expected) {
            throw new IllegalStateException("the results of chunk " + ref + " are in " + expected + " items, " + found + " were found");
        }
        return entries;
    }

    /** Splits encoded entries into groups that each fit one item, in order. */
    private static List<List<AttributeValue>> split(ChunkRef ref, List<AttributeValue> entries) {
        List<List<AttributeValue>> parts = new ArrayList<>();
        List<AttributeValue> part = new ArrayList<>();
        // The rest of an item (keys, counts, names) takes well under 1 KB.
        int bytes = 1024;
        for (AttributeValue entry : entries) {
            int size = size(entry) + 1;
            if (size + 1024 > MAX_ITEM_BYTES) {
                throw new IllegalArgumentException("Entry " + entry.m().get("i").n() + " of chunk " + ref + " takes about " + size
                        + " bytes, more than an item may hold; its resource_customs are too large to store.");
            }
            if (bytes + size > MAX_ITEM_BYTES) {
                parts.add(part);
                part = new ArrayList<>();
                bytes = 1024;
            }
            part.add(entry);
            bytes += size;
        }
        parts.add(part);
        return parts;
    }

    /**
     * What DynamoDB counts for a value: the UTF-8 bytes of strings and names, about one byte per two digits of
     * a number, three bytes plus one per element for lists and maps
     * (<a href="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html">item sizes</a>).
     */
    static int size(AttributeValue value) {
        if (value.s() != null) {
            return value.s().getBytes(StandardCharsets.UTF_8).length;
        }
        if (value.n() != null) {
            return value.n().length() / 2 + 2;
        }
        if (value.hasL()) {
            int size = 3;
            for (AttributeValue element : value.l()) {
                size += size(element) + 1;
            }
            return size;
        }
        if (value.hasM()) {
            int size = 3;
            for (Map.Entry<String, AttributeValue> field : value.m().entrySet()) {
                size += field.getKey().getBytes(StandardCharsets.UTF_8).length + size(field.getValue()) + 1;
            }
            return size;
        }
        return 1;
    }

    private Map<String, AttributeValue> encode(EntryResult entry, boolean withCustoms) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("i", n(entry.index()));
        m.put("rt", s(entry.resource().type().wireName()));
        m.put("ri", s(entry.resource().id()));
        m.put("ev", s(entry.event()));
        m.put("st", s(entry.status().wireName()));
        m.put("at", n(entry.attempts()));
        m.put("hs", n(entry.lastHttpStatus()));
        m.put("ms", n(entry.durationMillis()));
        if (entry.error() != null) {
            m.put("er", s(excerpt(entry.error())));
        }
        if (withCustoms && entry.customs() != null) {
            m.put("cu", s(json.write(entry.customs())));
        }
        if (entry.throttled()) {
            m.put("th", AttributeValue.fromBool(true));
        }
        return m;
    }

    private EntryResult decode(Map<String, AttributeValue> m, boolean withCustoms) {
        return new EntryResult(
                Integer.parseInt(m.get("i").n()),
                new ResourceKey(ResourceType.valueOf(m.get("rt").s().toUpperCase(Locale.ROOT)), m.get("ri").s()),
                m.get("ev").s(),
                EntryStatus.valueOf(m.get("st").s().toUpperCase(Locale.ROOT)),
                Integer.parseInt(m.get("at").n()),
                Integer.parseInt(m.get("hs").n()),
                m.containsKey("er") ? m.get("er").s() : null,
                Long.parseLong(m.get("ms").n()),
                withCustoms && m.containsKey("cu") ? readCustoms(m.get("cu").s()) : null,
                m.containsKey("th") && Boolean.TRUE.equals(m.get("th").bool()));
    }

    // Customs are a JSON object by the protocol, read back as the map the App's answer became.
    @SuppressWarnings("unchecked")
    private Map<String, Object> readCustoms(String text) {
        return json.read(text, Map.class);
    }

    // The core cuts excerpts to 500 characters and an ellipsis already; this bound holds whatever the caller did.
    static String excerpt(String error) {
        if (error.codePointCount(0, error.length()) <= ERROR_LIMIT + 1) {
            return error;
        }
        return error.substring(0, error.offsetByCodePoints(0, ERROR_LIMIT)) + "…";
    }

    private static String nextCursor(QueryResponse page) {
        if (!page.hasLastEvaluatedKey() || page.lastEvaluatedKey().isEmpty()) {
            return null;
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(page.lastEvaluatedKey().get("sk").s().getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, AttributeValue> startKey(Map<String, AttributeValue> pk, String cursor, Pattern shape, String prefix,
                                                        String listing) {
        String sk;
        try {
            sk = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            sk = "";
        }
        Matcher matcher = shape.matcher(sk);
        if (!matcher.matches() || !sk.startsWith(prefix) || !isPhase(matcher.group(1), matcher.group(2))) {
            throw new SynclineException.Invalid(listing + " request", List.of(new SynclineException.Violation(
                    "cursor", "cursor is not one this API returned; pass next_cursor from the previous page unchanged")));
        }
        return Map.of("pk", pk.get("pk"), "sk", s(sk));
    }

    private static boolean isPhase(String ordinal, String wireName) {
        for (Phase phase : Phase.values()) {
            if (phase.wireName().equals(wireName) && Integer.toString(phase.ordinal()).equals(ordinal)) {
                return true;
            }
        }
        return false;
    }

    private static void requirePositive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a page holds at least one item, got a limit of " + limit);
        }
    }

    private static Map<String, AttributeValue> chunkKey(ChunkRef ref) {
        return Map.of("pk", s(resultsPk(ref.runId())), "sk", s(chunkSk(ref)));
    }

    private static Map<String, AttributeValue> passKey(ChunkRef ref, int pass) {
        return Map.of("pk", s(passesPk(ref.runId())), "sk", s(chunkSk(ref) + "#" + String.format(Locale.ROOT, "%05d", pass)));
    }

    private static Map<String, AttributeValue> partKey(ChunkRef ref, String attempt, int part) {
        return Map.of("pk", s(partsPk(ref.runId())), "sk", s(chunkSk(ref) + "#" + attempt + "#" + String.format(Locale.ROOT, "%03d", part)));
    }

    private static String phasePrefix(Phase phase) {
        return phase.ordinal() + "_" + phase.wireName() + "#";
    }

    private static String chunkSk(ChunkRef ref) {
        return phasePrefix(ref.phase()) + String.format(Locale.ROOT, "%010d", ref.chunk());
    }

    private static String failedSk(ChunkRef ref, int index) {
        return chunkSk(ref) + "#" + String.format(Locale.ROOT, "%06d", index);
    }

    static String resultsPk(UUID runId) {
        return runPk(runId) + "#RESULTS";
    }

    private static String partsPk(UUID runId) {
        return runPk(runId) + "#RESULT_PARTS";
    }

    private static String leasesPk(UUID runId) {
        return runPk(runId) + "#PASS_LEASES";
    }

    private static String passesPk(UUID runId) {
        return runPk(runId) + "#PASSES";
    }

    static String failedPk(UUID runId) {
        return runPk(runId) + "#FAILED";
    }

    private static Phase phaseOf(String wireName) {
        return Phase.valueOf(wireName.toUpperCase(Locale.ROOT));
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
