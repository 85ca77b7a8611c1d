package dev.syncline.adapters.dynamodb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * {@code BatchGetItem} and {@code BatchWriteItem} within their limits (100 keys, 25 writes per call), retrying
 * what DynamoDB leaves unprocessed (it does so under throttling, and when a response would pass 16 MB) with
 * a growing, jittered backoff, as the DynamoDB guide asks. Written for resource customs; chunk results use
 * it for their failed-entry index.
 */
final class DynamoDbResourceCustomsBatches {

    static final int MAX_GET_KEYS = 100;
    static final int MAX_WRITES = 25;
    private static final int MAX_ATTEMPTS = 10;

    private DynamoDbResourceCustomsBatches() {
    }

    /**
     * Reads every key (no duplicates: DynamoDB refuses a batch naming a key twice).
     *
     * @param consistent whether the reads must see every write acknowledged before them
     */
    static List<Map<String, AttributeValue>> getAll(DynamoDbClient dynamoDb, String table, List<Map<String, AttributeValue>> keys,
                                                    boolean consistent) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += MAX_GET_KEYS) {
            List<Map<String, AttributeValue>> slice = keys.subList(from, Math.min(from + MAX_GET_KEYS, keys.size()));
            Map<String, KeysAndAttributes> pending = Map.of(table, KeysAndAttributes.builder().keys(slice).consistentRead(consistent).build());
            for (int attempt = 1; ; attempt++) {
                Map<String, KeysAndAttributes> request = pending;
                BatchGetItemResponse response = dynamoDb.batchGetItem(b -> b.requestItems(request)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                items.addAll(response.responses().getOrDefault(table, List.of()));
                if (!response.hasUnprocessedKeys() || response.unprocessedKeys().isEmpty()) {
                    break;
                }
                if (attempt == MAX_ATTEMPTS) {
                    throw new IllegalStateException("DynamoDB left " + response.unprocessedKeys().get(table).keys().size()
                            + " reads of table " + table + " unprocessed after " + MAX_ATTEMPTS + " attempts; it is throttling");
                }
                pending = response.unprocessedKeys();
                backOff(attempt);
            }
        }
        return items;
    }

    /** Writes every put and delete (no two naming the same key). */
    static void writeAll(DynamoDbClient dynamoDb, String table, List<WriteRequest> writes) {
        for (int from = 0; from < writes.size(); from += MAX_WRITES) {
            Map<String, List<WriteRequest>> pending = Map.of(table, writes.subList(from, Math.min(from + MAX_WRITES, writes.size())));
            for (int attempt = 1; ; attempt++) {
                Map<String, List<WriteRequest>> request = pending;
                BatchWriteItemResponse response = dynamoDb.batchWriteItem(b -> b.requestItems(request)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                if (!response.hasUnprocessedItems() || response.unprocessedItems().isEmpty()) {
                    break;
                }
                if (attempt == MAX_ATTEMPTS) {
                    throw new IllegalStateException("DynamoDB left " + response.unprocessedItems().get(table).size()
                            + " writes to table " + table + " unprocessed after " + MAX_ATTEMPTS + " attempts; it is throttling");
                }
                pending = response.unprocessedItems();
                backOff(attempt);
            }
        }
    }

    // Full jitter under a ceiling of 50 ms doubling per attempt up to 1.6 s: about 4 s on average before giving up.
    private static void backOff(int attempt) {
        long ceiling = 25L << Math.min(attempt, 6);
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, ceiling + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying unprocessed DynamoDB batch entries", e);
        }
    }
}
