package dev.syncline.bench;

import java.util.List;
import java.util.Set;

/**
 * The AWS list prices the cost estimate uses: us-east-1, on-demand, without free tiers or volume discounts. Check
 * them against the pricing pages (aws.amazon.com/dynamodb/pricing/on-demand/, /sqs/pricing/, /s3/pricing/,
 * /lambda/pricing/, /kms/pricing/, /cloudwatch/pricing/) before relying on the figures.
 */
record AwsPrices(
        double dynamoDbPerMillionWriteUnits,
        double dynamoDbPerMillionReadUnits,
        double sqsPerMillionRequests,
        double s3PerThousandPuts,
        double s3PerThousandGets,
        double lambdaArmPerGbSecond,
        double lambdaX86PerGbSecond,
        double lambdaPerMillionRequests,
        double kmsPerTenThousandRequests,
        double logsPerGbIngested) {

    static final AwsPrices US_EAST_1 = new AwsPrices(0.625, 0.125, 0.40, 0.005, 0.0004, 0.0000133334, 0.0000166667, 0.20, 0.03, 0.50);

    private static final Set<String> S3_PUT_CLASS = Set.of("PutObject", "CopyObject", "PostObject", "ListObjects", "ListObjectsV2",
            "ListBuckets", "ListObjectVersions", "CreateMultipartUpload", "UploadPart", "UploadPartCopy", "CompleteMultipartUpload",
            "ListMultipartUploads", "ListParts");
    private static final Set<String> S3_FREE = Set.of("DeleteObject", "DeleteObjects", "AbortMultipartUpload");

    double lambdaPerGbSecond(String architecture) {
        return architecture.equals("arm64") ? lambdaArmPerGbSecond : lambdaX86PerGbSecond;
    }

    /** How S3 bills a request. */
    enum S3Class { PUT, GET, FREE }

    /** The rate an S3 operation is billed at: PUT, COPY, POST and LIST at one, deletes free, the rest at the GET rate. */
    S3Class s3Class(String operation) {
        if (S3_FREE.contains(operation)) {
            return S3Class.FREE;
        }
        return S3_PUT_CLASS.contains(operation) ? S3Class.PUT : S3Class.GET;
    }

    List<String> describe(String architecture) {
        return List.of(
                "DynamoDB on-demand: $%.3f per million write request units, $%.3f per million read request units"
                        .formatted(dynamoDbPerMillionWriteUnits, dynamoDbPerMillionReadUnits),
                "SQS standard: $%.2f per million requests".formatted(sqsPerMillionRequests),
                "S3 Standard: $%.4f per 1 000 PUT/COPY/POST/LIST, $%.4f per 1 000 GET and other requests, deletes free"
                        .formatted(s3PerThousandPuts, s3PerThousandGets),
                "Lambda (%s): $%.10f per GB-second, $%.2f per million requests"
                        .formatted(architecture, lambdaPerGbSecond(architecture), lambdaPerMillionRequests),
                "KMS: $%.2f per 10 000 requests; CloudWatch Logs: $%.2f per GB ingested"
                        .formatted(kmsPerTenThousandRequests, logsPerGbIngested));
    }
}
