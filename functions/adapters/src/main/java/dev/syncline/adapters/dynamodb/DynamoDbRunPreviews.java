package dev.syncline.adapters.dynamodb;

import static dev.syncline.adapters.dynamodb.DynamoDbRunStore.runPk;
import static dev.syncline.adapters.dynamodb.DynamoDbRunStore.s;

import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.json.PreviewView;
import dev.syncline.core.sync.RunPreview;
import dev.syncline.core.sync.RunPreviews;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Previews in the run's partition ({@code pk = RUN#<id>, sk = PREVIEW}), the preview as JSON in {@code preview}: a few
 * kilobytes at most, for it holds counts and {@value RunPreview#SAMPLES} samples per event, never the plan.
 */
public final class DynamoDbRunPreviews implements RunPreviews {

    private static final String PREVIEW_SK = "PREVIEW";

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final JsonCodec json;

    public DynamoDbRunPreviews(DynamoDbClient dynamoDb, String table, JsonCodec json) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.json = json;
    }

    @Override
    public void save(UUID runId, RunPreview preview) {
        dynamoDb.putItem(b -> b.tableName(table).item(Map.of(
                "pk", s(runPk(runId)),
                "sk", s(PREVIEW_SK),
                "preview", s(json.write(PreviewView.of(preview, runId.toString(), false))))));
    }

    @Override
    public Optional<RunPreview> find(UUID runId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table)
                .key(Map.of("pk", s(runPk(runId)), "sk", s(PREVIEW_SK))).consistentRead(true)).item();
        return item == null || item.isEmpty()
                ? Optional.empty()
                : Optional.of(json.read(item.get("preview").s(), PreviewView.class).toPreview());
    }
}
