package dev.syncline.adapters.dynamodb;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** One page of a listing kept as one partition of the {@code gsi1} index: the whole-table listings of the API. */
final class IndexListing {

    private IndexListing() {
    }

    /**
     * @param ascending by {@code gsi1sk} ascending, else descending
     * @param startKey the key of the last item of the previous page, or {@code null} for the first page
     */
    static QueryResponse page(DynamoDbClient dynamoDb, String table, String partition, boolean ascending, int limit,
                              Map<String, AttributeValue> startKey) {
        return dynamoDb.query(b -> {
            b.tableName(table)
                    .indexName("gsi1")
                    .keyConditionExpression("gsi1pk = :all")
                    .expressionAttributeValues(Map.of(":all", AttributeValue.fromS(partition)))
                    .scanIndexForward(ascending)
                    .limit(limit);
            if (startKey != null) {
                b.exclusiveStartKey(startKey);
            }
        });
    }
}
