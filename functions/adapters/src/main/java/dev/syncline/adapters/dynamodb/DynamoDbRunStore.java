package dev.syncline.adapters.dynamodb;

import dev.syncline.core.sync.Phase;
import dev.syncline.core.sync.PhaseCounts;
import dev.syncline.core.sync.Run;
import dev.syncline.core.sync.RunConflictException;
import dev.syncline.core.sync.RunNotFoundException;
import dev.syncline.core.sync.RunStatus;
import dev.syncline.core.sync.RunStore;
import dev.syncline.core.sync.SyncMode;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Runs in the single table: one item per run ({@code pk = RUN#<id>, sk = RUN}) holding status, timings and
 * a number attribute per phase and counter, so a counter update is one {@code UpdateItem ADD} and a status
 * move one conditional {@code UpdateItem}: no transactions. The item is also indexed under its
 * installation ({@code gsi1}), newest first, for the run history.
 */
public final class DynamoDbRunStore implements RunStore {

    private static final String PK = "pk";
    private static final String SK = "sk";
    private static final String RUN_SK = "RUN";

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbRunStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public void create(Run run) {
        Map<String, AttributeValue> item = new HashMap<>(key(run.id()));
        item.put("run_id", s(run.id().toString()));
        item.put("installation_id", s(run.installationId().toString()));
        item.put("mode", s(run.mode().wireName()));
        item.put("status", s(run.status().wireName()));
        item.put("created_at", s(run.createdAt().toString()));
        item.put("updated_at", s(run.updatedAt().toString()));
        item.put("gsi1pk", s("INSTALLATION#" + run.installationId() + "#RUNS"));
        item.put("gsi1sk", s(run.createdAt() + "#" + run.id()));
        run.counts().forEach((phase, counts) -> {
            item.put(counter(phase, "planned"), n(counts.planned()));
            item.put(counter(phase, "succeeded"), n(counts.succeeded()));
            item.put(counter(phase, "failed"), n(counts.failed()));
            item.put(counter(phase, "cancelled"), n(counts.cancelled()));
        });
        try {
            dynamoDb.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException e) {
            throw new RunConflictException("Synchronization " + run.id() + " already exists.");
        }
    }

    @Override
    public Optional<Run> find(UUID runId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(key(runId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toRun(item));
    }

    @Override
    public Run transition(UUID runId, RunStatus expected, RunStatus next, Instant now) {
        if (!expected.canMoveTo(next)) {
            throw new RunConflictException(
                    "A synchronization cannot move from " + expected.wireName() + " to " + next.wireName() + ".");
        }
        try {
            Map<String, AttributeValue> after = dynamoDb.updateItem(b -> b.tableName(table)
                            .key(key(runId))
                            .updateExpression("SET #status = :next, updated_at = :now")
                            .conditionExpression("#status = :expected")
                            .expressionAttributeNames(Map.of("#status", "status"))
                            .expressionAttributeValues(Map.of(
                                    ":next", s(next.wireName()),
                                    ":expected", s(expected.wireName()),
                                    ":now", s(now.toString())))
                            .returnValues(ReturnValue.ALL_NEW))
                    .attributes();
            return toRun(after);
        } catch (ConditionalCheckFailedException e) {
            Run current = find(runId).orElseThrow(() -> new RunNotFoundException(runId));
            throw new RunConflictException("Synchronization " + runId + " is " + current.status().wireName()
                    + ", not " + expected.wireName() + "; it cannot move to " + next.wireName() + ".");
        }
    }

    @Override
    public PhaseCounts addCounts(UUID runId, Phase phase, PhaseCounts delta, Instant now) {
        try {
            Map<String, AttributeValue> after = dynamoDb.updateItem(b -> b.tableName(table)
                            .key(key(runId))
                            .updateExpression("ADD #planned :planned, #succeeded :succeeded, #failed :failed, #cancelled :cancelled"
                                    + " SET updated_at = :now")
                            .conditionExpression("attribute_exists(pk)")
                            .expressionAttributeNames(Map.of(
                                    "#planned", counter(phase, "planned"),
                                    "#succeeded", counter(phase, "succeeded"),
                                    "#failed", counter(phase, "failed"),
                                    "#cancelled", counter(phase, "cancelled")))
                            .expressionAttributeValues(Map.of(
                                    ":planned", n(delta.planned()),
                                    ":succeeded", n(delta.succeeded()),
                                    ":failed", n(delta.failed()),
                                    ":cancelled", n(delta.cancelled()),
                                    ":now", s(now.toString())))
                            .returnValues(ReturnValue.ALL_NEW))
                    .attributes();
            return counts(after, phase);
        } catch (ConditionalCheckFailedException e) {
            throw new RunNotFoundException(runId);
        }
    }

    private static Run toRun(Map<String, AttributeValue> item) {
        Map<Phase, PhaseCounts> counts = new EnumMap<>(Phase.class);
        for (Phase phase : Phase.values()) {
            counts.put(phase, counts(item, phase));
        }
        return new Run(
                UUID.fromString(item.get("run_id").s()),
                UUID.fromString(item.get("installation_id").s()),
                SyncMode.valueOf(item.get("mode").s().toUpperCase(Locale.ROOT)),
                RunStatus.valueOf(item.get("status").s().toUpperCase(Locale.ROOT)),
                Instant.parse(item.get("created_at").s()),
                Instant.parse(item.get("updated_at").s()),
                counts);
    }

    private static PhaseCounts counts(Map<String, AttributeValue> item, Phase phase) {
        return new PhaseCounts(
                number(item, counter(phase, "planned")),
                number(item, counter(phase, "succeeded")),
                number(item, counter(phase, "failed")),
                number(item, counter(phase, "cancelled")));
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? 0 : Long.parseLong(value.n());
    }

    private static String counter(Phase phase, String kind) {
        return phase.wireName() + "_" + kind;
    }

    private static Map<String, AttributeValue> key(UUID runId) {
        return Map.of(PK, s("RUN#" + runId), SK, s(RUN_SK));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
