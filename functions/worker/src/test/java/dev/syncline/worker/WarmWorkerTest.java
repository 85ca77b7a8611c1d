package dev.syncline.worker;

import static dev.syncline.adapters.wiring.TestDeployment.RUN;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.syncline.adapters.wiring.ManualClock;
import dev.syncline.adapters.wiring.TestDeployment;
import dev.syncline.core.app.ManifestDocument;
import dev.syncline.core.sync.RunStatus;
import dev.syncline.sampleapp.ReceivedRequest;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.sampleapp.SampleConfiguration;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import dev.syncline.testing.lambda.LambdaContext;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A warm worker instance delivering one chunk after another: what it read of the installation and the App's manifest
 * serves the chunks of the next 5 seconds, a new App version reaches the chunks after that, and the run's status is
 * read for every chunk, so an uninstall stops the next one.
 */
@AwsIntegrationTest
class WarmWorkerTest {

    /** Three chunks of 250 products. */
    private static final String CATALOG = catalog(750);

    private AwsStack stack;
    private SampleApp app;
    private final ManualClock clock = new ManualClock(Instant.now());
    /** Item reads by the first part of their partition key ({@code INSTALLATION}, {@code APP}, {@code RUN}). */
    private final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
    private TestDeployment deployment;
    private DeliverChunkHandler worker;
    private UUID installation;

    @BeforeEach
    void start(AwsStack stack) throws IOException {
        this.stack = stack;
        app = SampleApp.start(0);
        ExecutionInterceptor itemReads = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof GetItemRequest get) {
                    reads.computeIfAbsent(get.key().get("pk").s().split("#")[0], kind -> new AtomicInteger()).incrementAndGet();
                }
            }
        };
        deployment = TestDeployment.start(stack, clock, List.of(itemReads));
        worker = new DeliverChunkHandler(deployment.services);
        // No retries: an App that refuses an entry fails it at once.
        installation = deployment.install(app.baseUri(), SampleConfiguration.SCHEMA, SampleConfiguration.EXAMPLE, 0);
        deployment.trigger(installation, CATALOG);
        deployment.services.runPlanning().prepare(RUN);
        app.reset();
        reads.clear();
    }

    @AfterEach
    void stop() {
        deployment.close();
        app.close();
    }

    @Test
    void threeChunksInARow_readTheInstallationAndTheAppsManifestOnce_andEveryProductReachesTheApp() {
        for (int chunk = 0; chunk < 3; chunk++) {
            deliverNextChunk();
        }

        assertThat(app.receivedRequests(request -> request.path().equals("/consume/product_created")))
                .extracting(ReceivedRequest::outcome).hasSize(750).containsOnly(ReceivedRequest.Outcome.ACCEPTED);
        assertThat(deployment.services.runs().find(RUN).orElseThrow().status()).isEqualTo(RunStatus.FINISHED);
        // One read serves the three chunks and the run's end; the other is the App's file being asked for once the run
        // ended, which reads afresh. Each chunk read both before, and the run's end once more: five each.
        assertThat(reads("INSTALLATION")).as("installation reads").isEqualTo(2);
        assertThat(reads("APP")).as("manifest reads").isEqualTo(2);
        assertThat(reads("RUN")).as("the run's items are read for every chunk").isGreaterThanOrEqualTo(3);
    }

    @Test
    void aNewAppVersion_reachesTheChunksAWarmWorkerStartsFiveSecondsAfterItsRead() throws IOException {
        try (SampleApp moved = SampleApp.start(0)) {
            deliverNextChunk();
            deployment.services.apps().register("shop-export", manifestAt(moved, "1.1.0"));

            deliverNextChunk();
            int sentBeforeTheFiveSeconds = productRequests(app);
            clock.advance(Duration.ofSeconds(5));
            deliverNextChunk();

            assertThat(sentBeforeTheFiveSeconds).as("the second chunk still goes where the manifest read with the first said").isEqualTo(500);
            assertThat(productRequests(app)).isEqualTo(500);
            assertThat(productRequests(moved)).as("the third chunk goes to the new version's URL").isEqualTo(250);
        }
    }

    @Test
    void uninstall_stopsAWarmWorker_atItsNextChunk() {
        deliverNextChunk();

        deployment.services.runControl().uninstall(installation);
        deliverNextChunk();

        assertThat(productRequests(app)).as("only the chunk delivered before the uninstall").isEqualTo(250);
        assertThat(deployment.services.runs().find(RUN).orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
    }

    /** Takes the next chunk message off the work queue and hands it to the warm worker, as the event source would. */
    private void deliverNextChunk() {
        String queue = deployment.services.config().workQueueUrl();
        List<Message> messages = stack.sqs().receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(1).waitTimeSeconds(1)).messages();
        assertThat(messages).as("a chunk message waiting").hasSize(1);
        Message message = messages.getFirst();
        SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
        record.setMessageId(message.messageId());
        record.setBody(message.body());
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(record));

        SQSBatchResponse response = worker.handleRequest(event, LambdaContext.of("WorkerFunction", 120));

        assertThat(response.getBatchItemFailures()).isEmpty();
        stack.sqs().deleteMessage(b -> b.queueUrl(queue).receiptHandle(message.receiptHandle()));
    }

    private int reads(String kind) {
        return reads.getOrDefault(kind, new AtomicInteger()).get();
    }

    private static int productRequests(SampleApp app) {
        return app.receivedRequests(request -> request.path().startsWith("/consume/product_")).size();
    }

    private static ManifestDocument manifestAt(SampleApp app, String version) {
        return new ManifestDocument("Shop export", "Exports the catalog to the shop.", version, "1.0.0", app.baseUri().toString(),
                List.of("synchronization", "synchronization_full"),
                List.of("app_installed", "product_created", "product_updated", "product_deleted"), SampleConfiguration.SCHEMA, false, null);
    }

    private static String catalog(int products) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < products; i++) {
            lines.append("{\"type\":\"product\",\"sku\":\"SKU-").append(i).append("\",\"product_type\":\"SIMPLE\"}\n");
        }
        return lines.toString();
    }
}
