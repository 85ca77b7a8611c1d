package dev.syncline.worker;

import static dev.syncline.adapters.wiring.TestDeployment.RUN;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import dev.syncline.adapters.wiring.TestDeployment;
import dev.syncline.core.sync.RunStatus;
import dev.syncline.sampleapp.ReceivedRequest;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.sampleapp.SampleConfiguration;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import dev.syncline.testing.lambda.LambdaContext;
import java.io.IOException;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * The work-queue events under {@code events/worker} (also what {@code sam local invoke WorkerFunction} takes),
 * handed to the real handler wired against the emulators, delivering to the sample App.
 */
@AwsIntegrationTest
class DeliverChunkHandlerTest {

    /** One product: the run has one chunk, products 0, the one the fixture names. */
    private static final String CATALOG = """
            {"type":"product","sku":"SKU-1","product_type":"SIMPLE"}
            """;

    private AwsStack stack;
    private SampleApp app;
    private TestDeployment deployment;
    private DeliverChunkHandler handler;

    @BeforeEach
    void start(AwsStack stack) throws IOException {
        this.stack = stack;
        app = SampleApp.start(0);
        deployment = TestDeployment.start(stack);
        handler = new DeliverChunkHandler(deployment.services.engine(), deployment.services.clock());
    }

    @AfterEach
    void stop() {
        deployment.close();
        app.close();
    }

    /** The planner has planned the fixture's run and released its chunk. */
    private void planned() {
        UUID installation = deployment.install(app.baseUri(), SampleConfiguration.SCHEMA, SampleConfiguration.EXAMPLE);
        deployment.trigger(installation, CATALOG);
        deployment.services.engine().prepare(RUN);
        app.reset();
    }

    @ParameterizedTest
    @Event(value = "../../events/worker/chunk-message.json", type = SQSEvent.class)
    void chunkMessage_ofAPlannedRun_deliversItsEntriesToTheApp_andFinishesTheRun(SQSEvent event) {
        planned();

        SQSBatchResponse response = handler.handleRequest(event, lambda(120));

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(app.receivedRequestsForEvent("product_created")).singleElement().satisfies(request -> {
            assertThat(request.resourceId()).contains("SKU-1");
            assertThat(request.synchronizationId()).contains(RUN.toString());
            assertThat(request.outcome()).isEqualTo(ReceivedRequest.Outcome.ACCEPTED);
        });
        assertThat(deployment.services.runs().find(RUN).orElseThrow().status()).isEqualTo(RunStatus.FINISHED);
    }

    @ParameterizedTest
    @Event(value = "../../events/worker/chunk-message.json", type = SQSEvent.class)
    void chunkMessage_deliveredTwiceBySqs_reachesTheAppOnce(SQSEvent event) {
        planned();

        handler.handleRequest(event, lambda(120));
        SQSBatchResponse again = handler.handleRequest(event, lambda(120));

        assertThat(again.getBatchItemFailures()).isEmpty();
        assertThat(app.receivedRequestsForEvent("product_created")).hasSize(1);
        assertThat(deployment.services.runs().find(RUN).orElseThrow().status()).isEqualTo(RunStatus.FINISHED);
    }

    @ParameterizedTest
    @Event(value = "../../events/worker/chunk-message.json", type = SQSEvent.class)
    void chunkMessage_ofARunThatDoesNotExist_isReportedFailedByItsMessageId(SQSEvent event) {
        SQSBatchResponse response = handler.handleRequest(event, lambda(120));

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("e1d2c3b4-a5f6-4e7d-8c9b-0a1f2e3d4c5b");
        assertThat(app.receivedRequests()).isEmpty();
    }

    @ParameterizedTest
    @Event(value = "../../events/worker/malformed-message.json", type = SQSEvent.class)
    void malformedMessage_isReportedFailedByItsMessageId_andDeliversNothing(SQSEvent event) {
        planned();

        SQSBatchResponse response = handler.handleRequest(event, lambda(120));

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f");
        assertThat(app.receivedRequests()).isEmpty();
        assertThat(deployment.services.runs().find(RUN).orElseThrow().status()).isEqualTo(RunStatus.EXECUTION);
    }

    /** The context Lambda hands an invocation that may run for {@code timeoutSeconds}, the function's timeout. */
    private static Context lambda(int timeoutSeconds) {
        return LambdaContext.of("WorkerFunction", timeoutSeconds);
    }
}
