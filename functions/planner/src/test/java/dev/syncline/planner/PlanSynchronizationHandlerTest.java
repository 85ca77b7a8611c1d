package dev.syncline.planner;

import static dev.syncline.adapters.wiring.TestDeployment.RUN;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import dev.syncline.adapters.wiring.TestDeployment;
import dev.syncline.adapters.dynamodb.DynamoDbWebhooks;
import dev.syncline.adapters.sqs.SqsChunkQueue;
import dev.syncline.core.delivery.ChunkRef;
import dev.syncline.core.sync.Phase;
import dev.syncline.core.sync.RunStatus;
import dev.syncline.core.webhook.WebhookDelivery;
import dev.syncline.core.webhook.WebhookEvent;
import dev.syncline.core.webhook.WebhookRequest;
import dev.syncline.core.webhook.WebhookService;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.sampleapp.SampleConfiguration;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * The control-queue events under {@code events/planner} (also what {@code sam local invoke PlannerFunction} takes),
 * handed to the real handler wired against the emulators.
 */
@AwsIntegrationTest
class PlanSynchronizationHandlerTest {

    private static final String CATALOG = """
            {"type":"product","sku":"SKU-1","product_type":"SIMPLE"}
            {"type":"product","sku":"SKU-2","product_type":"SIMPLE"}
            """;

    private AwsStack stack;
    private SampleApp app;
    private TestDeployment deployment;
    private PlanSynchronizationHandler handler;

    @BeforeEach
    void start(AwsStack stack) throws IOException {
        this.stack = stack;
        app = SampleApp.start(0);
        deployment = TestDeployment.start(stack);
        handler = new PlanSynchronizationHandler(deployment.services);
    }

    @AfterEach
    void stop() {
        deployment.close();
        app.close();
    }

    @ParameterizedTest
    @Event(value = "../../events/planner/control-message.json", type = SQSEvent.class)
    void controlMessage_forATriggeredRun_plansItAndReleasesItsFirstChunkToTheWorkers(SQSEvent event) {
        deployment.trigger(installSampleApp(), CATALOG);

        SQSBatchResponse response = handler.handleRequest(event, null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(deployment.services.runs().find(RUN).orElseThrow().status()).isEqualTo(RunStatus.EXECUTION);
        assertThat(deployment.waiting(stack.names().workQueueUrl())).map(SqsChunkQueue::parse)
                .containsExactly(new ChunkRef(RUN, Phase.PRODUCTS, 0));
    }

    @ParameterizedTest
    @Event(value = "../../events/planner/control-message.json", type = SQSEvent.class)
    void controlMessage_forARunCancelledWhilePreparing_releasesNothing_andTheRunStaysCancelled(SQSEvent event) {
        deployment.trigger(installSampleApp(), CATALOG);
        deployment.services.runControl().cancel(RUN);
        app.reset();

        SQSBatchResponse response = handler.handleRequest(event, null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(deployment.services.runs().find(RUN).orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(deployment.waiting(stack.names().workQueueUrl())).isEmpty();
        assertThat(app.receivedRequests()).isEmpty();
    }

    @ParameterizedTest
    @Event(value = "../../events/planner/control-message.json", type = SQSEvent.class)
    void controlMessage_repeated_plansTheRunOnce(SQSEvent event) {
        deployment.trigger(installSampleApp(), CATALOG);

        handler.handleRequest(event, null);
        SQSBatchResponse repeated = handler.handleRequest(event, null);

        assertThat(repeated.getBatchItemFailures()).isEmpty();
        assertThat(deployment.waiting(stack.names().workQueueUrl())).hasSize(1);
    }

    @ParameterizedTest
    @Event(value = "../../events/planner/control-message.json", type = SQSEvent.class)
    void controlMessage_forARunNobodyTriggered_isReportedFailedByItsMessageId(SQSEvent event) {
        SQSBatchResponse response = handler.handleRequest(event, null);

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("4b0e3c1d-7a52-4f8e-9c61-0d2a6b8e5f17");
        assertThat(deployment.waiting(stack.names().workQueueUrl())).isEmpty();
    }

    @ParameterizedTest
    @Event(value = "../../events/planner/malformed-message.json", type = SQSEvent.class)
    void malformedMessage_isReportedFailedByItsMessageId_andPlansNothing(SQSEvent event) {
        UUID installation = installSampleApp();
        deployment.trigger(installation, CATALOG);

        SQSBatchResponse response = handler.handleRequest(event, null);

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("9c2f7e0a-3b14-4d6c-8e5f-1a7b2c9d0e34");
        assertThat(deployment.services.runs().find(RUN).orElseThrow().status()).isEqualTo(RunStatus.PREPARING);
        assertThat(deployment.waiting(stack.names().workQueueUrl())).isEmpty();
    }

    @ParameterizedTest
    @Event(value = "../../events/planner/webhook-attempt.json", type = SQSEvent.class)
    void webhookMessage_postsTheDeliveryToTheWebhook_andRecordsItDelivered(SQSEvent event) throws IOException {
        UUID installation = UUID.fromString("2d9e4b71-5c3a-4f08-b6e2-8a1d7c0f3e55");
        UUID delivery = UUID.fromString("01938f4e-6a2b-7c3d-8e4f-5a6b7c8d9e0f");
        deployment.trigger(installSampleApp(), CATALOG);
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks", exchange -> {
            received.add(exchange.getRequestHeaders().getFirst("Syncline-Delivery") + " " + exchange.getRequestHeaders().getFirst("Syncline-Event"));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            WebhookService webhooks = deployment.services.webhooks();
            webhooks.set(installation, webhooks.check(new WebhookRequest("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks", null)));
            DynamoDbWebhooks records = new DynamoDbWebhooks(stack.dynamoDb(), stack.names().table());
            records.create(WebhookDelivery.owed(delivery, installation, RUN, WebhookEvent.SYNCHRONIZATION_ENDED, Instant.now()));

            SQSBatchResponse response = handler.handleRequest(event, null);

            assertThat(response.getBatchItemFailures()).isEmpty();
            assertThat(received).containsExactly(delivery + " synchronization.ended");
            assertThat(records.find(installation, delivery).orElseThrow().state()).isEqualTo(WebhookDelivery.State.DELIVERED);
            assertThat(deployment.services.runs().find(RUN).orElseThrow().status()).as("no run was prepared")
                    .isEqualTo(RunStatus.PREPARING);
        } finally {
            receiver.stop(0);
        }
    }

    private UUID installSampleApp() {
        return deployment.install(app.baseUri(), SampleConfiguration.SCHEMA, SampleConfiguration.EXAMPLE);
    }
}
