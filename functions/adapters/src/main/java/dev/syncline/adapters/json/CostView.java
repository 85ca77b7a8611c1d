package dev.syncline.adapters.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.syncline.core.cost.CostEstimate;
import dev.syncline.core.cost.RunUsage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run used of AWS and what that costs at the configured prices, as the run view shows it ({@code cost}).
 *
 * @param estimatedUsd the run's cost in US dollars, all services
 * @param pricesAsOf the day of the prices used ({@code SYNCLINE_PRICES}, by default the us-east-1 list prices)
 * @param services per service ({@code dynamodb}, {@code lambda}, {@code s3}, {@code sqs}, {@code kms}), what it
 *     costs and the figures it is priced from
 * @param s3BytesStored bytes the run wrote to S3, per kind of object ({@code plans}, {@code state}, {@code files})
 */
public record CostView(BigDecimal estimatedUsd, String pricesAsOf, Map<String, ServiceView> services, Map<String, Long> s3BytesStored) {

    /** Dollars are shown to a millionth of a cent: a chunk costs a few of those. */
    static final int DOLLAR_DECIMALS = 8;

    /**
     * One service.
     *
     * @param requests requests AWS bills (Lambda: invocations)
     * @param readUnits DynamoDB read request units; DynamoDB only
     * @param writeUnits DynamoDB write request units; DynamoDB only
     * @param gbSeconds Lambda duration times memory; Lambda only
     * @param operations per operation (per function for Lambda)
     */
    public record ServiceView(
            BigDecimal estimatedUsd,
            long requests,
            @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal readUnits,
            @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal writeUnits,
            @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal gbSeconds,
            Map<String, Figures> operations) {
    }

    /** The figures of one operation or function. */
    public record Figures(
            long requests,
            @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal readUnits,
            @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal writeUnits,
            @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal gbSeconds) {
    }

    public static CostView of(CostEstimate estimate) {
        RunUsage usage = estimate.usage();
        Map<String, ServiceView> services = new TreeMap<>();
        usage.requests().forEach((service, operations) -> {
            boolean dynamoDb = service.equals("DynamoDb");
            Map<String, Figures> figures = new LinkedHashMap<>();
            operations.forEach((operation, requests) -> figures.put(operation, new Figures(requests.count(),
                    dynamoDb ? units(requests.readUnits()) : null, dynamoDb ? units(requests.writeUnits()) : null, null)));
            RunUsage.Requests total = usage.total(service);
            services.put(service.toLowerCase(Locale.ROOT), new ServiceView(dollars(estimate.dollars().getOrDefault(service, 0.0)),
                    total.count(), dynamoDb ? units(total.readUnits()) : null, dynamoDb ? units(total.writeUnits()) : null, null, figures));
        });
        if (!usage.functions().isEmpty()) {
            Map<String, Figures> functions = new LinkedHashMap<>();
            usage.functions().forEach((function, invocations) ->
                    functions.put(function, new Figures(invocations.count(), null, null, gbSeconds(invocations.gbSeconds()))));
            services.put(CostEstimate.LAMBDA.toLowerCase(Locale.ROOT), new ServiceView(dollars(estimate.dollars().get(CostEstimate.LAMBDA)),
                    usage.functions().values().stream().mapToLong(RunUsage.Invocations::count).sum(), null, null,
                    gbSeconds(usage.functions().values().stream().mapToDouble(RunUsage.Invocations::gbSeconds).sum()), functions));
        }
        return new CostView(dollars(estimate.total()), estimate.prices().asOf().toString(), services, usage.storedBytes());
    }

    private static BigDecimal dollars(double value) {
        return BigDecimal.valueOf(value).setScale(DOLLAR_DECIMALS, RoundingMode.HALF_UP);
    }

    private static BigDecimal units(double value) {
        return BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_UP);
    }

    private static BigDecimal gbSeconds(double value) {
        return BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP);
    }
}
