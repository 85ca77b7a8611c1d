package dev.syncline.bench;

import dev.syncline.core.cost.AwsPrices;
import dev.syncline.adapters.metrics.AwsCalls;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * What one measured run costs on AWS, scaled to a million delivered entries: the AWS calls the counter saw priced
 * per service, Lambda duration from the measured invocations at the template's memory sizes, and the few figures
 * the local stack cannot show (KMS, the Lambda platform's own log lines), modelled and labelled so.
 */
final class RunCost {

    /** Lambda writes START, END and REPORT lines per invocation; about this many bytes together. */
    static final int PLATFORM_LOG_BYTES_PER_INVOCATION = 350;

    /** What was measured during one run, from the snapshot upload to the run's last write. */
    record Measured(long entries, AwsCalls calls, InvocationTimer.Spans workers, InvocationTimer.Spans planners, long apiRequests,
            long apiNanos, long logBytes, long presignedUploads) {
    }

    /** One priced item: a quantity per 1 000 delivered entries and dollars per million. */
    record Line(String item, String quantity, double perThousand, double dollarsPerMillion, String basis) {
    }

    private final AwsPrices prices;
    private final TemplateSettings template;
    private final Measured measured;
    private final List<Line> lines = new ArrayList<>();

    RunCost(AwsPrices prices, TemplateSettings template, Measured measured) {
        this.prices = prices;
        this.template = template;
        this.measured = measured;
        price();
    }

    List<Line> lines() {
        return lines;
    }

    double total() {
        return lines.stream().mapToDouble(Line::dollarsPerMillion).sum();
    }

    private void price() {
        double entries = measured.entries();
        AwsCalls calls = measured.calls();
        AwsCalls.Count dynamoDb = calls.total("DynamoDb");
        boolean estimated = dynamoDb.estimatedReadUnits() + dynamoDb.estimatedWriteUnits() > 0;
        String unitsBasis = estimated ? "counted; emulator-reported + estimated units" : "counted; emulator-reported units";
        add("DynamoDB write request units", "WRU", dynamoDb.allWriteUnits(), prices.dynamoDbPerMillionWriteUnits() / 1e6,
                unitsBasis + "; " + largestShare(calls, dynamoDb.allWriteUnits(), AwsCalls.Count::allWriteUnits));
        add("DynamoDB read request units", "RRU", dynamoDb.allReadUnits(), prices.dynamoDbPerMillionReadUnits() / 1e6,
                unitsBasis + "; " + largestShare(calls, dynamoDb.allReadUnits(), AwsCalls.Count::allReadUnits));

        long sqs = 0;
        for (Map.Entry<AwsCalls.Operation, AwsCalls.Count> entry : calls.operations().entrySet()) {
            if (entry.getKey().service().equals("Sqs")) {
                sqs += AwsCalls.billed(entry.getKey(), entry.getValue());
            }
        }
        add("SQS requests", "requests", sqs, prices.sqsPerMillionRequests() / 1e6, "counted; idle receives left out");

        long s3Puts = measured.presignedUploads();
        long s3Gets = 0;
        for (Map.Entry<AwsCalls.Operation, AwsCalls.Count> entry : calls.operations().entrySet()) {
            if (entry.getKey().service().equals("S3")) {
                switch (prices.s3Class(entry.getKey().operation())) {
                    case PUT -> s3Puts += entry.getValue().attempts();
                    case GET -> s3Gets += entry.getValue().attempts();
                    case FREE -> {
                    }
                }
            }
        }
        add("S3 PUT/COPY/POST/LIST requests", "requests", s3Puts, prices.s3PerThousandPuts() / 1000,
                "counted (+" + measured.presignedUploads() + " presigned snapshot upload)");
        add("S3 GET and other requests", "requests", s3Gets, prices.s3PerThousandGets() / 1000, "counted; deletes are free");

        double perGbSecond = prices.lambdaPerGbSecond(template.architecture());
        InvocationTimer.Spans workers = measured.workers();
        InvocationTimer.Spans planners = measured.planners();
        add("Lambda worker duration (%d MB, %s)".formatted(template.workerMemoryMb(), template.architecture()), "GB-s",
                workers.totalSeconds() * template.workerMemoryGb(), perGbSecond,
                "measured: %d invocations, mean %.0f ms per invocation".formatted(workers.count(), workers.meanMillis()));
        add("Lambda planner duration (%d MB)".formatted(template.plannerMemoryMb()), "GB-s",
                planners.totalSeconds() * template.plannerMemoryGb(), perGbSecond,
                "measured: %d invocation(s), %.1f s".formatted(planners.count(), planners.totalSeconds()));
        add("Lambda api duration (%d MB)".formatted(template.apiMemoryMb()), "GB-s",
                measured.apiNanos() / 1e9 * template.apiMemoryGb(), perGbSecond,
                "measured at the client: %d requests".formatted(measured.apiRequests()));
        long invocations = workers.count() + planners.count() + measured.apiRequests();
        add("Lambda requests", "invocations", invocations, prices.lambdaPerMillionRequests() / 1e6, "counted");
        // The local stack seals secrets with a local key; on AWS each chunk's delivery decrypts the installation's secret.
        add("KMS Decrypt", "requests", workers.count() + planners.count(), prices.kmsPerTenThousandRequests() / 1e4,
                "modelled: one per worker and planner invocation");
        double logBytes = measured.logBytes() + (double) invocations * PLATFORM_LOG_BYTES_PER_INVOCATION;
        add("CloudWatch Logs ingestion", "KB", logBytes / 1024, prices.logsPerGbIngested() / (1024.0 * 1024.0),
                "measured %d bytes of function logs + modelled %d B platform lines per invocation"
                        .formatted(measured.logBytes(), PLATFORM_LOG_BYTES_PER_INVOCATION));
        if (entries <= 0) {
            throw new IllegalStateException("no entries were delivered: nothing to price");
        }
    }

    /** Which DynamoDB operation used most of these units, and its share. */
    private static String largestShare(AwsCalls calls, double total, ToDoubleFunction<AwsCalls.Count> units) {
        return calls.operations().entrySet().stream()
                .filter(entry -> entry.getKey().service().equals("DynamoDb"))
                .max(Comparator.comparingDouble(entry -> units.applyAsDouble(entry.getValue())))
                .filter(entry -> total > 0)
                .map(entry -> "%.0f%% %s".formatted(100 * units.applyAsDouble(entry.getValue()) / total, entry.getKey().operation()))
                .orElse("none");
    }

    private void add(String item, String unit, double quantity, double dollarsPerUnit, String basis) {
        double perThousand = quantity * 1000 / measured.entries();
        lines.add(new Line(item, unit, perThousand, quantity * dollarsPerUnit * 1e6 / measured.entries(), basis));
    }

    void print(PrintStream out, double goal) {
        out.printf("%-40s %24s %14s %7s  %s%n", "item", "per 1 000 entries", "$ per million", "share", "basis");
        double total = total();
        for (Line line : lines) {
            out.printf("%-40s %12.3f %-11s %14.4f %6.1f%%  %s%n", line.item(), line.perThousand(), line.quantity(),
                    line.dollarsPerMillion(), 100 * line.dollarsPerMillion() / total, line.basis());
        }
        out.printf("%-40s %24s %14.4f %6.1f%%%n", "total", "", total, 100.0);
        List<Line> largest = lines.stream().sorted(Comparator.comparingDouble(Line::dollarsPerMillion).reversed()).limit(3).toList();
        out.printf("Design goal: under $%.2f per million delivered entries: %s ($%.4f).%n", goal, total < goal ? "met" : "NOT met", total);
        out.printf("Largest items: %s.%n", String.join("; ", largest.stream()
                .map(line -> "%s %.0f%%".formatted(line.item(), 100 * line.dollarsPerMillion() / total)).toList()));
    }
}
