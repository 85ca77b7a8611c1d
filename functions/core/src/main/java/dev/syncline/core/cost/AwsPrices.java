package dev.syncline.core.cost;

import dev.syncline.core.SynclineException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The AWS list prices cost estimates use: by default us-east-1, on-demand, without free tiers or volume discounts,
 * as of {@link #US_EAST_1}'s date. The run view and the benchmarks price with these figures; a deployment in another
 * region, or with other prices, sets them all or some ({@link #with}). Check them against the pricing pages
 * (aws.amazon.com/dynamodb/pricing/on-demand/, /sqs/pricing/, /s3/pricing/, /lambda/pricing/, /kms/pricing/,
 * /cloudwatch/pricing/) before relying on the figures.
 *
 * @param asOf the day the prices were read from the pricing pages
 */
public record AwsPrices(
        LocalDate asOf,
        double dynamoDbPerMillionWriteUnits,
        double dynamoDbPerMillionReadUnits,
        double sqsPerMillionRequests,
        double s3PerThousandPuts,
        double s3PerThousandGets,
        double lambdaArmPerGbSecond,
        double lambdaX86PerGbSecond,
        double lambdaPerMillionRequests,
        double kmsPerTenThousandRequests,
        double logsPerGbIngested) {

    public static final AwsPrices US_EAST_1 = new AwsPrices(LocalDate.parse("2026-11-26"),
            0.625, 0.125, 0.40, 0.005, 0.0004, 0.0000133334, 0.0000166667, 0.20, 0.03, 0.50);

    /** The architecture the template deploys the functions on, and so the Lambda price the engine's estimates use. */
    public static final String DEPLOYED_ARCHITECTURE = "arm64";

    /** The names {@link #with} accepts, as a deployment spells them, each with how to read it from the prices. */
    private static final Map<String, Function<AwsPrices, Double>> NAMES = names();

    private static final Set<String> S3_PUT_CLASS = Set.of("PutObject", "CopyObject", "PostObject", "ListObjects", "ListObjectsV2",
            "ListBuckets", "ListObjectVersions", "CreateMultipartUpload", "UploadPart", "UploadPartCopy", "CompleteMultipartUpload",
            "ListMultipartUploads", "ListParts");
    private static final Set<String> S3_FREE = Set.of("DeleteObject", "DeleteObjects", "AbortMultipartUpload");

    public AwsPrices {
        if (asOf == null) {
            throw new IllegalArgumentException("asOf is required");
        }
    }

    private static Map<String, Function<AwsPrices, Double>> names() {
        Map<String, Function<AwsPrices, Double>> names = new LinkedHashMap<>();
        names.put("dynamodb_per_million_write_units", AwsPrices::dynamoDbPerMillionWriteUnits);
        names.put("dynamodb_per_million_read_units", AwsPrices::dynamoDbPerMillionReadUnits);
        names.put("sqs_per_million_requests", AwsPrices::sqsPerMillionRequests);
        names.put("s3_per_thousand_puts", AwsPrices::s3PerThousandPuts);
        names.put("s3_per_thousand_gets", AwsPrices::s3PerThousandGets);
        names.put("lambda_arm_per_gb_second", AwsPrices::lambdaArmPerGbSecond);
        names.put("lambda_x86_per_gb_second", AwsPrices::lambdaX86PerGbSecond);
        names.put("lambda_per_million_requests", AwsPrices::lambdaPerMillionRequests);
        names.put("kms_per_ten_thousand_requests", AwsPrices::kmsPerTenThousandRequests);
        names.put("logs_per_gb_ingested", AwsPrices::logsPerGbIngested);
        return Map.copyOf(names);
    }

    /** The names of the prices, as {@link #with} takes them. */
    public static List<String> priceNames() {
        return NAMES.keySet().stream().sorted().toList();
    }

    /**
     * These prices with some replaced.
     *
     * @param asOf the day the new prices were read, {@code YYYY-MM-DD}; required when any price changes
     * @param prices by name ({@link #priceNames()}), in dollars, none negative
     * @throws SynclineException.Invalid naming what to fix: an unknown name, a negative price, a missing or bad date
     */
    public AwsPrices with(String asOf, Map<String, Double> prices) {
        List<SynclineException.Violation> violations = new ArrayList<>();
        prices.forEach((name, value) -> {
            if (!NAMES.containsKey(name)) {
                violations.add(new SynclineException.Violation(name, name + " is not a price; the prices are " + String.join(", ", priceNames())));
            } else if (value == null || value < 0 || value.isNaN() || value.isInfinite()) {
                violations.add(new SynclineException.Violation(name, name + " must be a price in dollars, zero or more; got " + value));
            }
        });
        LocalDate day = this.asOf;
        if (asOf == null) {
            if (!prices.isEmpty()) {
                violations.add(new SynclineException.Violation("as_of", "as_of is required with prices: the day they were read, YYYY-MM-DD"));
            }
        } else {
            try {
                day = LocalDate.parse(asOf);
            } catch (DateTimeParseException e) {
                violations.add(new SynclineException.Violation("as_of", "as_of must be a day, YYYY-MM-DD; got " + SynclineException.quote(asOf)));
            }
        }
        if (!violations.isEmpty()) {
            throw new SynclineException.Invalid("prices", violations);
        }
        Function<String, Double> price = name -> prices.containsKey(name) ? prices.get(name) : NAMES.get(name).apply(this);
        return new AwsPrices(day,
                price.apply("dynamodb_per_million_write_units"),
                price.apply("dynamodb_per_million_read_units"),
                price.apply("sqs_per_million_requests"),
                price.apply("s3_per_thousand_puts"),
                price.apply("s3_per_thousand_gets"),
                price.apply("lambda_arm_per_gb_second"),
                price.apply("lambda_x86_per_gb_second"),
                price.apply("lambda_per_million_requests"),
                price.apply("kms_per_ten_thousand_requests"),
                price.apply("logs_per_gb_ingested"));
    }

    public double lambdaPerGbSecond(String architecture) {
        return architecture.equals("arm64") ? lambdaArmPerGbSecond : lambdaX86PerGbSecond;
    }

    /** How S3 bills a request. */
    public enum S3Class { PUT, GET, FREE }

    /** The rate an S3 operation is billed at: PUT, COPY, POST and LIST at one, deletes free, the rest at the GET rate. */
    public S3Class s3Class(String operation) {
        if (S3_FREE.contains(operation)) {
            return S3Class.FREE;
        }
        return S3_PUT_CLASS.contains(operation) ? S3Class.PUT : S3Class.GET;
    }

    /** The dollars one request of {@code operation} costs, besides DynamoDB's units and Lambda's duration. */
    public double perRequest(String service, String operation) {
        return switch (service) {
            case "Sqs" -> sqsPerMillionRequests / 1e6;
            case "S3" -> switch (s3Class(operation)) {
                case PUT -> s3PerThousandPuts / 1e3;
                case GET -> s3PerThousandGets / 1e3;
                case FREE -> 0;
            };
            case "Kms" -> kmsPerTenThousandRequests / 1e4;
            default -> 0; // DynamoDB on-demand bills units, not requests; the Scheduler's API calls are free
        };
    }

    public List<String> describe(String architecture) {
        return List.of(
                "DynamoDB on-demand: $%.3f per million write request units, $%.3f per million read request units"
                        .formatted(dynamoDbPerMillionWriteUnits, dynamoDbPerMillionReadUnits),
                "SQS standard: $%.2f per million requests".formatted(sqsPerMillionRequests),
                "S3 Standard: $%.4f per 1 000 PUT/COPY/POST/LIST, $%.4f per 1 000 GET and other requests, deletes free"
                        .formatted(s3PerThousandPuts, s3PerThousandGets),
                "Lambda (%s): $%.10f per GB-second, $%.2f per million requests"
                        .formatted(architecture, lambdaPerGbSecond(architecture), lambdaPerMillionRequests),
                "KMS: $%.2f per 10 000 requests; CloudWatch Logs: $%.2f per GB ingested"
                        .formatted(kmsPerTenThousandRequests, logsPerGbIngested),
                "(list prices as of %s)".formatted(asOf));
    }
}
