package dev.syncline.worker;

import static dev.syncline.adapters.wiring.TestDeployment.RUN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.adapters.config.Config;
import dev.syncline.adapters.dynamodb.DynamoDbChunkResults;
import dev.syncline.adapters.wiring.TestDeployment;
import dev.syncline.core.delivery.EntryStatus;
import dev.syncline.core.sync.Phase;
import dev.syncline.core.sync.PhaseCounts;
import dev.syncline.core.sync.RunStatus;
import dev.syncline.sampleapp.Faults;
import dev.syncline.sampleapp.ReceivedRequest;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.sampleapp.SampleConfiguration;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import dev.syncline.testing.lambda.LambdaContext;
import dev.syncline.testing.lambda.SqsEventSource;
import java.io.IOException;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A chunk that cannot be delivered within one worker invocation, under the emulated event source's time limit:
 * its passes hand on what had no time left, no entry gets more than {@code retry_budget + 1} attempts, and the run
 * ends with exact counts however slow the App.
 */
@AwsIntegrationTest
class ChunkDeadlineTest {

    private static final int PRODUCTS = 16;
    private static final int RETRY_BUDGET = 2;
    /** The App's request timeout in these tests. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(1500);
    /**
     * The worker's limit: less its 5 s margin and the 10 s kept to record results, it leaves a pass a few seconds to
     * start requests, well short of what the chunk needs of a slow App.
     */
    private static final Duration WORKER_LIMIT = Duration.ofSeconds(20);
    /** Longer than the worker's limit, as on AWS, so a message never comes back while its invocation runs. */
    private static final Duration VISIBILITY = Duration.ofSeconds(25);
    private static final Duration RUN_ENDS_WITHIN = Duration.ofSeconds(120);

    private AwsStack stack;
    private SampleApp app;
    private TestDeployment deployment;
    private SqsEventSource worker;

