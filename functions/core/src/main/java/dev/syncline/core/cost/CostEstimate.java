package dev.syncline.core.cost;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a usage costs at given prices: dollars per service and in all. DynamoDB is priced by its capacity units,
 * SQS, S3 and KMS by request (S3 at its PUT or GET rate, deletes free), Lambda by GB-second and invocation at the
 * deployed architecture's rate. Storage is not priced: what S3 holds costs by the month, whatever the run.
 *
 * @param dollars per service that cost anything or was used ({@code DynamoDb}, {@code S3}, {@code Sqs}, {@code Kms},
 *     {@code Lambda})
 */
public record CostEstimate(RunUsage usage, AwsPrices prices, Map<String, Double> dollars) {

    public static final String LAMBDA = "Lambda";

    public CostEstimate {
        dollars = Collections.unmodifiableMap(new TreeMap<>(dollars));
    }

    /** The cost of {@code usage} at {@code prices}. */
    public static CostEstimate of(RunUsage usage, AwsPrices prices) {
        Map<String, Double> dollars = new TreeMap<>();
        usage.requests().forEach((service, operations) -> {
            double sum = 0;
            for (Map.Entry<String, RunUsage.Requests> entry : operations.entrySet()) {
                RunUsage.Requests requests = entry.getValue();
                sum += requests.count() * prices.perRequest(service, entry.getKey())
                        + requests.readUnits() * prices.dynamoDbPerMillionReadUnits() / 1e6
                        + requests.writeUnits() * prices.dynamoDbPerMillionWriteUnits() / 1e6;
            }
            dollars.put(service, sum);
        });
        if (!usage.functions().isEmpty()) {
            double perGbSecond = prices.lambdaPerGbSecond(AwsPrices.DEPLOYED_ARCHITECTURE);
            dollars.put(LAMBDA, usage.functions().values().stream()
                    .mapToDouble(invocations -> invocations.gbSeconds() * perGbSecond
                            + invocations.count() * prices.lambdaPerMillionRequests() / 1e6)
                    .sum());
        }
        return new CostEstimate(usage, prices, dollars);
    }

    /** Dollars in all. */
    public double total() {
        return dollars.values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
