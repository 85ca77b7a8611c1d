package dev.syncline.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.adapters.aws.AwsClientFactory;
import dev.syncline.adapters.config.Config;
import dev.syncline.adapters.dynamodb.DynamoDbActiveRuns;
import dev.syncline.adapters.metrics.MetricsFile;
import dev.syncline.adapters.sqs.SqsControlQueue;
import dev.syncline.adapters.wiring.Services;
import dev.syncline.core.file.FileStatus;
import dev.syncline.core.sync.Run;
import dev.syncline.core.sync.RunStatus;
import dev.syncline.core.sync.SyncMode;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The scheduled event under {@code events/reconciler} (also what {@code sam local invoke ReconcilerFunction} takes),
 * handed to the real handler wired against the emulators with the environment template.yaml gives it.
 */
@AwsIntegrationTest
class ReconcileRunsHandlerTest {

    /** Encrypts shared secrets in these tests (base64 of 32 bytes); on AWS it is the KMS key. */
    private static final String SECRETS_KEY = "K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols=";

    private AwsStack stack;
    private Path metrics;
    private Config config;
    private Services services;
    private ReconcileRunsHandler handler;

    @BeforeEach
    void start(AwsStack stack, @TempDir Path directory) {
        this.stack = stack;
        this.metrics = directory.resolve("metrics.ndjson");
        Map<String, String> environment = new HashMap<>(stack.environment());
        environment.put(Config.METRICS_FILE, metrics.toString());
        environment.put(Config.SECRETS_LOCAL_KEY, SECRETS_KEY);
        // As template.yaml sets it: the work queue's visibility timeout.
        environment.put(Config.STALLED_AFTER_SECONDS, "720");
        config = Config.from(environment);
        services = Services.create(config, Clock.systemUTC());
        handler = new ReconcileRunsHandler(services);
    }

    @AfterEach
    void stop() {
        services.close();
    }

    @ParameterizedTest
    @Event(value = "../../events/reconciler/scheduled.json", type = ScheduledEvent.class)
    void scheduledEvent_withNoActiveRuns_actsOnNone(ScheduledEvent event) {
        assertThat(handler.handleRequest(event, null)).isEqualTo("reconciled 0 runs");

        assertThat(stack.approximateMessages(stack.names().controlQueueUrl())).isZero();
        assertThat(stack.approximateMessages(stack.names().workQueueUrl())).isZero();
    }

