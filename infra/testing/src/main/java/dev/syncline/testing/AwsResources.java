package dev.syncline.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.testing.ResourceDefinitions.IndexDefinition;
import dev.syncline.testing.ResourceDefinitions.QueueDefinition;
import dev.syncline.testing.ResourceDefinitions.TableDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates Syncline's resources from {@link ResourceDefinitions} in whatever answers the AWS protocols
 * (the emulators, LocalStack), and wipes their content between tests.
 */
public final class AwsResources {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ResourceDefinitions definitions;
    private final String prefix;
    private final DynamoDbClient dynamoDb;
    private final SqsClient sqs;
    private final S3Client s3;

    public AwsResources(ResourceDefinitions definitions, String prefix, DynamoDbClient dynamoDb, SqsClient sqs, S3Client s3) {
        this.definitions = definitions;
        this.prefix = prefix.toLowerCase(Locale.ROOT);
        this.dynamoDb = dynamoDb;
        this.sqs = sqs;
        this.s3 = s3;
    }

    /** Creates every resource that does not exist yet (existing ones are kept with their content). */
    public ResourceNames createAll() {
        String table = physicalName(definitions.table().logicalId());
        if (!tableExists(table)) {
            dynamoDb.createTable(createTableRequest(definitions.table(), table));
            awaitTable(table, true);
        }
        Map<String, String> queueUrls = new HashMap<>();
        // Dead-letter queues first: a redrive policy names its target's ARN.
        List<QueueDefinition> ordered = new ArrayList<>(definitions.queues());
        ordered.sort((a, b) -> Boolean.compare(a.deadLetter().isPresent(), b.deadLetter().isPresent()));
        for (QueueDefinition queue : ordered) {
            queueUrls.put(queue.logicalId(), createQueue(queue, queueUrls));
        }
        String bucket = physicalName(definitions.bucket().logicalId());
        try {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (BucketAlreadyOwnedByYouException alreadyThere) {
            // A restarted local stack finds its bucket again.
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() != 409) {
                throw e;
            }
        }
        return new ResourceNames(
                table,
                queueUrls.get("ControlQueue"),
                queueUrls.get("ControlDeadLetterQueue"),
                queueUrls.get("WorkQueue"),
                queueUrls.get("WorkDeadLetterQueue"),
                bucket);
    }

    /** Empties every resource: the table is recreated, queues purged, the bucket emptied. */
    public void wipe(ResourceNames names) {
        try {
            dynamoDb.deleteTable(b -> b.tableName(names.table()));
            awaitTable(names.table(), false);
        } catch (ResourceNotFoundException alreadyGone) {
            // Nothing to delete.
        }
        dynamoDb.createTable(createTableRequest(definitions.table(), names.table()));
        awaitTable(names.table(), true);
        for (String url : List.of(
                names.controlQueueUrl(), names.controlDeadLetterQueueUrl(), names.workQueueUrl(), names.workDeadLetterQueueUrl())) {
            sqs.purgeQueue(b -> b.queueUrl(url));
        }
        emptyBucket(names.bucket());
    }

    private void emptyBucket(String bucket) {
        ListObjectsV2Response page;
        do {
            page = s3.listObjectsV2(b -> b.bucket(bucket));
            List<ObjectIdentifier> keys = page.contents().stream()
                    .map(o -> ObjectIdentifier.builder().key(o.key()).build())
                    .toList();
            if (!keys.isEmpty()) {
                s3.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(keys).quiet(true).build()));
            }
        } while (Boolean.TRUE.equals(page.isTruncated()));
    }

    private String physicalName(String logicalId) {
        return prefix + "-" + logicalId.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /**
     * Polls every 10 ms until the table is active (or gone). The SDK's waiters poll every 20 s, which
     * would cost a test suite minutes against emulators that answer within milliseconds.
     */
    private void awaitTable(String table, boolean active) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                TableStatus status = dynamoDb.describeTable(b -> b.tableName(table)).table().tableStatus();
                if (active && status == TableStatus.ACTIVE) {
                    return;
                }
            } catch (ResourceNotFoundException gone) {
                if (!active) {
                    return;
                }
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for table " + table, e);
            }
        }
        throw new IllegalStateException("Table " + table + (active ? " did not become active" : " was not deleted") + " within 60 s");
    }

    private boolean tableExists(String table) {
        try {
            dynamoDb.describeTable(b -> b.tableName(table));
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }

    private String createQueue(QueueDefinition queue, Map<String, String> createdUrls) {
        Map<QueueAttributeName, String> attributes = new HashMap<>();
        attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(queue.visibilityTimeoutSeconds()));
        attributes.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, Integer.toString(queue.messageRetentionSeconds()));
        queue.deadLetter().ifPresent(dlq -> {
            String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(createdUrls.get(dlq))
                            .attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes()
                    .get(QueueAttributeName.QUEUE_ARN);
            attributes.put(QueueAttributeName.REDRIVE_POLICY, redrivePolicy(dlqArn, queue.maxReceiveCount()));
        });
        String name = physicalName(queue.logicalId());
        return sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
    }

    private static String redrivePolicy(String deadLetterArn, int maxReceiveCount) {
        try {
            return JSON.writeValueAsString(Map.of(
                    "deadLetterTargetArn", deadLetterArn, "maxReceiveCount", Integer.toString(maxReceiveCount)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static CreateTableRequest createTableRequest(TableDefinition table, String name) {
        List<AttributeDefinition> attributes = new ArrayList<>();
        attributes.add(stringAttribute(table.partitionKey()));
        attributes.add(stringAttribute(table.sortKey()));
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        for (IndexDefinition index : table.globalSecondaryIndexes()) {
            attributes.add(stringAttribute(index.partitionKey()));
            attributes.add(stringAttribute(index.sortKey()));
            indexes.add(GlobalSecondaryIndex.builder()
                    .indexName(index.name())
                    .keySchema(key(index.partitionKey(), KeyType.HASH), key(index.sortKey(), KeyType.RANGE))
                    .projection(p -> p.projectionType(ProjectionType.ALL))
                    .build());
        }
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attributes)
                .keySchema(key(table.partitionKey(), KeyType.HASH), key(table.sortKey(), KeyType.RANGE));
        if (!indexes.isEmpty()) {
            request.globalSecondaryIndexes(indexes);
        }
        return request.build();
    }

    private static AttributeDefinition stringAttribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
