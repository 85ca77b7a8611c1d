package dev.syncline.adapters.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.adapters.config.Config;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Every SDK client the functions build gives up on a hung endpoint instead of waiting for Lambda to end it. */
class AwsClientFactoryTest {

    /** Accepts connections and never answers: an endpoint that hangs. */
    private ServerSocket blackHole;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private Thread acceptor;

    @BeforeEach
    void openBlackHole() throws IOException {
        blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().start(() -> {
            while (!blackHole.isClosed()) {
                try {
                    held.add(blackHole.accept());
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    @AfterEach
    void closeBlackHole() throws IOException, InterruptedException {
        blackHole.close();
        for (Socket socket : held) {
            socket.close();
        }
        acceptor.join(Duration.ofSeconds(5));
    }

    @Test
    void everyClient_carriesTheConfiguredCallAndAttemptTimeouts() {
        Map<String, String> environment = environment("http://127.0.0.1:1");
        environment.put(Config.AWS_CALL_TIMEOUT_MS, "4000");
        environment.put(Config.AWS_ATTEMPT_TIMEOUT_MS, "1500");
        environment.put(Config.S3_CALL_TIMEOUT_MS, "9000");
        environment.put(Config.S3_ATTEMPT_TIMEOUT_MS, "3000");

        try (AwsClientFactory factory = AwsClientFactory.create(Config.from(environment));
             DynamoDbClient dynamoDb = factory.dynamoDb();
             SqsClient sqs = factory.sqs();
             S3Client s3 = factory.s3();
             KmsClient kms = factory.kms();
             SchedulerClient scheduler = factory.scheduler(URI.create("http://127.0.0.1:1"))) {

            assertTimeouts(dynamoDb.serviceClientConfiguration().overrideConfiguration(), 4000, 1500);
            assertTimeouts(sqs.serviceClientConfiguration().overrideConfiguration(), 4000, 1500);
            assertTimeouts(kms.serviceClientConfiguration().overrideConfiguration(), 4000, 1500);
            assertTimeouts(scheduler.serviceClientConfiguration().overrideConfiguration(), 4000, 1500);
            assertTimeouts(s3.serviceClientConfiguration().overrideConfiguration(), 9000, 3000);
        }
    }

    @Test
    void defaults_boundEveryCallWellWithinTheFunctionsTimeLimits() {
        Config.AwsCalls defaults = Config.from(environment("http://127.0.0.1:1")).awsCalls();

        assertThat(defaults).isEqualTo(Config.AwsCalls.DEFAULT);
        // The worker's limit is 120 s: a hung call fails early enough for the chunk to record what it did.
        assertThat(defaults.callTimeout()).isLessThan(Duration.ofSeconds(60));
        assertThat(defaults.s3CallTimeout()).isLessThan(Duration.ofSeconds(120));
    }

    @Test
    void aCallToAHungEndpoint_endsWithTheSdksTimeoutException() {
        assertEndsWithTheSdksTimeoutException(Config.AWS_CALL_TIMEOUT_MS, Config.AWS_ATTEMPT_TIMEOUT_MS, factory -> {
            try (DynamoDbClient dynamoDb = factory.dynamoDb()) {
                dynamoDb.listTables();
            }
        });
    }

    @Test
    void anS3CallToAHungEndpoint_endsWithTheSdksTimeoutException() {
        assertEndsWithTheSdksTimeoutException(Config.S3_CALL_TIMEOUT_MS, Config.S3_ATTEMPT_TIMEOUT_MS, factory -> {
            try (S3Client s3 = factory.s3()) {
                s3.headBucket(b -> b.bucket("syncline"));
            }
        });
    }

    /** A call through a client of the factory, against the black hole, with a 1.5 s call and 0.5 s attempt timeout. */
    private void assertEndsWithTheSdksTimeoutException(String callTimeout, String attemptTimeout, Consumer<AwsClientFactory> call) {
        Map<String, String> environment = environment("http://127.0.0.1:" + blackHole.getLocalPort());
        environment.put(callTimeout, "1500");
        environment.put(attemptTimeout, "500");

        try (AwsClientFactory factory = AwsClientFactory.create(Config.from(environment))) {
            assertThatThrownBy(() -> call.accept(factory)).isInstanceOf(ApiCallTimeoutException.class);
        }
        assertThat(held).as("the client did connect, and waited in vain").isNotEmpty();
    }

    private static void assertTimeouts(ClientOverrideConfiguration configuration, long callMillis, long attemptMillis) {
        assertThat(configuration.apiCallTimeout()).contains(Duration.ofMillis(callMillis));
        assertThat(configuration.apiCallAttemptTimeout()).contains(Duration.ofMillis(attemptMillis));
    }

    private static Map<String, String> environment(String endpoint) {
        Map<String, String> environment = new HashMap<>();
        environment.put("AWS_REGION", "eu-central-1");
        environment.put("AWS_ACCESS_KEY_ID", "test");
        environment.put("AWS_SECRET_ACCESS_KEY", "test");
        environment.put(Config.TABLE, "syncline");
        environment.put(Config.CONTROL_QUEUE_URL, endpoint + "/1/control");
        environment.put(Config.WORK_QUEUE_URL, endpoint + "/1/work");
        environment.put(Config.BUCKET, "syncline");
        environment.put(Config.DYNAMODB_ENDPOINT, endpoint);
        environment.put(Config.SQS_ENDPOINT, endpoint);
        environment.put(Config.S3_ENDPOINT, endpoint);
        return environment;
    }
}