    @ParameterizedTest
    @Event(value = "../../events/reconciler/scheduled.json", type = ScheduledEvent.class)
    void scheduledEvent_whenARunWasNeverPlanned_sendsItsPrepareMessageAgain(ScheduledEvent event) {
        UUID run = UUID.randomUUID();
        triggeredAt(run, Instant.now().minus(Duration.ofMinutes(91)));

        assertThat(handler.handleRequest(event, null)).isEqualTo("reconciled 1 runs");

        assertThat(stack.sqs().receiveMessage(b -> b.queueUrl(stack.names().controlQueueUrl()).maxNumberOfMessages(10))
                .messages()).map(Message::body).map(SqsControlQueue::parse).containsExactly(run);
        List<JsonNode> lines = new MetricsFile(metrics).lastLines().stream().map(services.json()::readTree).toList();
        assertThat(lines).as("the metric lines of the pass").anySatisfy(line -> {
            assertThat(line.path("ReconcilerResends").asInt()).isEqualTo(1);
            assertThat(line.path("RunId").asText()).isEqualTo(run.toString());
        });
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.path("ActiveRuns").asInt()).isEqualTo(1);
            assertThat(line.path("OldestActiveRunAge").asInt()).isBetween(91 * 60, 92 * 60);
        });
    }

    @ParameterizedTest
    @Event(value = "../../events/reconciler/scheduled.json", type = ScheduledEvent.class)
    void scheduledEvent_whenARunIsStillWithinTheVisibilityTimeout_leavesItAlone(ScheduledEvent event) {
        triggeredAt(UUID.randomUUID(), Instant.now().minus(Duration.ofMinutes(89)));

        assertThat(handler.handleRequest(event, null)).isEqualTo("reconciled 0 runs");

        assertThat(stack.approximateMessages(stack.names().controlQueueUrl())).isZero();
    }

    @ParameterizedTest
    @Event(value = "../../events/reconciler/scheduled-run.json", type = ScheduledEvent.class)
    void scheduledRunEvent_forAnInstallationWithoutSchedule_startsNothing_andReconcilesNothing(ScheduledEvent event) {
        triggeredAt(UUID.randomUUID(), Instant.now().minus(Duration.ofMinutes(91)));

        assertThat(handler.handleRequest(event, null)).isEqualTo("no schedule");

        // The stalled run is left for the next reconciling pass: a schedule's event only starts its own run.
        assertThat(stack.approximateMessages(stack.names().controlQueueUrl())).isZero();
    }

    @ParameterizedTest
    @Event(value = "../../events/reconciler/scheduled.json", type = ScheduledEvent.class)
    void scheduledEvent_whenOneRunCannotBeReconciled_logsItWithItsRunId_andStillResendsTheOthers(ScheduledEvent event) {
        UUID broken = UUID.randomUUID();
        triggeredAt(broken, Instant.now().minus(Duration.ofMinutes(95)));
        // In execution without a dispatch state: what the reconciler reads of it makes no sense.
        services.runs().transition(broken, RunStatus.PREPARING, RunStatus.EXECUTION, null, Instant.now().minus(Duration.ofMinutes(94)));
        UUID stalled = UUID.randomUUID();
        triggeredAt(stalled, Instant.now().minus(Duration.ofMinutes(91)));

        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream standardOutput = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        String answer;
        try {
            answer = handler.handleRequest(event, null);
        } finally {
            System.setOut(standardOutput);
        }

        assertThat(answer).isEqualTo("reconciled 1 runs");
        assertThat(stack.sqs().receiveMessage(b -> b.queueUrl(stack.names().controlQueueUrl()).maxNumberOfMessages(10))
                .messages()).map(Message::body).map(SqsControlQueue::parse).containsExactly(stalled);
        assertThat(captured.toString(StandardCharsets.UTF_8).lines().filter(line -> line.contains("\"event\":\"reconcile_failed\"")))
                .singleElement().satisfies(line -> assertThat(line).contains("\"run_id\":\"" + broken + "\"").contains("NoSuchElementException"));
    }

    @ParameterizedTest
    @Event(value = "../../events/reconciler/scheduled.json", type = ScheduledEvent.class)
    void scheduledEvent_whenAFileFetchMessageWasLost_sendsItAgain_andGivesUpAfterThreeSends(ScheduledEvent event) {
        UUID run = UUID.randomUUID();
        UUID installation = UUID.randomUUID();
        services.runFiles().pending(run, installation, Instant.now().minus(Duration.ofMinutes(13)));

        handler.handleRequest(event, null);
        assertThat(services.runFiles().fetch(run)).hasValueSatisfying(fetch -> {
            assertThat(fetch.status()).isEqualTo(FileStatus.PENDING);
            assertThat(fetch.sends()).isEqualTo(2);
        });
        assertThat(stack.sqs().receiveMessage(b -> b.queueUrl(stack.names().controlQueueUrl()).maxNumberOfMessages(10))
                .messages()).map(Message::body).map(SqsControlQueue::read)
                .containsExactly(new SqsControlQueue.Message(run, SqsControlQueue.Step.FETCH_FILE));

        handler.handleRequest(event, null);
        assertThat(services.runFiles().fetch(run).orElseThrow().sends()).as("re-sent just now: not lost yet").isEqualTo(2);

        // A third message, lost too.
        services.runFiles().resent(run, Instant.now().minus(Duration.ofMinutes(13)));
        handler.handleRequest(event, null);
        assertThat(services.runFiles().fetch(run)).hasValueSatisfying(fetch -> {
            assertThat(fetch.status()).as("a fetch never stays pending").isEqualTo(FileStatus.FAILED);
            assertThat(fetch.reason()).isEqualTo("The fetch of the App's file was asked for 3 times and never ran to its end;"
                    + " the App was not asked again.");
        });
        assertThat(services.runFiles().pending(10)).isEmpty();
    }

    /** What a trigger at {@code at} leaves when its prepare message is lost: the run preparing, the installation's active run. */
    private void triggeredAt(UUID run, Instant at) {
        UUID installation = UUID.randomUUID();
        try (AwsClientFactory clients = AwsClientFactory.create(config)) {
            new DynamoDbActiveRuns(clients.dynamoDb(), stack.names().table(), Clock.fixed(at, java.time.ZoneOffset.UTC))
                    .acquire(installation, run);
        }
        services.runs().create(Run.start(run, installation, SyncMode.INCREMENTAL, "catalog-1", at));
    }
}
