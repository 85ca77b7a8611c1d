package dev.syncline.testing;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The one definition of the AWS resources Syncline uses: the table with its keys and indexes, the queues
 * with their dead-letter queues and redrive policies, and the bucket. The emulators in tests and in the
 * local stack are created from it, and {@code TemplateDriftTest} fails when {@code template.yaml} declares
 * anything different.
 */
public record ResourceDefinitions(TableDefinition table, List<QueueDefinition> queues, BucketDefinition bucket) {

    /** Syncline's resources. Logical ids are the template's; numbers are the template's. */
    public static final ResourceDefinitions SYNCLINE = new ResourceDefinitions(
            new TableDefinition(
                    "Table",
                    "pk",
                    "sk",
                    List.of(
                            // Lists that belong to a parent, newest first: installations of an App,
                            // runs of an installation, failed entries of a run.
                            new IndexDefinition("gsi1", "gsi1pk", "gsi1sk")),
                    "expires_at"),
            List.of(
                    // Planner: one run per message; visibility is 6x the planner's 900 s timeout.
                    new QueueDefinition("ControlQueue", 5400, 345600, "ControlDeadLetterQueue", 3),
                    new QueueDefinition("ControlDeadLetterQueue", 30, 1209600, null, 0),
                    // Worker: one chunk per message; visibility is 6x the worker's 120 s timeout.
                    new QueueDefinition("WorkQueue", 720, 345600, "WorkDeadLetterQueue", 5),
                    new QueueDefinition("WorkDeadLetterQueue", 30, 1209600, null, 0)),
            new BucketDefinition("Bucket"));

    public ResourceDefinitions {
        Objects.requireNonNull(table, "table");
        queues = List.copyOf(queues);
        Objects.requireNonNull(bucket, "bucket");
    }

    public QueueDefinition queue(String logicalId) {
        return queues.stream()
                .filter(q -> q.logicalId().equals(logicalId))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No queue " + logicalId + " is defined"));
    }

    /** A DynamoDB table with string keys. */
    public record TableDefinition(
            String logicalId,
            String partitionKey,
            String sortKey,
            List<IndexDefinition> globalSecondaryIndexes,
            String timeToLiveAttribute) {

        public TableDefinition {
            Objects.requireNonNull(logicalId, "logicalId");
            Objects.requireNonNull(partitionKey, "partitionKey");
            Objects.requireNonNull(sortKey, "sortKey");
            globalSecondaryIndexes = List.copyOf(globalSecondaryIndexes);
        }
    }

    /** A global secondary index with string keys, projecting all attributes. */
    public record IndexDefinition(String name, String partitionKey, String sortKey) {

        public IndexDefinition {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(partitionKey, "partitionKey");
            Objects.requireNonNull(sortKey, "sortKey");
        }
    }

    /**
     * An SQS queue.
     *
     * @param deadLetterQueue logical id of the queue that receives messages after {@code maxReceiveCount}
     *     receives, or null for a queue without redrive (the dead-letter queues themselves)
     */
    public record QueueDefinition(
            String logicalId,
            int visibilityTimeoutSeconds,
            int messageRetentionSeconds,
            String deadLetterQueue,
            int maxReceiveCount) {

        public QueueDefinition {
            Objects.requireNonNull(logicalId, "logicalId");
            if (deadLetterQueue != null && maxReceiveCount < 1) {
                throw new IllegalArgumentException(logicalId + ": a redrive needs maxReceiveCount >= 1");
            }
        }

        public Optional<String> deadLetter() {
            return Optional.ofNullable(deadLetterQueue);
        }
    }

    /** The S3 bucket for snapshots, plans and files. */
    public record BucketDefinition(String logicalId) {

        public BucketDefinition {
            Objects.requireNonNull(logicalId, "logicalId");
        }
    }
}
