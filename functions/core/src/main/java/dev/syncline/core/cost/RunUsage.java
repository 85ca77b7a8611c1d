package dev.syncline.core.cost;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run used of AWS, the figures AWS bills: requests per service and operation (with DynamoDB's capacity
 * units), Lambda invocations and GB-seconds per function, and the bytes the run wrote to S3 per kind of object.
 * Each function adds what one invocation used ({@link #plus}); the sum is the run's usage.
 *
 * @param requests per service (as the AWS SDK names it: {@code DynamoDb}, {@code S3}, {@code Sqs}, {@code Kms}),
 *     per operation: the requests AWS bills and, for DynamoDB, the capacity units
 * @param functions per function ({@code api}, {@code planner}, {@code worker}, {@code reconciler})
 * @param storedBytes bytes written to S3 per kind of object ({@code plans}, {@code state}, {@code files}, ...)
 */
public record RunUsage(Map<String, Map<String, Requests>> requests, Map<String, Invocations> functions, Map<String, Long> storedBytes) {

    private static final RunUsage NONE = new RunUsage(Map.of(), Map.of(), Map.of());

    public RunUsage {
        TreeMap<String, Map<String, Requests>> services = new TreeMap<>();
        requests.forEach((service, operations) -> services.put(service, Collections.unmodifiableMap(new TreeMap<>(operations))));
        requests = Collections.unmodifiableMap(services);
        functions = Collections.unmodifiableMap(new TreeMap<>(functions));
        storedBytes = Collections.unmodifiableMap(new TreeMap<>(storedBytes));
    }

    /** Nothing used. */
    public static RunUsage none() {
        return NONE;
    }

    /**
     * Requests of one operation.
     *
     * @param count the requests AWS bills (for SQS and S3 each HTTP attempt; not the idle long polls)
     * @param readUnits DynamoDB read request units
     * @param writeUnits DynamoDB write request units
     */
    public record Requests(long count, double readUnits, double writeUnits) {

        public static final Requests ZERO = new Requests(0, 0, 0);

        public Requests plus(Requests other) {
            return new Requests(count + other.count, readUnits + other.readUnits, writeUnits + other.writeUnits);
        }
    }

    /**
     * The invocations of one function.
     *
     * @param count invocations (Lambda bills each)
     * @param gbSeconds their duration times the function's memory, in GB-seconds
     */
    public record Invocations(long count, double gbSeconds) {

        public static final Invocations ZERO = new Invocations(0, 0);

        public Invocations plus(Invocations other) {
            return new Invocations(count + other.count, gbSeconds + other.gbSeconds);
        }
    }

    /** One request of {@code operation} more, as when the figure is known without counting it. */
    public RunUsage plusRequest(String service, String operation, Requests added) {
        return plus(new RunUsage(Map.of(service, Map.of(operation, added)), Map.of(), Map.of()));
    }

    /** One invocation of {@code function} that lasted {@code gbSeconds}. */
    public RunUsage plusInvocation(String function, double gbSeconds) {
        return plus(new RunUsage(Map.of(), Map.of(function, new Invocations(1, gbSeconds)), Map.of()));
    }

    /** Both usages added up. */
    public RunUsage plus(RunUsage other) {
        Map<String, Map<String, Requests>> services = new TreeMap<>();
        requests.forEach((service, operations) -> services.put(service, new TreeMap<>(operations)));
        other.requests.forEach((service, operations) -> operations.forEach((operation, count) ->
                services.computeIfAbsent(service, s -> new TreeMap<>()).merge(operation, count, Requests::plus)));
        Map<String, Invocations> invocations = new TreeMap<>(functions);
        other.functions.forEach((function, count) -> invocations.merge(function, count, Invocations::plus));
        Map<String, Long> bytes = new TreeMap<>(storedBytes);
        other.storedBytes.forEach((kind, count) -> bytes.merge(kind, count, Long::sum));
        return new RunUsage(services, invocations, bytes);
    }

    /** Every figure times {@code factor}, rounded to whole requests, invocations and bytes: for estimates. */
    public RunUsage scaled(double factor) {
        Map<String, Map<String, Requests>> services = new TreeMap<>();
        requests.forEach((service, operations) -> operations.forEach((operation, count) ->
                services.computeIfAbsent(service, s -> new TreeMap<>()).put(operation, new Requests(Math.round(count.count() * factor),
                        count.readUnits() * factor, count.writeUnits() * factor))));
        Map<String, Invocations> invocations = new TreeMap<>();
        functions.forEach((function, count) -> invocations.put(function,
                new Invocations(Math.round(count.count() * factor), count.gbSeconds() * factor)));
        Map<String, Long> bytes = new TreeMap<>();
        storedBytes.forEach((kind, count) -> bytes.put(kind, Math.round(count * factor)));
        return new RunUsage(services, invocations, bytes);
    }

    /** The requests of one operation; zero when none were made. */
    public Requests of(String service, String operation) {
        return requests.getOrDefault(service, Map.of()).getOrDefault(operation, Requests.ZERO);
    }

    /** All requests of one service added up. */
    public Requests total(String service) {
        return requests.getOrDefault(service, Map.of()).values().stream().reduce(Requests.ZERO, Requests::plus);
    }
}
