package dev.syncline.testing;

import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Running AWS services with Syncline's resources created in them, and plain SDK clients for tests to
 * inspect them. Code under test builds its own clients from {@link #endpoints()}.
 */
public final class AwsStack implements AutoCloseable {

    private final AwsEndpoints endpoints;
    private final SdkHttpClient httpClient;
    private final DynamoDbClient dynamoDb;
    private final SqsClient sqs;
    private final S3Client s3;
    private final AwsResources resources;
    private final ResourceNames names;

    private AwsStack(AwsEndpoints endpoints, String prefix) {
        this.endpoints = endpoints;
        this.httpClient = Apache5HttpClient.builder().maxConnections(50).build();
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(endpoints.accessKeyId(), endpoints.secretAccessKey()));
        Region region = Region.of(endpoints.region());
        this.dynamoDb = DynamoDbClient.builder()
                .httpClient(httpClient).region(region).credentialsProvider(credentials)
                .endpointOverride(endpoints.dynamoDb())
                .build();
        this.sqs = SqsClient.builder()
                .httpClient(httpClient).region(region).credentialsProvider(credentials)
                .endpointOverride(endpoints.sqs())
                .build();
        this.s3 = S3Client.builder()
                .httpClient(httpClient).region(region).credentialsProvider(credentials)
                .endpointOverride(endpoints.s3())
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
        this.resources = new AwsResources(ResourceDefinitions.SYNCLINE, prefix, dynamoDb, sqs, s3);
        this.names = resources.createAll();
    }

    /** Creates (or finds again) Syncline's resources, their names starting with {@code prefix}. */
    public static AwsStack create(AwsEndpoints endpoints, String prefix) {
        return new AwsStack(endpoints, prefix);
    }

    public AwsEndpoints endpoints() {
        return endpoints;
    }

    public ResourceNames names() {
        return names;
    }

    /**
     * Everything a function needs in its environment to reach these resources: the resource variables
     * the template sets, plus endpoint overrides and the emulators' credentials.
     */
    public Map<String, String> environment() {
        Map<String, String> environment = new java.util.HashMap<>(names.environment());
        environment.put("AWS_REGION", endpoints.region());
        environment.put("AWS_ACCESS_KEY_ID", endpoints.accessKeyId());
        environment.put("AWS_SECRET_ACCESS_KEY", endpoints.secretAccessKey());
        environment.put("SYNCLINE_DYNAMODB_ENDPOINT", endpoints.dynamoDb().toString());
        environment.put("SYNCLINE_SQS_ENDPOINT", endpoints.sqs().toString());
        environment.put("SYNCLINE_S3_ENDPOINT", endpoints.s3().toString());
        return Map.copyOf(environment);
    }

    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    public SqsClient sqs() {
        return sqs;
    }

    public S3Client s3() {
        return s3;
    }

    /** Empties the table, the queues and the bucket, so the next test starts from nothing. */
    public void wipe() {
        resources.wipe(names);
    }

    /** The number of visible messages in a queue (approximate on AWS, exact in the emulator). */
    public int approximateMessages(String queueUrl) {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                        .attributeNamesWithStrings("ApproximateNumberOfMessages"))
                .attributesAsStrings()
                .get("ApproximateNumberOfMessages"));
    }

    @Override
    public void close() {
        dynamoDb.close();
        sqs.close();
        s3.close();
        httpClient.close();
    }
}
