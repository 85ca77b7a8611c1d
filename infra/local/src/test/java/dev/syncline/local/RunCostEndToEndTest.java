package dev.syncline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.adapters.config.Config;
import dev.syncline.adapters.metrics.AwsCallCounter;
import dev.syncline.adapters.metrics.AwsCalls;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cost of a run as the API shows it, recorded by the real functions over the emulators: the figures agree
 * with the process's own count of AWS calls, and the dollars are the figures at the configured prices.
 */
@AwsIntegrationTest
class RunCostEndToEndTest {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);
    /** Prices no region has, so that a default price slipping in shows. */
    private static final double WRITE_UNIT = 3.0 / 1e6;
    private static final double READ_UNIT = 7.0 / 1e6;
    private static final double SQS_REQUEST = 11.0 / 1e6;
    private static final double S3_PUT = 0.013 / 1e3;
    private static final double S3_GET = 0.0017 / 1e3;
    private static final double GB_SECOND = 0.0001;
    private static final double INVOCATION = 5.0 / 1e6;
    private static final String PRICES = """
            {"as_of": "2030-01-02", "dynamodb_per_million_write_units": 3.0, "dynamodb_per_million_read_units": 7.0,
             "sqs_per_million_requests": 11.0, "s3_per_thousand_puts": 0.013, "s3_per_thousand_gets": 0.0017,
             "lambda_arm_per_gb_second": 0.0001, "lambda_per_million_requests": 5.0}""";
    private static final Set<String> S3_PUT_CLASS = Set.of("PutObject", "CopyObject", "ListObjectsV2", "CreateMultipartUpload",
            "UploadPart", "CompleteMultipartUpload");
    private static final Set<String> S3_FREE = Set.of("DeleteObject", "DeleteObjects", "AbortMultipartUpload");

    private SampleApp app;
    private LocalSyncline syncline;
    private ApiClient api;

    @BeforeEach
    void start(AwsStack stack) throws Exception {
        app = SampleApp.start(0);
        syncline = LocalSyncline.start(LocalSyncline.Options.forTests(stack), Clock.systemUTC(), Map.of(Config.PRICES, PRICES));
        api = new ApiClient(syncline.apiUri(), syncline.apiKey());
    }

    @AfterEach
    void stop() {
        syncline.close();
        app.close();
    }

    @Test
    void aRun_recordsWhatItUsed_pricedAtTheConfiguredPrices_andShownInTheHistory() {
        String installation = api.installSampleApp(app.baseUri(), List.of("synchronization", "synchronization_full"),
                List.of("product_created", "product_updated", "product_deleted"), 10);
        String snapshot = upload(installation, TestCatalog.standard().ndjson());

        AwsCalls before = AwsCallCounter.shared().snapshot();
        JsonNode run = settledCost(trigger(installation, snapshot));
        AwsCalls counted = AwsCallCounter.shared().snapshot().minus(before);

        assertThat(run.path("status").asText()).isEqualTo("finished");
        JsonNode cost = run.path("cost");
        assertThat(cost.path("prices_as_of").asText()).isEqualTo("2030-01-02");
        JsonNode services = cost.path("services");
        assertThat(services.path("dynamodb").path("write_units").asDouble()).isPositive();
        assertThat(services.path("dynamodb").path("read_units").asDouble()).isPositive();
        assertThat(services.path("s3").path("operations").path("PutObject").path("requests").asLong()).isPositive();
        assertThat(services.path("sqs").path("requests").asLong()).isPositive();
        assertThat(services.path("lambda").path("operations").path("planner").path("gb_seconds").asDouble()).isPositive();
        assertThat(services.path("lambda").path("operations").path("worker").path("gb_seconds").asDouble()).isPositive();
        assertThat(services.path("lambda").path("operations").path("api").path("requests").asLong()).as("the trigger").isEqualTo(1);
        assertThat(cost.path("s3_bytes_stored").path("plans").asLong()).isPositive();

        // What the process counted from the trigger on: every write was the run's (the API's polls only read),
        // and only the run's work puts S3 objects and writes DynamoDB batches.
        double countedWrites = counted.total("DynamoDb").allWriteUnits();
        assertThat(services.path("dynamodb").path("write_units").asDouble()).isCloseTo(countedWrites, within(countedWrites * 0.05));
        assertThat(services.path("s3").path("operations").path("PutObject").path("requests").asLong())
                .isEqualTo(counted.of("S3", "PutObject").attempts());
        assertThat(services.path("dynamodb").path("operations").path("BatchWriteItem").path("requests").asLong())
                .isEqualTo(counted.of("DynamoDb", "BatchWriteItem").calls());
        assertThat(services.path("sqs").path("operations").path("SendMessageBatch").path("requests").asLong())
                .isEqualTo(counted.of("Sqs", "SendMessageBatch").attempts());

        assertPricedAtTheConfiguredPrices(cost);

        JsonNode history = api.get("/v1/installations/" + installation + "/synchronizations").body();
        assertThat(history.path("synchronizations").get(0).path("cost").path("estimated_usd").decimalValue())
                .isEqualByComparingTo(cost.path("estimated_usd").decimalValue());

        // The month adds its runs up: here the one run, at the same prices.
        JsonNode costs = api.get("/v1/installations/" + installation + "/costs?months=3").body();
        assertThat(costs.path("prices_as_of").asText()).isEqualTo("2030-01-02");
        assertThat(costs.path("complete").asBoolean()).isTrue();
        assertThat(costs.path("months")).hasSize(3);
        JsonNode thisMonth = costs.path("months").get(0);
        assertThat(thisMonth.path("month").asText()).isEqualTo(java.time.YearMonth.now(java.time.ZoneOffset.UTC).toString());
        assertThat(thisMonth.path("runs").asInt()).isEqualTo(1);
        assertThat(thisMonth.path("cost").path("estimated_usd").decimalValue()).isEqualByComparingTo(cost.path("estimated_usd").decimalValue());
        assertThat(costs.path("months").get(1).path("runs").asInt()).isZero();
        assertThat(costs.path("months").get(1).path("cost").path("estimated_usd").doubleValue()).isZero();

        ApiClient.Answer tooMany = api.get("/v1/installations/" + installation + "/costs?months=25");
        assertThat(tooMany.status()).isEqualTo(422);
        assertThat(tooMany.body().toString()).contains("months must be a whole number from 1 to 24; got '25'");
    }

    @Test
    void aRunWithNothingToSend_costsLittle_butNotNothing() {
        String installation = api.installSampleApp(app.baseUri(), List.of("synchronization", "synchronization_full"),
                List.of("product_created", "product_updated", "product_deleted"), 10);
        String catalog = TestCatalog.standard().ndjson();
        JsonNode first = settledCost(trigger(installation, upload(installation, catalog)));
        JsonNode unchanged = settledCost(trigger(installation, upload(installation, catalog)));

        assertThat(unchanged.path("totals").path("planned").asLong()).isZero();
        JsonNode cost = unchanged.path("cost");
        // Planning still reads the snapshot and the delivered state and settles the state; nothing is delivered.
        assertThat(cost.path("estimated_usd").doubleValue()).as(cost.toString()).isPositive().isLessThan(0.01);
        assertThat(cost.path("services").path("lambda").path("operations").has("planner")).isTrue();
        assertThat(cost.path("services").path("lambda").path("operations").has("worker")).as("no chunk to deliver").isFalse();
        assertThat(cost.path("services").path("dynamodb").path("write_units").asDouble())
                .isLessThan(first.path("cost").path("services").path("dynamodb").path("write_units").asDouble());
        assertPricedAtTheConfiguredPrices(unchanged.path("cost"));

        // The first run's delivery records stay where its workers put them: the planner only names them in the
        // manifest, and rewrites no shard of the delivered state.
        long recorded = first.path("cost").path("s3_bytes_stored").path("state").asLong();
        assertThat(cost.path("s3_bytes_stored").path("state").asLong()).as("the manifest alone").isPositive().isLessThan(recorded / 2);
        JsonNode again = settledCost(trigger(installation, upload(installation, catalog)));
        assertThat(again.path("totals").path("planned").asLong()).isZero();
        assertThat(again.path("cost").path("s3_bytes_stored").path("state").asLong()).as("nothing new to take in: nothing written")
                .isZero();

        // Planned from the state the records hold: one product changed, one entry.
        TestCatalog changed = TestCatalog.standard();
        changed.values("SKU-007").put("price", Map.of("", 99.99));
        JsonNode oneChange = settledCost(trigger(installation, upload(installation, changed.ndjson())));
        assertThat(oneChange.path("status").asText()).isEqualTo("finished");
        assertThat(oneChange.path("totals").path("planned").asLong()).isEqualTo(1);
    }

    /**
     * Each service's dollars are its figures times the test's prices, and the total is their sum. The view rounds
     * dollars to 8 decimals and each function's GB-seconds to 3 (units are whole or halves): the dollars of the figures
     * shown may differ from the dollars of the figures measured by half a unit of each, and no more.
     */
    private static void assertPricedAtTheConfiguredPrices(JsonNode cost) {
        double total = 0;
        for (Map.Entry<String, JsonNode> service : cost.path("services").properties()) {
            JsonNode figures = service.getValue();
            double expected = 0;
            double rounding = 0.5e-8;
            for (Map.Entry<String, JsonNode> operation : figures.path("operations").properties()) {
                if (service.getKey().equals("lambda")) {
                    rounding += 0.5e-3 * GB_SECOND;
                }
                long requests = operation.getValue().path("requests").asLong();
                expected += switch (service.getKey()) {
                    case "sqs" -> requests * SQS_REQUEST;
                    case "s3" -> S3_FREE.contains(operation.getKey()) ? 0 : requests * (S3_PUT_CLASS.contains(operation.getKey()) ? S3_PUT : S3_GET);
                    case "dynamodb" -> operation.getValue().path("read_units").asDouble() * READ_UNIT
                            + operation.getValue().path("write_units").asDouble() * WRITE_UNIT;
                    case "lambda" -> requests * INVOCATION + operation.getValue().path("gb_seconds").asDouble() * GB_SECOND;
                    default -> 0;
                };
            }
            assertThat(figures.path("estimated_usd").doubleValue()).as(service.getKey()).isCloseTo(expected, within(rounding));
            total += figures.path("estimated_usd").doubleValue();
        }
        assertThat(total).isPositive();
        assertThat(cost.path("estimated_usd").doubleValue()).isCloseTo(total, within(1e-7));
    }

    private String upload(String installation, String ndjson) {
        ApiClient.Answer snapshot = api.postNdjson("/v1/installations/" + installation + "/snapshots", ndjson);
        assertThat(snapshot.status()).as(String.valueOf(snapshot.body())).isEqualTo(201);
        return snapshot.json("snapshot_id").asText();
    }

    private String trigger(String installation, String snapshotId) {
        ApiClient.Answer triggered = api.post("/v1/installations/" + installation + "/synchronizations",
                Map.of("mode", "incremental", "snapshot_id", snapshotId));
        assertThat(triggered.status()).as(String.valueOf(triggered.body())).isEqualTo(202);
        return triggered.json("synchronization").path("id").asText();
    }

    /**
     * The run once it ended and its cost stopped changing: the last invocation records its usage just after it
     * ended the run.
     */
    private JsonNode settledCost(String runId) {
        JsonNode run = api.awaitRun(runId, RUN_TIMEOUT);
        Instant deadline = Instant.now().plusSeconds(30);
        JsonNode previous = null;
        while (Instant.now().isBefore(deadline)) {
            sleep(Duration.ofMillis(700));
            run = api.get("/v1/synchronizations/" + runId).body();
            // Files and notices may still change the view; only the cost is waited for.
            if (previous != null && previous.equals(run.path("cost"))) {
                return run;
            }
            previous = run.path("cost");
        }
        throw new AssertionError("the cost of run " + runId + " kept changing for 30 s: " + run.path("cost"));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
