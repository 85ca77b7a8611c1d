package dev.syncline.adapters.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.adapters.aws.AwsClientFactory;
import dev.syncline.adapters.aws.EmulatorClients;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

@AwsIntegrationTest
class AwsCallCounterTest {

    private static final AwsCallCounter COUNTER = AwsCallCounter.shared();

    private AwsClientFactory clients;
    private DynamoDbClient dynamoDb;
    private SqsClient sqs;
    private S3Client s3;
    private String table;

    @BeforeEach
    void setUp(AwsStack stack) {
        clients = EmulatorClients.factory(stack);
        dynamoDb = clients.dynamoDb();
        sqs = clients.sqs();
        s3 = clients.s3();
        table = stack.names().table();
    }

    @AfterEach
    void tearDown() {
        clients.close();
    }

    @Test
    void clientsOfTheFactory_reportEveryCallTheyMade_perServiceAndOperation(AwsStack stack) {
        AwsCalls before = COUNTER.snapshot();

        s3.putObject(b -> b.bucket(stack.names().bucket()).key("counted/object"), RequestBody.fromString("counted"));
        s3.getObjectAsBytes(b -> b.bucket(stack.names().bucket()).key("counted/object"));
        sqs.sendMessage(b -> b.queueUrl(stack.names().workQueueUrl()).messageBody("{\"chunk\":1}"));
        sqs.receiveMessage(b -> b.queueUrl(stack.names().workQueueUrl()).waitTimeSeconds(1));
        sqs.receiveMessage(b -> b.queueUrl(stack.names().workQueueUrl()).waitTimeSeconds(0));
        dynamoDb.getItem(b -> b.tableName(table).key(key("missing")).consistentRead(true));

        AwsCalls made = COUNTER.snapshot().minus(before);
        assertThat(made.operations()).containsOnlyKeys(
                new AwsCalls.Operation("S3", "PutObject"), new AwsCalls.Operation("S3", "GetObject"),
                new AwsCalls.Operation("Sqs", "SendMessage"), new AwsCalls.Operation("Sqs", "ReceiveMessage"),
                new AwsCalls.Operation("DynamoDb", "GetItem"));
        assertThat(made.of("S3", "PutObject").calls()).isEqualTo(1);
        assertThat(made.of("S3", "GetObject").calls()).isEqualTo(1);
        assertThat(made.of("Sqs", "SendMessage").calls()).isEqualTo(1);
        assertThat(made.of("Sqs", "ReceiveMessage").calls()).isEqualTo(2);
        assertThat(made.of("Sqs", "ReceiveMessage").empty()).as("the second receive found the queue empty").isEqualTo(1);
        assertThat(made.of("DynamoDb", "GetItem").empty()).isEqualTo(1);
        assertThat(made.total("Sqs").attempts()).isEqualTo(made.total("Sqs").calls());
    }

    @Test
    void dynamoDbCalls_askForTheirCapacity_andTheCounterAddsItUp() {
        AwsCalls before = COUNTER.snapshot();

        // About 1.5 KB: two write units, one strongly consistent read unit.
        PutItemResponse put = dynamoDb.putItem(b -> b.tableName(table).item(item("counted", 1500)));
        dynamoDb.getItem(b -> b.tableName(table).key(key("counted")).consistentRead(true));

        AwsCalls made = COUNTER.snapshot().minus(before);
        assertThat(put.consumedCapacity()).as("asked for by the counter, not by the caller").isNotNull();
        assertThat(made.of("DynamoDb", "PutItem").writeUnits()).isEqualTo(2.0);
        assertThat(made.of("DynamoDb", "GetItem").readUnits()).isEqualTo(1.0);
        assertThat(made.total("DynamoDb").estimatedWriteUnits()).isZero();
    }

    @Test
    void aFailedConditionalWrite_isCountedAsAnError_withTheWriteUnitsItIsBilled() {
        dynamoDb.putItem(b -> b.tableName(table).item(item("taken", 1500)));
        AwsCalls before = COUNTER.snapshot();

        assertThatThrownBy(() -> dynamoDb.putItem(b -> b.tableName(table).item(item("taken", 1500)).conditionExpression("attribute_not_exists(pk)")))
                .isInstanceOf(ConditionalCheckFailedException.class);

        AwsCalls.Count put = COUNTER.snapshot().minus(before).of("DynamoDb", "PutItem");
        assertThat(put.calls()).isEqualTo(1);
        assertThat(put.errors()).isEqualTo(1);
        assertThat(put.writeUnits()).as("the exception reports no capacity").isZero();
        assertThat(put.estimatedWriteUnits()).isEqualTo(2.0);
    }

