package dev.syncline.adapters.config;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a function reads from its environment, read once at init. The SAM template sets these with
 * {@code !Ref}/{@code !GetAtt}; the local stack and tests pass the same names.
 *
 * @param endpoints service endpoint overrides, set only against emulators
 * @param credentials credentials taken from the environment, or empty for the SDK's default chain
 */
public record Config(
        String region,
        String table,
        String controlQueueUrl,
        String workQueueUrl,
        String bucket,
        Endpoints endpoints,
        Optional<Credentials> credentials) {

    public static final String REGION = "AWS_REGION";
    public static final String TABLE = "SYNCLINE_TABLE";
    public static final String CONTROL_QUEUE_URL = "SYNCLINE_CONTROL_QUEUE_URL";
    public static final String WORK_QUEUE_URL = "SYNCLINE_WORK_QUEUE_URL";
    public static final String BUCKET = "SYNCLINE_BUCKET";
    public static final String DYNAMODB_ENDPOINT = "SYNCLINE_DYNAMODB_ENDPOINT";
    public static final String SQS_ENDPOINT = "SYNCLINE_SQS_ENDPOINT";
    public static final String S3_ENDPOINT = "SYNCLINE_S3_ENDPOINT";

    public Config {
        Objects.requireNonNull(region, REGION);
        Objects.requireNonNull(table, TABLE);
        Objects.requireNonNull(controlQueueUrl, CONTROL_QUEUE_URL);
        Objects.requireNonNull(workQueueUrl, WORK_QUEUE_URL);
        Objects.requireNonNull(bucket, BUCKET);
        Objects.requireNonNull(endpoints, "endpoints");
        Objects.requireNonNull(credentials, "credentials");
    }

    /** Reads the process environment; fails naming the first missing variable. */
    public static Config fromEnvironment() {
        return from(System.getenv());
    }

    /** Reads the given environment, for the local stack, which runs several functions in one process. */
    public static Config from(Map<String, String> environment) {
        Optional<Credentials> credentials = optional(environment, "AWS_ACCESS_KEY_ID").map(accessKeyId -> new Credentials(
                accessKeyId,
                required(environment, "AWS_SECRET_ACCESS_KEY"),
                optional(environment, "AWS_SESSION_TOKEN").orElse(null)));
        return new Config(
                required(environment, REGION),
                required(environment, TABLE),
                required(environment, CONTROL_QUEUE_URL),
                required(environment, WORK_QUEUE_URL),
                required(environment, BUCKET),
                new Endpoints(
                        optional(environment, DYNAMODB_ENDPOINT).map(URI::create).orElse(null),
                        optional(environment, SQS_ENDPOINT).map(URI::create).orElse(null),
                        optional(environment, S3_ENDPOINT).map(URI::create).orElse(null)),
                credentials);
    }

    private static String required(Map<String, String> environment, String name) {
        return optional(environment, name).orElseThrow(() -> new MissingConfigurationException(
                "Environment variable " + name + " is not set; the SAM template sets it, and locally the stack does."));
    }

    private static Optional<String> optional(Map<String, String> environment, String name) {
        return Optional.ofNullable(environment.get(name)).map(String::trim).filter(value -> !value.isEmpty());
    }

    /** Endpoint overrides; a null one means the service's public AWS endpoint. */
    public record Endpoints(URI dynamoDb, URI sqs, URI s3) {

        public static final Endpoints AWS = new Endpoints(null, null, null);

        public boolean anyOverridden() {
            return dynamoDb != null || sqs != null || s3 != null;
        }
    }

    /** Static credentials; {@link #toString()} never shows the secret parts. */
    public record Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {

        public Credentials {
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        }

        @Override
        public String toString() {
            return "Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=***, sessionToken="
                    + (sessionToken == null ? "none" : "***") + "]";
        }
    }
}
