package dev.syncline.adapters.metrics;

import dev.syncline.core.cost.RunUsage;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What an {@link AwsCallCounter} counted, per service and operation, at one moment. Two snapshots subtract
 * ({@link #minus}) to give what happened in between, for example during one run or one invocation.
 *
 * @param operations the counts of each operation called at least once, in service then operation order
 * @param storedBytes the bytes sent to S3 to be stored ({@code PutObject}, {@code UploadPart}), per the first segment
 *     of the object key: {@code plans}, {@code state}, {@code files}, ...
 */
public record AwsCalls(Map<Operation, Count> operations, Map<String, Long> storedBytes) {

    public AwsCalls {
        operations = Collections.unmodifiableMap(new TreeMap<>(operations));
        storedBytes = Collections.unmodifiableMap(new TreeMap<>(storedBytes));
    }

    public AwsCalls(Map<Operation, Count> operations) {
        this(operations, Map.of());
    }

    /** Nothing counted. */
    public static AwsCalls none() {
        return new AwsCalls(Map.of());
    }

    /**
     * One SDK operation.
     *
     * @param service the service as the SDK names it: {@code DynamoDb}, {@code Sqs}, {@code S3}, {@code Kms}
     * @param operation the API action, for example {@code PutItem}
     */
    public record Operation(String service, String operation) implements Comparable<Operation> {

        public Operation {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(operation, "operation");
        }

        @Override
        public int compareTo(Operation other) {
            int byService = service.compareTo(other.service);
            return byService != 0 ? byService : operation.compareTo(other.operation);
        }

        @Override
        public String toString() {
            return service + " " + operation;
        }
    }

    /**
     * The calls of one operation.
     *
     * @param calls API calls made, whatever their outcome
     * @param attempts HTTP requests sent for them: more than {@code calls} when the SDK retried. AWS bills SQS
     *     and S3 per request
     * @param errors calls that ended in an exception (a failed DynamoDB condition is one, and is billed)
     * @param empty calls that answered with nothing: an SQS {@code ReceiveMessage} without messages (an idle long
     *     poll), a DynamoDB {@code GetItem} that found no item, a {@code Query}, {@code Scan} or
     *     {@code BatchGetItem} that returned no items
     * @param readUnits DynamoDB read capacity units as the service reported them ({@code ConsumedCapacity})
     * @param writeUnits DynamoDB write capacity units as the service reported them
     * @param estimatedReadUnits DynamoDB read units computed from item sizes for calls the service reported
     *     none for (see {@link AwsCallCounter})
     * @param estimatedWriteUnits DynamoDB write units computed likewise, for example for failed conditional writes
     */
    public record Count(long calls, long attempts, long errors, long empty, double readUnits, double writeUnits,
            double estimatedReadUnits, double estimatedWriteUnits) {

        static final Count ZERO = new Count(0, 0, 0, 0, 0, 0, 0, 0);

        /** Read units, reported and estimated. */
        public double allReadUnits() {
            return readUnits + estimatedReadUnits;
        }

        /** Write units, reported and estimated. */
        public double allWriteUnits() {
            return writeUnits + estimatedWriteUnits;
        }

        Count plus(Count other) {
            return new Count(calls + other.calls, attempts + other.attempts, errors + other.errors, empty + other.empty,
                    readUnits + other.readUnits, writeUnits + other.writeUnits,
                    estimatedReadUnits + other.estimatedReadUnits, estimatedWriteUnits + other.estimatedWriteUnits);
        }

        Count minus(Count other) {
            return new Count(calls - other.calls, attempts - other.attempts, errors - other.errors, empty - other.empty,
                    readUnits - other.readUnits, writeUnits - other.writeUnits,
                    estimatedReadUnits - other.estimatedReadUnits, estimatedWriteUnits - other.estimatedWriteUnits);
        }

        boolean isZero() {
            return calls == 0 && attempts == 0;
        }
    }

    /** The counts of one operation; zero when it was not called. */
    public Count of(String service, String operation) {
        return operations.getOrDefault(new Operation(service, operation), Count.ZERO);
    }

    /** The counts of all operations of one service added up. */
    public Count total(String service) {
        Count total = Count.ZERO;
        for (Map.Entry<Operation, Count> entry : operations.entrySet()) {
            if (entry.getKey().service().equals(service)) {
                total = total.plus(entry.getValue());
            }
        }
        return total;
    }

    /**
     * These calls as AWS bills them, for a run's usage: every HTTP attempt of SQS and S3 (less the receives that
     * found no message: the idle long polls are the queue's fixed cost, not a run's), every DynamoDB and other call,
     * and DynamoDB's units, reported and estimated.
     */
    public RunUsage usage() {
        Map<String, Map<String, RunUsage.Requests>> requests = new TreeMap<>();
        operations.forEach((operation, count) -> requests.computeIfAbsent(operation.service(), service -> new TreeMap<>())
                .put(operation.operation(), new RunUsage.Requests(billed(operation, count), count.allReadUnits(), count.allWriteUnits())));
        return new RunUsage(requests, Map.of(), storedBytes);
    }

    /** The requests AWS bills for one operation's calls. */
    public static long billed(Operation operation, Count count) {
        return switch (operation.service()) {
            case "Sqs" -> operation.operation().equals("ReceiveMessage") ? count.attempts() - count.empty() : count.attempts();
            case "S3" -> count.attempts();
            default -> count.calls();
        };
    }

    /** What was counted after {@code earlier}: this snapshot less an earlier one of the same counter. */
    public AwsCalls minus(AwsCalls earlier) {
        Map<Operation, Count> difference = new TreeMap<>();
        operations.forEach((operation, count) -> {
            Count delta = count.minus(earlier.operations.getOrDefault(operation, Count.ZERO));
            if (!delta.isZero()) {
                difference.put(operation, delta);
            }
        });
        Map<String, Long> bytes = new TreeMap<>();
        storedBytes.forEach((kind, count) -> {
            long delta = count - earlier.storedBytes.getOrDefault(kind, 0L);
            if (delta != 0) {
                bytes.put(kind, delta);
            }
        });
        return new AwsCalls(difference, bytes);
    }
}
