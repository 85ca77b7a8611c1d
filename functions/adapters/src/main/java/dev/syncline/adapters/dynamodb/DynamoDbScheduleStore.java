package dev.syncline.adapters.dynamodb;

import static dev.syncline.adapters.dynamodb.DynamoDbRunStore.s;

import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.installation.EncryptedSecret;
import dev.syncline.core.schedule.Schedule;
import dev.syncline.core.schedule.ScheduleExpression;
import dev.syncline.core.schedule.ScheduleOutcome;
import dev.syncline.core.schedule.ScheduleStore;
import dev.syncline.core.schedule.SnapshotSource;
import dev.syncline.core.sync.SyncMode;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
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

/**
 * Schedules in the single table: one item per installation ({@code pk = INSTALLATION#<id>, sk = SCHEDULE}), listed
 * under {@code gsi1pk = SCHEDULES} for the local stack's scheduler. The snapshot source's header value is stored as
 * the vault's ciphertext only.
 */
public final class DynamoDbScheduleStore implements ScheduleStore {

    static final String SK = "SCHEDULE";
    static final String LISTING = "SCHEDULES";
    /** A page holds hundreds of schedules; this bounds a listing far above any local stack's count. */
    private static final int MAX_PAGES = 100;

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbScheduleStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public Optional<Schedule> find(UUID installationId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(key(installationId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(schedule(item));
    }

    @Override
    public void put(Schedule schedule) {
        Map<String, AttributeValue> item = new HashMap<>(key(schedule.installationId()));
        item.put("gsi1pk", s(LISTING));
        item.put("gsi1sk", s(schedule.installationId().toString()));
        item.put("installation_id", s(schedule.installationId().toString()));
        item.put("expression", s(schedule.expression().text()));
        item.put("time_zone", s(schedule.timeZone().getId()));
        item.put("mode", s(schedule.mode().wireName()));
        item.put("created_at", s(schedule.createdAt().toString()));
        item.put("updated_at", s(schedule.updatedAt().toString()));
        if (schedule.source() != null) {
            item.put("source_url", s(schedule.source().url().toString()));
            if (schedule.source().headerName() != null) {
                item.put("source_header_name", s(schedule.source().headerName()));
                item.put("source_header_ciphertext", s(schedule.source().headerValue().ciphertext()));
            }
        }
        if (schedule.lastOutcome() != null) {
            item.putAll(outcome(schedule.lastOutcome()));
        }
        dynamoDb.putItem(b -> b.tableName(table).item(item));
    }

    @Override
    public void recordOutcome(UUID installationId, ScheduleOutcome outcome) {
        Map<String, AttributeValue> values = new HashMap<>();
        outcome(outcome).forEach((name, value) -> values.put(":" + name, value));
        String set = String.join(", ", outcome(outcome).keySet().stream().map(name -> name + " = :" + name).toList());
        String remove = outcome instanceof ScheduleOutcome.Started ? " REMOVE outcome_reason" : " REMOVE outcome_run_id";
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(key(installationId))
                    .updateExpression("SET " + set + remove)
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException deletedMeanwhile) {
            // The schedule was removed while it fired: there is nothing to show the outcome on.
        }
    }

    @Override
    public void delete(UUID installationId) {
        dynamoDb.deleteItem(b -> b.tableName(table).key(key(installationId)));
    }

    @Override
    public List<Schedule> list() {
        List<Schedule> schedules = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            Map<String, AttributeValue> from = start;
            QueryResponse response = dynamoDb.query(b -> b.tableName(table).indexName("gsi1")
                    .keyConditionExpression("gsi1pk = :listing")
                    .expressionAttributeValues(Map.of(":listing", s(LISTING)))
                    .exclusiveStartKey(from));
            response.items().forEach(item -> schedules.add(schedule(item)));
            if (!response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty()) {
                break;
            }
            start = response.lastEvaluatedKey();
        }
        return schedules;
    }

    private static Map<String, AttributeValue> outcome(ScheduleOutcome outcome) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("outcome_at", s(outcome.at().toString()));
        switch (outcome) {
            case ScheduleOutcome.Started started -> {
                item.put("outcome", s("started"));
                item.put("outcome_run_id", s(started.runId().toString()));
            }
            case ScheduleOutcome.Skipped skipped -> {
                item.put("outcome", s("skipped"));
                item.put("outcome_reason", s(skipped.reason()));
            }
            case ScheduleOutcome.Failed failed -> {
                item.put("outcome", s("failed"));
                item.put("outcome_reason", s(failed.reason()));
            }
        }
        return item;
    }

    private static Schedule schedule(Map<String, AttributeValue> item) {
        SnapshotSource source = null;
        if (item.containsKey("source_url")) {
            source = new SnapshotSource(HttpUrl.parse(item.get("source_url").s()),
                    item.containsKey("source_header_name") ? item.get("source_header_name").s() : null,
                    item.containsKey("source_header_ciphertext") ? new EncryptedSecret(item.get("source_header_ciphertext").s()) : null);
        }
        ScheduleOutcome outcome = null;
        if (item.containsKey("outcome")) {
            Instant at = Instant.parse(item.get("outcome_at").s());
            outcome = switch (item.get("outcome").s()) {
                case "started" -> new ScheduleOutcome.Started(at, UUID.fromString(item.get("outcome_run_id").s()));
                case "skipped" -> new ScheduleOutcome.Skipped(at, item.get("outcome_reason").s());
                default -> new ScheduleOutcome.Failed(at, item.get("outcome_reason").s());
            };
        }
        return new Schedule(
                UUID.fromString(item.get("installation_id").s()),
                ScheduleExpression.parse(item.get("expression").s()),
                ZoneId.of(item.get("time_zone").s()),
                SyncMode.valueOf(item.get("mode").s().toUpperCase(Locale.ROOT)),
                source,
                Instant.parse(item.get("created_at").s()),
                Instant.parse(item.get("updated_at").s()),
                outcome);
    }

    private static Map<String, AttributeValue> key(UUID installationId) {
        return Map.of("pk", s("INSTALLATION#" + installationId), "sk", s(SK));
    }
}
