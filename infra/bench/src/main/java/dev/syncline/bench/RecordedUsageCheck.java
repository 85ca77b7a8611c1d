package dev.syncline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.adapters.metrics.AwsCalls;
import dev.syncline.core.cost.AwsPrices;
import java.io.PrintStream;
import java.util.Map;

/**
 * Holds the run's own record of what it used (the run view's {@code cost}, written by its functions) against the
 * benchmark's count of the same run (the process-wide {@code AwsCallCounter}, the event source's measured
 * invocations), figure by figure, with the difference; and its dollars against the benchmark's for the same items.
 */
final class RecordedUsageCheck {

    /** The most a recorded figure may differ from the benchmark's count. */
    static final double TOLERANCE = 0.05;

    private RecordedUsageCheck() {
    }

    private static long calls(AwsCalls calls) {
        return calls.operations().values().stream().mapToLong(AwsCalls.Count::calls).sum();
    }

    /** One figure, recorded and counted. */
    record Row(String figure, double recorded, double counted) {

        double difference() {
            return counted == 0 ? (recorded == 0 ? 0 : 1) : (recorded - counted) / counted;
        }
    }

    /**
     * @param runsOwn the benchmark's count without the calls that no run records, each counted apart: the upload URL's
     *     request (made before the run exists), the reconciler's periodic sweeps and the local scheduler's ticks (the stack's own)
     */
    static void print(PrintStream out, JsonNode cost, RunCost.Measured measured, AwsCalls runsOwn, TemplateSettings template,
            AwsPrices prices) {
        JsonNode services = cost.path("services");
        AwsCalls calls = runsOwn;
        out.printf("(counted: all AWS calls from the upload to the run's last write, less %d counted apart that no run records:%n"
                + " the upload URL's request, the reconciler's sweeps and the local scheduler's ticks)%n", calls(measured.calls()) - calls(runsOwn));
        AwsCalls.Count dynamoDb = calls.total("DynamoDb");
        long sqs = 0;
        long s3Puts = 0;
        long s3Gets = 0;
        for (Map.Entry<AwsCalls.Operation, AwsCalls.Count> entry : calls.operations().entrySet()) {
            String service = entry.getKey().service();
            long billed = AwsCalls.billed(entry.getKey(), entry.getValue());
            if (service.equals("Sqs")) {
                sqs += billed;
            } else if (service.equals("S3")) {
                switch (prices.s3Class(entry.getKey().operation())) {
                    case PUT -> s3Puts += billed;
                    case GET -> s3Gets += billed;
                    case FREE -> {
                    }
                }
            }
        }
        // The emulated event source polls and deletes with a client of its own, which the counter does not see; on AWS
        // the event source mapping receives and deletes each message (batch size 1), as the run records.
        long eventSource = 2 * (measured.workers().count() + measured.planners().count());
        sqs += eventSource;
        long recordedS3Puts = 0;
        long recordedS3Gets = 0;
        for (Map.Entry<String, JsonNode> operation : services.path("s3").path("operations").properties()) {
            switch (prices.s3Class(operation.getKey())) {
                case PUT -> recordedS3Puts += operation.getValue().path("requests").asLong();
                case GET -> recordedS3Gets += operation.getValue().path("requests").asLong();
                case FREE -> {
                }
            }
        }
        JsonNode functions = services.path("lambda").path("operations");
        Row[] rows = {
            new Row("DynamoDB read units", services.path("dynamodb").path("read_units").asDouble(), dynamoDb.allReadUnits()),
            new Row("DynamoDB write units", services.path("dynamodb").path("write_units").asDouble(), dynamoDb.allWriteUnits()),
            new Row("DynamoDB requests", services.path("dynamodb").path("requests").asDouble(), dynamoDb.calls()),
            new Row("SQS requests (+ event source)", services.path("sqs").path("requests").asDouble(), sqs),
            new Row("S3 PUT-class requests", recordedS3Puts, s3Puts),
            new Row("S3 GET-class requests", recordedS3Gets, s3Gets),
            new Row("worker invocations", functions.path("worker").path("requests").asDouble(), measured.workers().count()),
            new Row("worker GB-s", functions.path("worker").path("gb_seconds").asDouble(),
                    measured.workers().totalSeconds() * template.workerMemoryGb()),
            new Row("planner invocations", functions.path("planner").path("requests").asDouble(), measured.planners().count()),
            new Row("planner GB-s", functions.path("planner").path("gb_seconds").asDouble(),
                    measured.planners().totalSeconds() * template.plannerMemoryGb()),
        };
        out.printf("%-28s %14s %14s %10s%n", "figure", "run recorded", "bench counted", "difference");
        int outside = 0;
        for (Row row : rows) {
            boolean within = Math.abs(row.difference()) <= TOLERANCE;
            outside += within ? 0 : 1;
            out.printf("%-28s %14.1f %14.1f %+9.1f%%%s%n", row.figure(), row.recorded(), row.counted(), 100 * row.difference(),
                    within ? "" : "  (over " + (int) (100 * TOLERANCE) + "%)");
        }
        out.printf("%d of %d figures within %d%% of the benchmark's count.%n", rows.length - outside, rows.length, (int) (100 * TOLERANCE));
        // Where the DynamoDB requests differ, by operation: what to look at when the requests row moves.
        StringBuilder differing = new StringBuilder();
        for (Map.Entry<AwsCalls.Operation, AwsCalls.Count> entry : calls.operations().entrySet()) {
            if (entry.getKey().service().equals("DynamoDb")) {
                long recorded = services.path("dynamodb").path("operations").path(entry.getKey().operation()).path("requests").asLong();
                if (recorded != entry.getValue().calls()) {
                    differing.append(' ').append(entry.getKey().operation()).append(' ').append(recorded).append('/').append(entry.getValue().calls());
                }
            }
        }
        if (!differing.isEmpty()) {
            out.printf("DynamoDB requests that differ (recorded/counted):%s%n", differing);
        }

        // The same items the run records, priced by the benchmark from its own count: AWS requests and units, Lambda.
        double perMillion = 1e6 / measured.entries();
        double lambdaPerGbSecond = prices.lambdaPerGbSecond(AwsPrices.DEPLOYED_ARCHITECTURE);
        double counted = dynamoDb.allReadUnits() * prices.dynamoDbPerMillionReadUnits() / 1e6
                + dynamoDb.allWriteUnits() * prices.dynamoDbPerMillionWriteUnits() / 1e6
                + sqs * prices.sqsPerMillionRequests() / 1e6
                + s3Puts * prices.s3PerThousandPuts() / 1e3 + s3Gets * prices.s3PerThousandGets() / 1e3
                + (measured.workers().totalSeconds() * template.workerMemoryGb()
                        + measured.planners().totalSeconds() * template.plannerMemoryGb()) * lambdaPerGbSecond
                + (measured.workers().count() + measured.planners().count() + 1) * prices.lambdaPerMillionRequests() / 1e6;
        double recorded = cost.path("estimated_usd").asDouble();
        out.printf("Run cost: recorded by the run $%.4f per million entries, the benchmark's count of the same items $%.4f (%+.1f%%);%n",
                recorded * perMillion, counted * perMillion, 100 * (recorded - counted) / counted);
        long recordings = 0;
        for (JsonNode function : functions) {
            recordings += function.path("requests").asLong();
        }
        double overhead = recordings * prices.dynamoDbPerMillionWriteUnits() / 1e6;
        out.printf("recording it took %d UpdateItem (one write unit each): $%.4f per million entries, %.2f%% of the recorded cost.%n",
                recordings, overhead * perMillion, 100 * overhead / recorded);
    }
}
