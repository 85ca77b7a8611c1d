package dev.syncline.testing;

import java.net.URI;
import java.util.Objects;

/** Where the three AWS services answer, and the static credentials the emulators accept. */
public record AwsEndpoints(
        URI dynamoDb, URI sqs, URI s3, String region, String accessKeyId, String secretAccessKey) {

    public AwsEndpoints {
        Objects.requireNonNull(dynamoDb, "dynamoDb");
        Objects.requireNonNull(sqs, "sqs");
        Objects.requireNonNull(s3, "s3");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    }

    @Override
    public String toString() {
        // The emulators' keys are not secrets, but nothing prints credentials by habit.
        return "AwsEndpoints[dynamoDb=" + dynamoDb + ", sqs=" + sqs + ", s3=" + s3 + ", region=" + region + "]";
    }
}
