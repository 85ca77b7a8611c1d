package dev.syncline.adapters.dynamodb;

import static dev.syncline.adapters.dynamodb.DynamoDbRunStore.runPk;
import static dev.syncline.adapters.dynamodb.DynamoDbRunStore.s;

import dev.syncline.core.file.RunFile;
import dev.syncline.core.file.RunFiles;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * A run's file in the run's partition ({@code pk = RUN#<id>, sk = FILE}): the fetch lease while it is being
 * fetched, then key, name, size, SHA-256 and content type.
 */
public final class DynamoDbRunFiles implements RunFiles {

    static final String FILE_SK = "FILE";

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbRunFiles(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public void record(RunFile file) {
        dynamoDb.updateItem(b -> b.tableName(table).key(key(file.runId()))
                .updateExpression("SET installation_id = :installation, file_key = :key, file_name = :name, size_bytes = :size,"
                        + " sha256 = :sha, content_type = :type, stored_at = :at")
                .expressionAttributeValues(Map.of(
                        ":installation", s(file.installationId().toString()),
                        ":key", s(file.key()),
                        ":name", s(file.name()),
                        ":size", AttributeValue.fromN(Long.toString(file.sizeBytes())),
                        ":sha", s(file.sha256()),
                        ":type", s(file.contentType()),
                        ":at", s(file.storedAt().toString()))));
    }

    @Override
    public Optional<RunFile> find(UUID runId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(key(runId)).consistentRead(true)).item();
        if (item == null || !item.containsKey("file_key")) {
            return Optional.empty();
        }
        return Optional.of(new RunFile(runId, UUID.fromString(item.get("installation_id").s()), item.get("file_key").s(),
                item.get("file_name").s(), Long.parseLong(item.get("size_bytes").n()), item.get("sha256").s(),
                item.get("content_type").s(), Instant.parse(item.get("stored_at").s())));
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

    private static Map<String, AttributeValue> key(UUID runId) {
        return Map.of("pk", s(runPk(runId)), "sk", s(FILE_SK));
    }
}
