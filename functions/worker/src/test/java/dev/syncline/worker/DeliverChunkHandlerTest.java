package dev.syncline.worker;

import static dev.syncline.adapters.wiring.TestDeployment.RUN;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.adapters.wiring.TestDeployment;
import dev.syncline.core.sync.RunStatus;
import dev.syncline.sampleapp.Faults;
import dev.syncline.sampleapp.ReceivedRequest;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.sampleapp.SampleConfiguration;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import dev.syncline.testing.lambda.LambdaContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
        handler = new DeliverChunkHandler(deployment.services);
    }

    @AfterEach
    void stop() {
        deployment.close();
        app.close();
    }

    /** The planner has planned the fixture's run and released its chunk. */
    private UUID planned() {
        UUID installation = deployment.install(app.baseUri(), SampleConfiguration.SCHEMA, SampleConfiguration.EXAMPLE);
        deployment.trigger(installation, CATALOG);
        deployment.services.runPlanning().prepare(RUN);
        app.reset();
        return installation;
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
    void chunkMessage_arrivingAfterTheInstallationWasUninstalled_reachesTheAppWithNothing(SQSEvent event) {
        UUID installation = planned();

        deployment.services.runControl().uninstall(installation);
        SQSBatchResponse response = handler.handleRequest(event, lambda(120));

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(app.receivedRequests()).extracting(ReceivedRequest::path).filteredOn(path -> path.startsWith("/consume/product"))
                .isEmpty();
        assertThat(deployment.services.runs().find(RUN).orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(deployment.services.dispatch().counts(RUN).values().stream().mapToLong(counts -> counts.cancelled()).sum())
                .isEqualTo(1);
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

    @ParameterizedTest
    @Event(value = "../../events/worker/chunk-message.json", type = SQSEvent.class)
    void chunkMessage_whenTheAppRefusesTheEntry_writesMetricLinesCountingItAndTheRunsEnd(SQSEvent event) {
        planned();
        app.setFaults(Faults.none().withResourceStatus("SKU-1", 422, "price below cost"));

        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream standardOutput = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            handler.handleRequest(event, lambda(120));
        } finally {
            System.setOut(standardOutput);
        }

        List<JsonNode> lines = captured.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.startsWith("{\"_aws\""))
                .map(deployment.services.json()::readTree)
                .toList();
        assertThat(lines).as("written once, at the end of the invocation").isNotEmpty();
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.path("RunId").asText()).isEqualTo(RUN.toString());
            assertThat(line.path("EntriesFailed").asInt()).isEqualTo(1);
            assertThat(line.path("EntriesSucceeded").asInt()).isZero();
            assertThat(line.path("AppLatency").isNumber()).as("one answered entry, one latency").isTrue();
            assertThat(line.path("_aws").path("CloudWatchMetrics").get(0).path("Namespace").asText()).isEqualTo("Syncline");
        });
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.path("RunsEnded").asInt()).isEqualTo(1);
            assertThat(line.path("Status").asText()).isEqualTo("finished_with_errors");
        });
        assertThat(captured.toString(StandardCharsets.UTF_8)).as("the metric lines never hold the App's answer").doesNotContain("price below cost");
    }

    @ParameterizedTest
    @Event(value = "../../events/worker/chunk-message.json", type = SQSEvent.class)
    void chunkMessage_whenAnEntryFails_logsAJsonWarnLineWithTheInvocationsIds_andNoSecretOrToken(SQSEvent event) {
        UUID installation = deployment.install(app.baseUri(), SampleConfiguration.SCHEMA, SampleConfiguration.EXAMPLE);
        deployment.trigger(installation, CATALOG);
        deployment.services.runPlanning().prepare(RUN);
        app.reset();
        app.setFaults(Faults.none().withResourceStatus("SKU-1", 503, "try later"));
        Context context = lambda(120);

        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream standardOutput = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            handler.handleRequest(event, context);
        } finally {
            System.setOut(standardOutput);
        }

        String output = captured.toString(StandardCharsets.UTF_8);
        List<JsonNode> lines = output.lines().map(deployment.services.json()::readTree).toList();
        assertThat(lines).as("every line one JSON object: log lines and raw EMF lines").allSatisfy(line ->
                assertThat(line.isObject()).isTrue());
        List<JsonNode> logLines = lines.stream().filter(line -> !line.has("_aws")).toList();
        assertThat(logLines).allSatisfy(line -> {
            assertThat(line.path("timestamp").asText()).isNotEmpty();
            assertThat(line.path("level").asText()).isIn("INFO", "WARN", "ERROR");
            assertThat(line.path("aws_request_id").asText()).isEqualTo(context.getAwsRequestId());
        });
        assertThat(logLines).anySatisfy(line -> {
            assertThat(line.path("level").asText()).isEqualTo("WARN");
            assertThat(line.path("event").asText()).isEqualTo("chunk_delivered");
            assertThat(line.path("run_id").asText()).isEqualTo(RUN.toString());
            assertThat(line.path("installation_id").asText()).isEqualTo(installation.toString());
            assertThat(line.path("chunk").asInt()).isZero();
            assertThat(line.path("gave_up").asInt()).as("retries ran out").isEqualTo(1);
            assertThat(line.path("last_failure_http_status").asInt()).isEqualTo(503);
        });
        List<String> tokens = app.receivedRequests().stream().flatMap(request -> request.header("X-APP-TOKEN").stream()).toList();
        assertThat(tokens).as("the App was called with tokens").isNotEmpty();
        assertThat(output).doesNotContain(deployment.storedSecret(installation).reveal(), "try later", "eyJ")
                .doesNotContain(tokens);
    }

    /** The context Lambda hands an invocation that may run for {@code timeoutSeconds}, the function's timeout. */
    private static Context lambda(int timeoutSeconds) {
        return LambdaContext.of("WorkerFunction", timeoutSeconds);
    }
}
