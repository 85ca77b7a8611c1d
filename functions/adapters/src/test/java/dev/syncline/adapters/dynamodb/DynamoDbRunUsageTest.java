package dev.syncline.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.adapters.aws.AwsClientFactory;
import dev.syncline.adapters.aws.EmulatorClients;
import dev.syncline.adapters.metrics.AwsCallCounter;
import dev.syncline.adapters.metrics.AwsCalls;
import dev.syncline.core.cost.RunUsage;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@AwsIntegrationTest
class DynamoDbRunUsageTest {

    private AwsClientFactory clients;
    private DynamoDbRunUsage store;

    @BeforeEach
    void setUp(AwsStack stack) {
        clients = EmulatorClients.factory(stack);
        store = new DynamoDbRunUsage(clients.dynamoDb(), stack.names().table());
    }

    @AfterEach
    void tearDown() {
        clients.close();
    }

    @Test
    void find_ofARunThatRecordedNothing_isNone() {
        assertThat(store.find(UUID.randomUUID())).isEqualTo(RunUsage.none());
    }

    @Test
    void add_addsUpWhatEveryInvocationUsed_figureByFigure() {
        UUID run = UUID.randomUUID();
        RunUsage planner = RunUsage.none()
                .plusRequest("DynamoDb", "PutItem", new RunUsage.Requests(3, 0, 4.5))
                .plusRequest("S3", "PutObject", new RunUsage.Requests(2, 0, 0))
                .plusInvocation("planner", 1.25)
                .plus(new RunUsage(Map.of(), Map.of(), Map.of("plans", 2048L)));
        RunUsage worker = RunUsage.none()
                .plusRequest("DynamoDb", "PutItem", new RunUsage.Requests(1, 0, 1))
                .plusRequest("DynamoDb", "GetItem", new RunUsage.Requests(5, 2.5, 0))
                .plusInvocation("worker", 0.5);

        store.add(run, planner);
        store.add(run, worker);
        store.add(run, worker);

        RunUsage found = store.find(run);
        assertThat(found).isEqualTo(planner.plus(worker).plus(worker));
        assertThat(found.of("DynamoDb", "PutItem")).isEqualTo(new RunUsage.Requests(5, 0, 6.5));
        assertThat(found.functions().get("worker")).isEqualTo(new RunUsage.Invocations(2, 1.0));
        assertThat(found.storedBytes()).containsExactly(Map.entry("plans", 2048L));
    }

    @Test
    @SuppressWarnings("try") // the scope counts the calls made inside, unreferenced
    void add_fromConcurrentInvocations_losesNoFigure_andEachIsOneWriteUnit() throws Exception {
        UUID run = UUID.randomUUID();
        RunUsage chunk = RunUsage.none()
                .plusRequest("DynamoDb", "BatchWriteItem", new RunUsage.Requests(2, 0, 100))
                .plusRequest("DynamoDb", "GetItem", new RunUsage.Requests(8, 8, 0))
                .plusRequest("S3", "PutObject", new RunUsage.Requests(2, 0, 0))
                .plusRequest("S3", "GetObject", new RunUsage.Requests(1, 0, 0))
                .plusRequest("Sqs", "SendMessageBatch", new RunUsage.Requests(1, 0, 0))
                .plusRequest("Sqs", "ReceiveMessage", new RunUsage.Requests(1, 0, 0))
                .plusRequest("Sqs", "DeleteMessageBatch", new RunUsage.Requests(1, 0, 0))
                .plusInvocation("worker", 1.25)
                .plus(new RunUsage(Map.of(), Map.of(), Map.of("state", 40_000L)));
        AwsCallCounter writes = AwsCallCounter.create();
        List<Thread> workers = new ArrayList<>();
        try (AwsCallCounter.Scope scope = AwsCallCounter.alsoCountingInto(writes)) {
            for (int i = 0; i < 20; i++) {
                workers.add(Thread.ofVirtual().start(() -> store.add(run, chunk)));
            }
            for (Thread worker : workers) {
                worker.join();
            }
        }

        RunUsage expected = RunUsage.none();
        for (int i = 0; i < 20; i++) {
            expected = expected.plus(chunk);
        }
        assertThat(store.find(run)).isEqualTo(expected);
        AwsCalls made = writes.snapshot();
        assertThat(made.of("DynamoDb", "UpdateItem").calls()).isEqualTo(20);
        assertThat(made.of("DynamoDb", "UpdateItem").allWriteUnits()).as("an item under 1 KB: one write unit each").isEqualTo(20.0);
    }
}
