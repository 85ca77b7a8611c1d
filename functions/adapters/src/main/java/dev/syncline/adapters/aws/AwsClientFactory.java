package dev.syncline.adapters.aws;

import dev.syncline.adapters.config.Config;
import dev.syncline.adapters.metrics.AwsCallCounter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds every SDK client of a function, once, at init: region and credentials from {@link Config}, one
 * explicit HTTP client shared by all of them, call and attempt timeouts set ({@link Config.AwsCalls}). The AWS CRT client is the one: in
 * {@code HttpClientBenchmark} it answered warm calls 3-4x faster than the Apache 5 client and started
 * about as fast as the JDK's URL connection (figures in docs/operations.md). Every client reports its calls to
 * {@link AwsCallCounter#shared()}.
 */
public final class AwsClientFactory implements AutoCloseable {

    // Lambda runs one request at a time per sandbox, but a worker delivers a chunk with many threads.
    private static final int MAX_CONNECTIONS = 64;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration MAX_IDLE = Duration.ofSeconds(50);

    private final Config config;
    private final SdkHttpClient httpClient;
    private final AwsCredentialsProvider credentials;
    private final List<ExecutionInterceptor> interceptors;

    private AwsClientFactory(Config config, SdkHttpClient httpClient, List<ExecutionInterceptor> interceptors) {
        this.config = config;
        this.httpClient = httpClient;
        this.interceptors = List.copyOf(interceptors);
        this.credentials = config.credentials()
                .<AwsCredentialsProvider>map(c -> StaticCredentialsProvider.create(c.sessionToken() == null
                        ? AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey())
                        : AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
                .orElseGet(() -> DefaultCredentialsProvider.builder().build());
    }

    /** A factory using the AWS CRT HTTP client. */
    public static AwsClientFactory create(Config config) {
        return create(config, defaultHttpClient());
    }

    /** A factory using the given HTTP client, which it closes on {@link #close()}. */
    public static AwsClientFactory create(Config config, SdkHttpClient httpClient) {
        return new AwsClientFactory(config, httpClient, List.of());
    }

    /**
     * A factory using the AWS CRT HTTP client whose clients also run these interceptors, after the call counter: the
     * fault suite's injected throttles and errors. Deployed functions have none.
     */
    public static AwsClientFactory create(Config config, List<ExecutionInterceptor> interceptors) {
        return new AwsClientFactory(config, defaultHttpClient(), interceptors);
    }

    public static SdkHttpClient defaultHttpClient() {
        return AwsCrtHttpClient.builder()
                .maxConcurrency(MAX_CONNECTIONS)
                .connectionTimeout(CONNECT_TIMEOUT)
                // Below the 60 s after which NAT and load balancers drop idle connections.
                .connectionMaxIdleTime(MAX_IDLE)
                .build();
    }

    public DynamoDbClient dynamoDb() {
        return configure(DynamoDbClient.builder(), config.endpoints().dynamoDb(), false).build();
    }

    public SqsClient sqs() {
        return configure(SqsClient.builder(), config.endpoints().sqs(), false).build();
    }

    /** KMS has no emulator: this client always speaks to AWS, and only KMS-configured deployments build it. */
    public KmsClient kms() {
        return configure(KmsClient.builder(), null, false).build();
    }

    /** EventBridge Scheduler: only deployments with {@link Config#scheduling()} build it. */
    public SchedulerClient scheduler(URI endpoint) {
        return configure(SchedulerClient.builder(), endpoint, false).build();
    }

    public S3Client s3() {
        var builder = configure(S3Client.builder(), config.endpoints().s3(), true);
        if (config.endpoints().s3() != null) {
            // Emulators serve path-style URLs and do not verify the newer flexible checksums.
            builder.forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return builder.build();
    }

    public S3Presigner s3Presigner() {
        S3Presigner.Builder builder = S3Presigner.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials);
        if (config.endpoints().s3() != null) {
            builder.endpointOverride(config.endpoints().s3())
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build());
        }
        return builder.build();
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, URI endpoint, boolean s3) {
        Config.AwsCalls timeouts = config.awsCalls();
        // Every call is counted (requests, DynamoDB capacity): the figures the cost per million entries comes from.
        // Every call is bounded: a hung endpoint fails the call with the SDK's timeout exception, within the function's
        // own time limit.
        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder()
                .addExecutionInterceptor(AwsCallCounter.shared())
                .apiCallTimeout(s3 ? timeouts.s3CallTimeout() : timeouts.callTimeout())
                .apiCallAttemptTimeout(s3 ? timeouts.s3AttemptTimeout() : timeouts.attemptTimeout());
        interceptors.forEach(override::addExecutionInterceptor);
        builder.httpClient(httpClient)
                .region(Region.of(config.region()))
                .credentialsProvider(credentials)
                .overrideConfiguration(override.build());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }

    /** Closes the shared HTTP client; clients built by this factory stop working. */
    @Override
    public void close() {
        httpClient.close();
    }
}