    @Test
    void aCounterOfItsOwn_countsOnlyItsClients_andResetStartsItAgainFromZero(AwsStack stack) {
        AwsCallCounter counter = AwsCallCounter.create();
        AwsCalls sharedBefore = COUNTER.snapshot();
        try (SdkHttpClient http = AwsClientFactory.defaultHttpClient();
                SqsClient counted = SqsClient.builder()
                        .httpClient(http)
                        .region(Region.of(stack.endpoints().region()))
                        .credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(stack.endpoints().accessKeyId(), stack.endpoints().secretAccessKey())))
                        .endpointOverride(stack.endpoints().sqs())
                        .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
                        .build()) {
            counted.sendMessage(b -> b.queueUrl(stack.names().workQueueUrl()).messageBody("1"));

            AwsCalls first = counter.reset();
            counted.sendMessage(b -> b.queueUrl(stack.names().workQueueUrl()).messageBody("2"));
            counted.sendMessage(b -> b.queueUrl(stack.names().workQueueUrl()).messageBody("3"));

            assertThat(first.of("Sqs", "SendMessage").calls()).isEqualTo(1);
            assertThat(counter.snapshot().of("Sqs", "SendMessage").calls()).isEqualTo(2);
            assertThat(COUNTER.snapshot().minus(sharedBefore).of("Sqs", "SendMessage").calls()).isZero();
        }
    }

    @Test
    @SuppressWarnings("try") // the scope counts the calls made inside, unreferenced
    void aStretch_countsTheCallsOfItsThreadAndTheThreadsItStarts_notOtherThreads(AwsStack stack) throws Exception {
        AwsCallCounter stretch = AwsCallCounter.create();
        // Another invocation's thread, running while the stretch is open.
        Thread outsider = Thread.ofPlatform().unstarted(() -> dynamoDb.getItem(b -> b.tableName(table).key(key("outsider"))));
        try (AwsCallCounter.Scope scope = AwsCallCounter.alsoCountingInto(stretch)) {
            s3.putObject(b -> b.bucket(stack.names().bucket()).key("stretch/mine"), RequestBody.fromString("12345"));
            Thread started = Thread.ofVirtual().start(() -> dynamoDb.getItem(b -> b.tableName(table).key(key("started"))));
            started.join();
            outsider.start();
            outsider.join();
        }
        dynamoDb.putItem(b -> b.tableName(table).item(item("after", 10)));

        AwsCalls counted = stretch.snapshot();
        assertThat(counted.operations()).containsOnlyKeys(new AwsCalls.Operation("S3", "PutObject"), new AwsCalls.Operation("DynamoDb", "GetItem"));
        assertThat(counted.of("DynamoDb", "GetItem").calls()).isEqualTo(1);
        assertThat(counted.storedBytes()).containsExactly(Map.entry("stretch", 5L));
    }

    @Test
    @SuppressWarnings("try") // the scope counts the calls made inside, unreferenced
    void usage_billsSqsAndS3PerAttempt_withoutIdleReceives_andDynamoDbByItsUnits(AwsStack stack) {
        AwsCallCounter stretch = AwsCallCounter.create();
        try (AwsCallCounter.Scope scope = AwsCallCounter.alsoCountingInto(stretch)) {
            sqs.receiveMessage(b -> b.queueUrl(stack.names().controlDeadLetterQueueUrl()).waitTimeSeconds(0));
            dynamoDb.putItem(b -> b.tableName(table).item(item("usage", 1500)));
        }

        dev.syncline.core.cost.RunUsage usage = stretch.snapshot().usage();
        assertThat(usage.of("Sqs", "ReceiveMessage").count()).as("an idle receive is the queue's, not the run's").isZero();
        assertThat(usage.of("DynamoDb", "PutItem").count()).isEqualTo(1);
        assertThat(usage.of("DynamoDb", "PutItem").writeUnits()).isEqualTo(2.0);
    }

    private static Map<String, AttributeValue> key(String sk) {
        return Map.of("pk", AttributeValue.fromS("counter-test"), "sk", AttributeValue.fromS(sk));
    }

    private static Map<String, AttributeValue> item(String sk, int bytes) {
        return Map.of("pk", AttributeValue.fromS("counter-test"), "sk", AttributeValue.fromS(sk), "v", AttributeValue.fromS("x".repeat(bytes)));
    }
}