    @BeforeEach
    void start(AwsStack stack) throws IOException {
        this.stack = stack;
        app = SampleApp.start(0);
        deployment = TestDeployment.start(stack, Map.of(
                Config.APP_CONNECT_TIMEOUT_MS, "1000",
                Config.APP_REQUEST_TIMEOUT_MS, Long.toString(REQUEST_TIMEOUT.toMillis())));
    }

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.close();
        }
        deployment.close();
        app.close();
    }

    @Test
    void appAnsweringJustUnderItsTimeout_getsRunsThatEnd_withEveryEntryAttemptedAtMostRetryBudgetPlusOneTimes() throws InterruptedException {
        planned(Faults.none().withLatency(REQUEST_TIMEOUT.minusMillis(300)).withFailureRate(1.0));

        startWorker();
        RunStatus status = awaitEnd();

        assertThat(status).isEqualTo(RunStatus.FINISHED_WITH_ERRORS);
        Map<String, Long> attempts = attemptsBySku();
        assertThat(attempts).as("every entry reached the App").hasSize(PRODUCTS);
        assertThat(attempts.values()).as("each entry got exactly retry_budget + 1 attempts, over several passes")
                .containsOnly((long) RETRY_BUDGET + 1);
        assertThat(deployment.services.dispatch().counts(RUN).get(Phase.PRODUCTS)).isEqualTo(new PhaseCounts(PRODUCTS, 0, PRODUCTS, 0));
        assertThat(worker.invocations()).as("the chunk took more than one pass").isGreaterThan(1);
        assertThat(worker.timedOut()).as("no invocation ran into the limit").isZero();
        assertThat(failedEntries()).allSatisfy(entry -> {
            assertThat(entry.result().attempts()).isEqualTo(RETRY_BUDGET + 1);
            assertThat(entry.result().lastHttpStatus()).isEqualTo(503);
            assertThat(entry.result().error()).startsWith("gave up after 3 attempts; last: HTTP 503");
        });
    }

    @Test
    void appThatAcceptsAndNeverAnswers_getsRunsThatEnd_withItsEntriesFailedOnTimeout() throws InterruptedException {
        planned(Faults.none().withTimeouts(1.0, Duration.ofSeconds(60)));

        startWorker();
        RunStatus status = awaitEnd();

        assertThat(status).isEqualTo(RunStatus.FINISHED_WITH_ERRORS);
        assertThat(attemptsBySku().values()).hasSize(PRODUCTS).allSatisfy(count -> assertThat(count).isBetween(1L, RETRY_BUDGET + 1L));
        assertThat(deployment.services.dispatch().counts(RUN).get(Phase.PRODUCTS)).isEqualTo(new PhaseCounts(PRODUCTS, 0, PRODUCTS, 0));
        assertThat(worker.timedOut()).isZero();
        assertThat(deployment.services.dispatch().state(RUN).orElseThrow().window())
                .as("the window of 4 halved: the App did not answer in time").isEqualTo(2);
        assertThat(failedEntries()).hasSize(PRODUCTS).allSatisfy(entry -> {
            assertThat(entry.result().status()).isEqualTo(EntryStatus.FAILED);
            assertThat(entry.result().lastHttpStatus()).as("the App never answered").isZero();
            assertThat(entry.result().error()).isEqualTo("gave up after 3 attempts; last: timeout: no answer within 1500 ms");
        });
    }

    @Test
    void everyMessageOfEveryPassDeliveredTwice_neitherCallsTheAppTwiceNorCountsTwice() throws Exception {
        planned(Faults.none().withLatency(REQUEST_TIMEOUT.minusMillis(300)).withFailureRate(1.0));
        DeliverChunkHandler handler = new DeliverChunkHandler(deployment.services);
        List<String> released = deployment.waiting(stack.names().workQueueUrl());
        assertThat(released).hasSize(1);

        handler.handleRequest(event(released.getFirst()), LambdaContext.of("worker", WORKER_LIMIT));
        int afterFirstPass = app.receivedRequestsForEvent("product_created").size();
        handler.handleRequest(event(released.getFirst()), LambdaContext.of("worker", WORKER_LIMIT));

        assertThat(afterFirstPass).as("the first pass ran out of time").isBetween(1, PRODUCTS * (RETRY_BUDGET + 1) - 1);
        assertThat(app.receivedRequestsForEvent("product_created")).as("a repeated pass is not delivered again").hasSize(afterFirstPass);
        // From here on every message is handled twice at once, as duplicate deliveries may be.
        for (int round = 0; round < 30 && !deployment.services.runs().find(RUN).orElseThrow().status().isTerminal(); round++) {
            List<Thread> invocations = new ArrayList<>();
            for (String body : deployment.waiting(stack.names().workQueueUrl())) {
                for (int copy = 0; copy < 2; copy++) {
                    invocations.add(Thread.ofVirtual().start(() -> handler.handleRequest(event(body), LambdaContext.of("worker", WORKER_LIMIT))));
                }
            }
            for (Thread invocation : invocations) {
                invocation.join();
            }
        }

        assertThat(deployment.services.runs().find(RUN).orElseThrow().status()).isEqualTo(RunStatus.FINISHED_WITH_ERRORS);
        assertThat(attemptsBySku()).hasSize(PRODUCTS);
        assertThat(attemptsBySku().values()).containsOnly((long) RETRY_BUDGET + 1);
        assertThat(deployment.services.dispatch().counts(RUN).get(Phase.PRODUCTS)).isEqualTo(new PhaseCounts(PRODUCTS, 0, PRODUCTS, 0));
        assertThat(failedEntries()).hasSize(PRODUCTS);
    }

    private static SQSEvent event(String body) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId(UUID.randomUUID().toString());
        message.setBody(body);
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message));
        return event;
    }

    /** The fixture's run planned, its chunk released, the App then failing as {@code faults} says. */
    private void planned(Faults faults) {
        String catalog = IntStream.range(0, PRODUCTS)
                .mapToObj(i -> "{\"type\":\"product\",\"sku\":\"SKU-" + i + "\",\"product_type\":\"SIMPLE\"}\n")
                .collect(Collectors.joining());
        UUID installation = deployment.install(app.baseUri(), SampleConfiguration.SCHEMA, SampleConfiguration.EXAMPLE, RETRY_BUDGET);
        deployment.trigger(installation, catalog);
        deployment.services.runPlanning().prepare(RUN);
        app.reset();
        app.setFaults(faults);
    }

    private void startWorker() {
        DeliverChunkHandler handler = new DeliverChunkHandler(deployment.services);
        worker = new SqsEventSource(stack.sqs(), stack.names().workQueueUrl(), 1, 4, VISIBILITY, "worker", WORKER_LIMIT, handler::handleRequest);
    }

    private RunStatus awaitEnd() throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + RUN_ENDS_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            RunStatus status = deployment.services.runs().find(RUN).orElseThrow().status();
            if (status.isTerminal()) {
                System.out.printf("run ended %s after %.1f s: %d worker invocations (passes), %d App requests for %d entries, %d invocations timed out%n",
                        status.wireName(), (System.nanoTime() - started) / 1e9, worker.invocations(),
                        app.receivedRequestsForEvent("product_created").size(), PRODUCTS, worker.timedOut());
                return status;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the run did not end within " + RUN_ENDS_WITHIN.toSeconds() + " s");
    }

    private Map<String, Long> attemptsBySku() {
        return app.receivedRequestsForEvent("product_created").stream()
                .map(ReceivedRequest::resourceId)
                .map(id -> id.orElseThrow())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private List<DynamoDbChunkResults.RecordedEntry> failedEntries() {
        return deployment.services.results().failed(RUN, 100, null).entries();
    }
}
