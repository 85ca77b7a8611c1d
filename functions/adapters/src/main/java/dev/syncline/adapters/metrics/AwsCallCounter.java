package dev.syncline.adapters.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * Counts the AWS calls of the SDK clients it is registered on, per service and operation: calls, HTTP attempts,
 * errors, empty answers, and for DynamoDB the capacity units. These are the figures AWS bills, so the cost of a
 * run can be computed from them (docs/operations.md, "Scale and cost").
 *
 * <p>DynamoDB item, query, scan and batch requests are changed to ask for {@code ReturnConsumedCapacity: TOTAL}
 * (unless they already ask), which costs nothing and leaves the call otherwise as it was. Where the answer
 * carries no capacity, units are computed from item sizes and counted apart as estimated: a failed conditional
 * write is billed but its exception says nothing, and an emulator may leave the field out
 * ({@link DynamoDbCapacity}). Throttled and invalid requests are not billed and add no units.
 *
 * <p>{@link #shared()} is the counter {@code AwsClientFactory} registers on every client it builds: one per
 * process, which on Lambda is one function instance. Thread-safe; counting is a few adder increments per call.
 *
 * <p>A stretch of work counts its own calls apart as well ({@link #alsoCountingInto}): the calls started on the
 * thread that opened it, and on the threads it starts meanwhile, also go to the stretch's counter. That is how a
 * function tells what it did for one run from what other threads of the same process did meanwhile.
 */
public final class AwsCallCounter implements ExecutionInterceptor {

    private static final AwsCallCounter SHARED = new AwsCallCounter();

    /** The stretch counter of the current thread, inherited by the threads it starts (virtual ones included). */
    private static final InheritableThreadLocal<AwsCallCounter> STRETCH = new InheritableThreadLocal<>();
    /** The stretch counter a call started under, carried from the calling thread to the call's later steps. */
    private static final ExecutionAttribute<AwsCallCounter> CALL_STRETCH = new ExecutionAttribute<>("SynclineStretchCounter");

    private final ConcurrentMap<AwsCalls.Operation, Tally> tallies = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, LongAdder> storedBytes = new ConcurrentHashMap<>();

    private AwsCallCounter() {
    }

    /** The process-wide counter: every client {@code AwsClientFactory} builds reports to it. */
    public static AwsCallCounter shared() {
        return SHARED;
    }

    /** A counter of its own, for clients that must be counted apart. */
    public static AwsCallCounter create() {
        return new AwsCallCounter();
    }

    /** What was counted so far. */
    public AwsCalls snapshot() {
        Map<AwsCalls.Operation, AwsCalls.Count> counts = new HashMap<>();
        tallies.forEach((operation, tally) -> counts.put(operation, tally.count()));
        Map<String, Long> bytes = new HashMap<>();
        storedBytes.forEach((kind, sum) -> bytes.put(kind, sum.sum()));
        return new AwsCalls(counts, bytes);
    }

    /**
     * Until the returned scope closes, the calls this thread starts (and the threads it starts meanwhile) are also
     * counted by {@code stretch}, a counter of its own ({@link #create()}). Scopes nest: closing one restores the
     * one before.
     */
    public static Scope alsoCountingInto(AwsCallCounter stretch) {
        AwsCallCounter before = STRETCH.get();
        STRETCH.set(stretch);
        return () -> {
            if (before == null) {
                STRETCH.remove();
            } else {
                STRETCH.set(before);
            }
        };
    }

    /** A stretch of counting; closing it ends the stretch on this thread. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * What was counted so far, and starts again from zero. Calls that finish while the reset runs may have part
     * of their counts on either side of it; take {@link #snapshot()}s and subtract them where that matters.
     */
    public AwsCalls reset() {
        Map<AwsCalls.Operation, AwsCalls.Count> counts = new HashMap<>();
        tallies.forEach((operation, tally) -> counts.put(operation, tally.countThenReset()));
        Map<String, Long> bytes = new HashMap<>();
        storedBytes.forEach((kind, sum) -> bytes.put(kind, sum.sumThenReset()));
        return new AwsCalls(counts, bytes);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        AwsCallCounter stretch = STRETCH.get();
        if (stretch != null && stretch != this) {
            attributes.putAttribute(CALL_STRETCH, stretch);
        }
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        return context.request() instanceof DynamoDbRequest ? DynamoDbCapacity.askingForTotal(context.request()) : context.request();
    }

    // Called once per HTTP attempt: a retried call is billed once per attempt by SQS and S3.
    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        for (AwsCallCounter counter : counters(attributes)) {
            counter.tally(attributes).attempts.increment();
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        long stored = storedBytes(context);
        String kind = stored > 0 ? keyPrefix(context.request()) : null;
        for (AwsCallCounter counter : counters(attributes)) {
            counter.countSuccess(context, attributes);
            if (kind != null) {
                counter.storedBytes.computeIfAbsent(kind, k -> new LongAdder()).add(stored);
            }
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        for (AwsCallCounter counter : counters(attributes)) {
            counter.countFailure(context, attributes);
        }
    }

    /** This counter, and the stretch's the call started under, if any. */
    private List<AwsCallCounter> counters(ExecutionAttributes attributes) {
        AwsCallCounter stretch = attributes.getAttribute(CALL_STRETCH);
        return stretch == null ? List.of(this) : List.of(this, stretch);
    }

    /** The bytes of an S3 object or part sent to be stored; 0 for any other call. */
    private static long storedBytes(Context.AfterExecution context) {
        if (!(context.request() instanceof PutObjectRequest) && !(context.request() instanceof UploadPartRequest)) {
            return 0;
        }
        SdkHttpRequest http = context.httpRequest();
        return http.firstMatchingHeader("x-amz-decoded-content-length")
                .or(() -> http.firstMatchingHeader("Content-Length"))
                .map(Long::parseLong)
                .or(() -> context.requestBody().flatMap(RequestBody::optionalContentLength))
                .orElse(0L);
    }

    /** The kind of object an S3 request wrote: the first segment of its key. */
    private static String keyPrefix(SdkRequest request) {
        String key = switch (request) {
            case PutObjectRequest put -> put.key();
            case UploadPartRequest part -> part.key();
            default -> "";
        };
        int slash = key.indexOf('/');
        return slash > 0 ? key.substring(0, slash) : key;
    }

    private void countSuccess(Context.AfterExecution context, ExecutionAttributes attributes) {
        Tally tally = tally(attributes);
        tally.calls.increment();
        SdkResponse response = context.response();
        if (isEmpty(response)) {
            tally.empty.increment();
        }
        SdkRequest request = context.request();
        if (request instanceof DynamoDbRequest) {
            DynamoDbCapacity.Units reported = DynamoDbCapacity.reported(request, response);
            if (reported != null) {
                tally.readUnits.add(reported.read());
                tally.writeUnits.add(reported.write());
            } else {
                DynamoDbCapacity.Units estimated = DynamoDbCapacity.estimate(request, response);
                tally.estimatedReadUnits.add(estimated.read());
                tally.estimatedWriteUnits.add(estimated.write());
            }
        }
    }

    private void countFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        Tally tally = tally(attributes);
        tally.calls.increment();
        tally.errors.increment();
        if (isFailedCondition(context.exception())) {
            DynamoDbCapacity.Units estimated = DynamoDbCapacity.estimate(context.request(), null);
            tally.estimatedReadUnits.add(estimated.read());
            tally.estimatedWriteUnits.add(estimated.write());
        }
    }

    private Tally tally(ExecutionAttributes attributes) {
        AwsCalls.Operation operation = new AwsCalls.Operation(
                String.valueOf(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME)),
                String.valueOf(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)));
        Tally tally = tallies.get(operation);
        return tally != null ? tally : tallies.computeIfAbsent(operation, o -> new Tally());
    }

    private static boolean isFailedCondition(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConditionalCheckFailedException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isEmpty(SdkResponse response) {
        return switch (response) {
            case ReceiveMessageResponse receive -> !receive.hasMessages() || receive.messages().isEmpty();
            case GetItemResponse get -> !get.hasItem() || get.item().isEmpty();
            case QueryResponse query -> query.count() != null && query.count() == 0;
            case ScanResponse scan -> scan.count() != null && scan.count() == 0;
            case BatchGetItemResponse batch -> !batch.hasResponses() || batch.responses().values().stream().allMatch(List::isEmpty);
            default -> false;
        };
    }

    /** The running counts of one operation. */
    private static final class Tally {
        final LongAdder calls = new LongAdder();
        final LongAdder attempts = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder empty = new LongAdder();
        final DoubleAdder readUnits = new DoubleAdder();
        final DoubleAdder writeUnits = new DoubleAdder();
        final DoubleAdder estimatedReadUnits = new DoubleAdder();
        final DoubleAdder estimatedWriteUnits = new DoubleAdder();

        AwsCalls.Count count() {
            return new AwsCalls.Count(calls.sum(), attempts.sum(), errors.sum(), empty.sum(), readUnits.sum(), writeUnits.sum(),
                    estimatedReadUnits.sum(), estimatedWriteUnits.sum());
        }

        AwsCalls.Count countThenReset() {
            return new AwsCalls.Count(calls.sumThenReset(), attempts.sumThenReset(), errors.sumThenReset(), empty.sumThenReset(),
                    readUnits.sumThenReset(), writeUnits.sumThenReset(), estimatedReadUnits.sumThenReset(), estimatedWriteUnits.sumThenReset());
        }
    }
}
