package dev.syncline.testing.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SqsException;

@AwsIntegrationTest
class AwsFaultsTest {

    @Test
    void everyAttemptFaulted_endsInTheServicesOwnException_afterTheSdksRetries(AwsStack stack) {
        AwsFaults faults = AwsFaults.failing(1.0, 1.0, 7);
        try (DynamoDbClient dynamoDb = dynamoDb(stack, faults); S3Client s3 = s3(stack, faults); SqsClient sqs = sqs(stack, faults)) {
            assertThatThrownBy(() -> dynamoDb.getItem(b -> b.tableName(stack.names().table()).key(key("x"))))
                    .isInstanceOf(ProvisionedThroughputExceededException.class);
            assertThat(faults.attempts()).as("the SDK's standard retry mode tried three times").isEqualTo(3);
            assertThatThrownBy(() -> s3.headBucket(b -> b.bucket(stack.names().bucket())))
                    .isInstanceOf(S3Exception.class)
                    .satisfies(e -> assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("SlowDown"));
            assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(stack.names().workQueueUrl()).messageBody("{}")))
                    .isInstanceOf(SqsException.class)
                    .satisfies(e -> assertThat(((SqsException) e).isThrottlingException()).isTrue());
            assertThat(faults.injected()).isEqualTo(faults.attempts());
            assertThat(faults.injectedByServiceAndKind()).containsOnlyKeys("DynamoDb throttle", "S3 throttle", "Sqs throttle");
        }
        assertThat(stack.approximateMessages(stack.names().workQueueUrl())).as("a faulted attempt never reaches the service").isZero();
    }

    @Test
    void aShareOfAttemptsFaulted_isRetriedByTheSdk_andTheCallsStillSucceed(AwsStack stack) {
        AwsFaults faults = AwsFaults.failing(0.3, 0.5, 11);
        List<String> written = new ArrayList<>();
        // Ten attempts a call, so that three faults in a row (one call in 40 at this share) do not end the test.
        try (DynamoDbClient dynamoDb = dynamoDb(stack, faults, 10)) {
            for (int i = 0; i < 40; i++) {
                String id = "item-" + i;
                dynamoDb.putItem(b -> b.tableName(stack.names().table()).item(key(id)));
                written.add(id);
            }
        }
        assertThat(written).hasSize(40);
        assertThat(faults.injected()).as("some attempts were faulted").isPositive();
        assertThat(faults.injectedByServiceAndKind()).containsOnlyKeys("DynamoDb throttle", "DynamoDb server_error");
        assertThat(faults.attempts()).isEqualTo(40 + faults.injected());
        for (String id : written) {
            assertThat(stack.dynamoDb().getItem(b -> b.tableName(stack.names().table()).key(key(id))).hasItem()).isTrue();
        }
    }

    @Test
    void switchedOff_letsEveryCallThrough(AwsStack stack) {
        AwsFaults faults = AwsFaults.off();
        try (SqsClient sqs = sqs(stack, faults)) {
            for (int i = 0; i < 20; i++) {
                sqs.sendMessage(b -> b.queueUrl(stack.names().workQueueUrl()).messageBody("{}"));
            }
        }
        assertThat(faults.injected()).isZero();
        assertThat(faults.attempts()).isEqualTo(20);
        assertThat(stack.approximateMessages(stack.names().workQueueUrl())).isEqualTo(20);
    }

    @Test
    void aDelay_holdsEveryAttempt_andAnInterruptEndsTheCallAtOnce(AwsStack stack) throws Exception {
        AwsFaults faults = AwsFaults.off();
        faults.delay(java.time.Duration.ofMinutes(5));
        try (SqsClient sqs = sqs(stack, faults)) {
            java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    sqs.sendMessage(b -> b.queueUrl(stack.names().workQueueUrl()).messageBody("{}"));
                } catch (RuntimeException e) {
                    failure.set(e);
                }
            });
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (faults.delayed() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            caller.interrupt();
            caller.join(30_000);

            assertThat(caller.isAlive()).as("the call ended at the interrupt, not after the 5 minutes' delay").isFalse();
            assertThat(failure.get()).isInstanceOf(SdkException.class);
        }
        assertThat(faults.delayed()).isEqualTo(1);
        assertThat(stack.approximateMessages(stack.names().workQueueUrl())).as("the held attempt was never sent").isZero();
    }

    private static java.util.Map<String, AttributeValue> key(String id) {
        return java.util.Map.of("pk", AttributeValue.fromS(id), "sk", AttributeValue.fromS(id));
    }

    /** The standard retry mode's backoff: the legacy mode's eight attempts, throttle backoff included, take tens of seconds. */
    private static ClientOverrideConfiguration with(AwsFaults faults, int attempts) {
        return ClientOverrideConfiguration.builder().addExecutionInterceptor(faults)
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(attempts).build()).build();
    }

    private static StaticCredentialsProvider credentials(AwsStack stack) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(stack.endpoints().accessKeyId(), stack.endpoints().secretAccessKey()));
    }

    private static DynamoDbClient dynamoDb(AwsStack stack, AwsFaults faults) {
        return dynamoDb(stack, faults, 3);
    }

    private static DynamoDbClient dynamoDb(AwsStack stack, AwsFaults faults, int attempts) {
        return DynamoDbClient.builder().endpointOverride(stack.endpoints().dynamoDb()).region(Region.of(stack.endpoints().region()))
                .httpClientBuilder(Apache5HttpClient.builder()).credentialsProvider(credentials(stack)).overrideConfiguration(with(faults, attempts)).build();
    }

    private static S3Client s3(AwsStack stack, AwsFaults faults) {
        return S3Client.builder().endpointOverride(stack.endpoints().s3()).region(Region.of(stack.endpoints().region())).forcePathStyle(true)
                .httpClientBuilder(Apache5HttpClient.builder()).credentialsProvider(credentials(stack)).overrideConfiguration(with(faults, 3)).build();
    }

    private static SqsClient sqs(AwsStack stack, AwsFaults faults) {
        return SqsClient.builder().endpointOverride(stack.endpoints().sqs()).region(Region.of(stack.endpoints().region()))
                .httpClientBuilder(Apache5HttpClient.builder()).credentialsProvider(credentials(stack)).overrideConfiguration(with(faults, 3)).build();
    }
}
