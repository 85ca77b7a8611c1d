package dev.syncline.adapters.dynamodb;

import static dev.syncline.adapters.dynamodb.DynamoDbRunStore.s;

import dev.syncline.core.SynclineException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * What Syncline knows of an installation's snapshots beside their bytes: when each was asked for and which runs
 * used it. One item per snapshot, {@code pk = SNAPSHOTS#<installation id>}, {@code sk = SNAPSHOT#<snapshot id>},
 * with {@code created_at}, {@code upload_url_expires_at} (for one uploaded through a URL), {@code runs} (string set
 * of run ids, absent until a run uses it) and {@code expires_at}
 * (DynamoDB's TTL), which matches the bucket's expiry of snapshots so that no record outlives its file for long.
 */
public final class DynamoDbSnapshots {

    /** As the bucket's lifecycle rule {@code expire-snapshots} (template.yaml). */
    public static final Duration KEPT = Duration.ofDays(7);

    private static final String SK_PREFIX = "SNAPSHOT#";

    private final DynamoDbClient dynamoDb;
    private final String table;

    /**
     * @param snapshotId the snapshot
     * @param createdAt when the API stored it or handed out its upload URL
     * @param uploadUrlExpiresAt until when its upload URL works; null for a snapshot that came inline
     * @param runs the runs that used it, in id order
     */
    public record SnapshotRecord(String snapshotId, Instant createdAt, Instant uploadUrlExpiresAt, List<UUID> runs) {
    }

    /** A page of records; {@code nextCursor} is null on the last page. */
    public record Page(List<SnapshotRecord> snapshots, String nextCursor) {
    }

    public DynamoDbSnapshots(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.table = Objects.requireNonNull(table, "table");
    }

    /**
     * Remembers a snapshot the API stored or handed an upload URL out for.
     *
     * @param uploadUrlExpiresAt until when its upload URL works; null for a snapshot that came inline
     */
    public void created(UUID installationId, String snapshotId, Instant at, Instant uploadUrlExpiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(key(installationId, snapshotId));
        item.put("created_at", s(at.toString()));
        if (uploadUrlExpiresAt != null) {
            item.put("upload_url_expires_at", s(uploadUrlExpiresAt.toString()));
        }
        item.put("expires_at", AttributeValue.fromN(Long.toString(at.plus(KEPT).getEpochSecond())));
        dynamoDb.putItem(b -> b.tableName(table).item(item));
    }

    /** Adds a run to those that used the snapshot (a snapshot made before these records existed gets one now). */
    public void used(UUID installationId, String snapshotId, UUID runId, Instant at) {
        dynamoDb.updateItem(b -> b.tableName(table)
                .key(key(installationId, snapshotId))
                .updateExpression("ADD runs :run SET created_at = if_not_exists(created_at, :at), expires_at = if_not_exists(expires_at, :expires)")
                .expressionAttributeValues(Map.of(
                        ":run", AttributeValue.fromSs(List.of(runId.toString())),
                        ":at", s(at.toString()),
                        ":expires", AttributeValue.fromN(Long.toString(at.plus(KEPT).getEpochSecond())))));
    }

    public Optional<SnapshotRecord> find(UUID installationId, String snapshotId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(key(installationId, snapshotId)).consistentRead(true))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toRecord(item));
    }

    /** An installation's snapshots in id order, a page at a time. */
    public Page list(UUID installationId, int limit, String cursor) {
        QueryResponse response = dynamoDb.query(b -> {
            b.tableName(table)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                    .expressionAttributeValues(Map.of(":pk", s(partition(installationId)), ":prefix", s(SK_PREFIX)))
                    .limit(limit)
                    .consistentRead(true);
            if (cursor != null) {
                b.exclusiveStartKey(key(installationId, decodeCursor(cursor)));
            }
        });
        List<SnapshotRecord> records = new ArrayList<>();
        response.items().forEach(item -> records.add(toRecord(item)));
        String next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? Base64.getUrlEncoder().withoutPadding().encodeToString(
                        response.lastEvaluatedKey().get("sk").s().substring(SK_PREFIX.length()).getBytes(StandardCharsets.UTF_8))
                : null;
        return new Page(records, next);
    }

    public void delete(UUID installationId, String snapshotId) {
        dynamoDb.deleteItem(b -> b.tableName(table).key(key(installationId, snapshotId)));
    }

    private static String decodeCursor(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new SynclineException.Invalid("query", List.of(new SynclineException.Violation("cursor",
                    "cursor is not one this API returned; pass next_cursor from the previous page unchanged")));
        }
    }

    private static SnapshotRecord toRecord(Map<String, AttributeValue> item) {
        List<UUID> runs = item.containsKey("runs")
                ? new TreeSet<>(item.get("runs").ss()).stream().map(UUID::fromString).toList()
                : List.of();
        return new SnapshotRecord(item.get("sk").s().substring(SK_PREFIX.length()), Instant.parse(item.get("created_at").s()),
                item.containsKey("upload_url_expires_at") ? Instant.parse(item.get("upload_url_expires_at").s()) : null, runs);
    }

    private static String partition(UUID installationId) {
        return "SNAPSHOTS#" + installationId;
    }

    private static Map<String, AttributeValue> key(UUID installationId, String snapshotId) {
        return Map.of("pk", s(partition(installationId)), "sk", s(SK_PREFIX + snapshotId));
    }
}
