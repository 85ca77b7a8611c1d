package dev.syncline.adapters.dynamodb;

import static dev.syncline.adapters.dynamodb.DynamoDbRunStore.runPk;
import static dev.syncline.adapters.dynamodb.DynamoDbRunStore.s;

import dev.syncline.core.file.FileFetch;
import dev.syncline.core.file.FileStatus;
import dev.syncline.core.file.RunFile;
import dev.syncline.core.file.RunFiles;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * A run's file in the run's partition ({@code pk = RUN#<id>, sk = FILE}): its status ({@code file_status}, with
 * {@code reason}), the fetch lease while it is being fetched, then key, name, size, SHA-256 and content type. A pending
 * fetch is also listed in one partition the reconciler reads ({@code pk = FILE_FETCHES, sk = RUN#<id>}); it holds one
 * small item per fetch under way, written once and deleted when the fetch ends.
 */
public final class DynamoDbRunFiles implements RunFiles {

    static final String FILE_SK = "FILE";
    private static final String PENDING_PK = "FILE_FETCHES";

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbRunFiles(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public boolean pending(UUID runId, UUID installationId, Instant now) {
        // Listed first: a crash in between leaves a listed fetch without a status, which the reconciler skips.
        dynamoDb.putItem(b -> b.tableName(table).item(Map.of("pk", s(PENDING_PK), "sk", s("RUN#" + runId),
                "run_id", s(runId.toString()), "installation_id", s(installationId.toString()), "since", s(now.toString()))));
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(key(runId))
                    .updateExpression("SET installation_id = :installation, file_status = :pending, updated_at = :at, sends = :one")
                    .conditionExpression("attribute_not_exists(file_status)")
                    .expressionAttributeValues(Map.of(":installation", s(installationId.toString()), ":pending",
                            s(FileStatus.PENDING.wireName()), ":at", s(now.toString()), ":one", AttributeValue.fromN("1"))));
            return true;
        } catch (ConditionalCheckFailedException asked) {
            return false;
        }
    }

    @Override
    public void record(RunFile file) {
        dynamoDb.updateItem(b -> b.tableName(table).key(key(file.runId()))
                .updateExpression("SET installation_id = :installation, file_key = :key, file_name = :name, size_bytes = :size,"
                        + " sha256 = :sha, content_type = :type, stored_at = :at, file_status = :stored, updated_at = :at"
                        + " REMOVE reason, fetch_until")
                .expressionAttributeValues(Map.of(
                        ":installation", s(file.installationId().toString()),
                        ":key", s(file.key()),
                        ":name", s(file.name()),
                        ":size", AttributeValue.fromN(Long.toString(file.sizeBytes())),
                        ":sha", s(file.sha256()),
                        ":type", s(file.contentType()),
                        ":at", s(file.storedAt().toString()),
                        ":stored", s(FileStatus.STORED.wireName()))));
        unlist(file.runId());
    }

    @Override
    public void giveUp(UUID runId, FileStatus status, String reason, Instant now) {
        dynamoDb.updateItem(b -> b.tableName(table).key(key(runId))
                .updateExpression("SET file_status = :status, reason = :reason, updated_at = :at REMOVE fetch_until")
                .expressionAttributeValues(Map.of(":status", s(status.wireName()), ":reason", s(reason), ":at", s(now.toString()))));
        unlist(runId);
    }

    @Override
    public Optional<RunFile> find(UUID runId) {
        Map<String, AttributeValue> item = item(runId);
        if (item == null || !item.containsKey("file_key")) {
            return Optional.empty();
        }
        return Optional.of(new RunFile(runId, UUID.fromString(item.get("installation_id").s()), item.get("file_key").s(),
                item.get("file_name").s(), Long.parseLong(item.get("size_bytes").n()), item.get("sha256").s(),
                item.get("content_type").s(), Instant.parse(item.get("stored_at").s())));
    }

    @Override
    public Optional<FileFetch> fetch(UUID runId) {
        Map<String, AttributeValue> item = item(runId);
        if (item == null || !item.containsKey("installation_id")) {
            return Optional.empty();
        }
        // A file stored before files had a status was stored.
        FileStatus status = item.containsKey("file_status") ? FileStatus.fromWireName(item.get("file_status").s())
                : item.containsKey("file_key") ? FileStatus.STORED : null;
        if (status == null) {
            return Optional.empty();
        }
        String at = item.containsKey("updated_at") ? item.get("updated_at").s()
                : item.containsKey("stored_at") ? item.get("stored_at").s() : Instant.EPOCH.toString();
        return Optional.of(new FileFetch(runId, UUID.fromString(item.get("installation_id").s()), status,
                item.containsKey("reason") ? item.get("reason").s() : null, Instant.parse(at),
                item.containsKey("sends") ? Integer.parseInt(item.get("sends").n()) : 1,
                item.containsKey("fetch_until") ? Instant.parse(item.get("fetch_until").s()) : null));
    }

    @Override
    public List<FileFetch> pending(int limit) {
        List<FileFetch> pending = new ArrayList<>();
        // Page by page, so that a full page's listings are looked at before stopping at the limit.
        for (QueryResponse page : dynamoDb.queryPaginator(b -> b.tableName(table).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(PENDING_PK))).consistentRead(true))) {
            for (Map<String, AttributeValue> listed : page.items()) {
                UUID runId = UUID.fromString(listed.get("run_id").s());
                Optional<FileFetch> fetch = fetch(runId);
                if (fetch.isPresent() && fetch.get().status() == FileStatus.PENDING) {
                    pending.add(fetch.get());
                } else if (fetch.isPresent()) {
                    unlist(runId); // ended between its status write and its unlisting
                }
            }
            if (pending.size() >= limit) {
                break;
            }
        }
        return pending.stream().sorted(Comparator.comparing(FileFetch::updatedAt)).limit(limit).toList();
    }

    @Override
    public void resent(UUID runId, Instant now) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(key(runId))
                    .updateExpression("SET updated_at = :at ADD sends :one")
                    .conditionExpression("file_status = :pending")
                    .expressionAttributeValues(Map.of(":at", s(now.toString()), ":one", AttributeValue.fromN("1"),
                            ":pending", s(FileStatus.PENDING.wireName()))));
        } catch (ConditionalCheckFailedException endedMeanwhile) {
            // the fetch ended since it was listed: nothing to count
        }
    }

    @Override
    public boolean claimFetch(UUID runId, Instant now, Duration lease) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(key(runId))
                    .updateExpression("SET fetch_until = :until")
                    .conditionExpression("attribute_not_exists(fetch_until) OR fetch_until < :now")
                    .expressionAttributeValues(Map.of(":until", s(now.plus(lease).toString()), ":now", s(now.toString()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private Map<String, AttributeValue> item(UUID runId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(key(runId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? null : item;
    }

    private void unlist(UUID runId) {
        dynamoDb.deleteItem(b -> b.tableName(table).key(Map.of("pk", s(PENDING_PK), "sk", s("RUN#" + runId))));
    }

    private static Map<String, AttributeValue> key(UUID runId) {
        return Map.of("pk", s(runPk(runId)), "sk", s(FILE_SK));
    }
}
