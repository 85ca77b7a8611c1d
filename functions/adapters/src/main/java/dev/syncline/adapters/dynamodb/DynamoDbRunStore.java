package dev.syncline.adapters.dynamodb;

import dev.syncline.core.sync.Run;
import dev.syncline.core.sync.RunConflictException;
import dev.syncline.core.sync.RunNotFoundException;
import dev.syncline.core.sync.RunStatus;
import dev.syncline.core.sync.RunStore;
import dev.syncline.core.sync.SyncMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Runs in the single table: one item per run ({@code pk = RUN#<id>, sk = RUN}) holding what was asked,
 * the status and timings; a status move is one conditional {@code UpdateItem}, no transactions. The item
 * is also indexed under its installation ({@code gsi1}), newest first, for the run history. Counters and
 * dispatch state live in {@link DynamoDbRunDispatch}'s items of the same partition.
 */
public final class DynamoDbRunStore implements RunStore {

    static final String RUN_SK = "RUN";

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbRunStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    static String runPk(UUID runId) {
        return "RUN#" + runId;
    }

    @Override
    public void create(Run run) {
        Map<String, AttributeValue> item = new HashMap<>(key(run.id()));
        item.put("run_id", s(run.id().toString()));
        item.put("installation_id", s(run.installationId().toString()));
        item.put("mode", s(run.mode().wireName()));
        item.put("snapshot_id", s(run.snapshotId()));
        item.put("status", s(run.status().wireName()));
        item.put("created_at", s(run.createdAt().toString()));
        item.put("updated_at", s(run.updatedAt().toString()));
        if (run.preview()) {
            item.put("preview", AttributeValue.fromBool(true));
        }
        item.put("gsi1pk", s(historyPk(run.installationId())));
        item.put("gsi1sk", s(run.createdAt() + "#" + run.id()));
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
    public Run transition(UUID runId, RunStatus expected, RunStatus next, String reason, Instant now) {
        if (!expected.canMoveTo(next)) {
            throw new RunConflictException(
                    "A synchronization cannot move from " + expected.wireName() + " to " + next.wireName() + ".");
        }
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":next", s(next.wireName()),
                ":expected", s(expected.wireName()),
                ":now", s(now.toString())));
        StringBuilder update = new StringBuilder("SET #status = :next, updated_at = :now");
        if (next.isTerminal()) {
            update.append(", ended_at = :now");
        }
        if (reason != null) {
            update.append(", reason = :reason");
            values.put(":reason", s(reason));
        } else {
            // A reason belongs to the status it came with: a held run that is confirmed no longer says why it waits.
            update.append(" REMOVE reason");
        }
        try {
            Map<String, AttributeValue> after = dynamoDb.updateItem(b -> b.tableName(table)
                            .key(key(runId))
                            .updateExpression(update.toString())
                            .conditionExpression("#status = :expected")
                            .expressionAttributeNames(Map.of("#status", "status"))
                            .expressionAttributeValues(values)
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
    public Optional<UUID> findByIdempotencyKey(UUID installationId, String idempotencyKey) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table)
                        .key(idempotencyKey(installationId, idempotencyKey)).consistentRead(true))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(UUID.fromString(item.get("run_id").s()));
    }

    @Override
    public Optional<UUID> rememberIdempotencyKey(UUID installationId, String idempotencyKey, UUID runId) {
        Map<String, AttributeValue> item = new HashMap<>(idempotencyKey(installationId, idempotencyKey));
        item.put("run_id", s(runId.toString()));
        try {
            dynamoDb.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
            return Optional.empty();
        } catch (ConditionalCheckFailedException e) {
            return findByIdempotencyKey(installationId, idempotencyKey);
        }
    }

    @Override
    public boolean reassignIdempotencyKey(UUID installationId, String idempotencyKey, UUID dangling, UUID runId) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table)
                    .key(idempotencyKey(installationId, idempotencyKey))
                    .updateExpression("SET run_id = :run")
                    .conditionExpression("run_id = :dangling")
                    .expressionAttributeValues(Map.of(":run", s(runId.toString()), ":dangling", s(dangling.toString()))));
            return true;
        } catch (ConditionalCheckFailedException movedMeanwhile) {
            return false;
        }
    }

    @Override
    public Page history(UUID installationId, int limit, String cursor) {
        QueryResponse response = dynamoDb.query(b -> {
            b.tableName(table)
                    .indexName("gsi1")
                    .keyConditionExpression("gsi1pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", s(historyPk(installationId))))
                    .scanIndexForward(false)
                    .limit(limit);
            if (cursor != null) {
                b.exclusiveStartKey(decodeCursor(cursor, historyPk(installationId)));
            }
        });
        List<Run> runs = new ArrayList<>();
        response.items().forEach(item -> runs.add(toRun(item)));
        String next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? encodeCursor(response.lastEvaluatedKey()) : null;
        return new Page(runs, next);
    }

    private static String encodeCursor(Map<String, AttributeValue> key) {
        String text = String.join("\n", key.get("pk").s(), key.get("sk").s(), key.get("gsi1pk").s(), key.get("gsi1sk").s());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, AttributeValue> decodeCursor(String cursor, String expectedPartition) {
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n");
        } catch (IllegalArgumentException e) {
            parts = new String[0];
        }
        // A cursor of another installation's history would make DynamoDB refuse the query.
        if (parts.length != 4 || !parts[2].equals(expectedPartition)) {
            throw new dev.syncline.core.SynclineException.Invalid("history request", List.of(new dev.syncline.core.SynclineException.Violation(
                    "cursor", "cursor is not one this API returned; pass next_cursor from the previous page unchanged")));
        }
        return Map.of("pk", s(parts[0]), "sk", s(parts[1]), "gsi1pk", s(parts[2]), "gsi1sk", s(parts[3]));
    }

    static Run toRun(Map<String, AttributeValue> item) {
        return new Run(
                UUID.fromString(item.get("run_id").s()),
                UUID.fromString(item.get("installation_id").s()),
                SyncMode.valueOf(item.get("mode").s().toUpperCase(Locale.ROOT)),
                item.get("snapshot_id").s(),
                RunStatus.valueOf(item.get("status").s().toUpperCase(Locale.ROOT)),
                item.containsKey("reason") ? item.get("reason").s() : null,
                Instant.parse(item.get("created_at").s()),
                Instant.parse(item.get("updated_at").s()),
                Map.of(),
                item.containsKey("preview") && Boolean.TRUE.equals(item.get("preview").bool()));
    }

    private static String historyPk(UUID installationId) {
        return "INSTALLATION#" + installationId + "#RUNS";
    }

    private static Map<String, AttributeValue> key(UUID runId) {
        return Map.of("pk", s(runPk(runId)), "sk", s(RUN_SK));
    }

    private static Map<String, AttributeValue> idempotencyKey(UUID installationId, String idempotencyKey) {
        return Map.of("pk", s("INSTALLATION#" + installationId), "sk", s("IDEMPOTENCY#" + idempotencyKey));
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
