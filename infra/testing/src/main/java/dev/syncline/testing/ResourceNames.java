package dev.syncline.testing;

import java.util.Map;
import java.util.Objects;

/**
 * The physical names of the created resources, and the environment variables through which the functions
 * find them (the same variables the SAM template sets).
 */
public record ResourceNames(
        String table,
        String controlQueueUrl,
        String controlDeadLetterQueueUrl,
        String workQueueUrl,
        String workDeadLetterQueueUrl,
        String bucket) {

    public ResourceNames {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(controlQueueUrl, "controlQueueUrl");
        Objects.requireNonNull(controlDeadLetterQueueUrl, "controlDeadLetterQueueUrl");
        Objects.requireNonNull(workQueueUrl, "workQueueUrl");
        Objects.requireNonNull(workDeadLetterQueueUrl, "workDeadLetterQueueUrl");
        Objects.requireNonNull(bucket, "bucket");
    }

    /** The function environment for these resources. */
    public Map<String, String> environment() {
        return Map.of(
                "SYNCLINE_TABLE", table,
                "SYNCLINE_CONTROL_QUEUE_URL", controlQueueUrl,
                "SYNCLINE_WORK_QUEUE_URL", workQueueUrl,
                "SYNCLINE_BUCKET", bucket);
    }
}
