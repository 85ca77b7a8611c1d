package dev.syncline.testing.faults;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * An SDK interceptor that fails a share of DynamoDB, S3 and SQS calls as those services do when they are
 * overloaded: a throttle (DynamoDB {@code ProvisionedThroughputExceededException}, S3 {@code 503 SlowDown}, SQS
 * {@code ThrottlingException}) or a server error (DynamoDB {@code 500 InternalServerError}, S3 {@code 500
 * InternalError}, SQS {@code 500 InternalFailure}). Installed into the functions' clients (see
 * {@code LocalSyncline.Overrides}), it tests that nothing is lost or counted twice when AWS pushes back.
 *
 * <p>The fault replaces an attempt before it is sent, so the service never sees it, as with a real throttle; the
 * SDK's own retry policy treats it as it would the service's answer (each retry draws again). A call that exhausts
 * its retries reaches Syncline's code as the service's exception. Draws come from a {@link Random} of a fixed seed:
 * with the same sequence of calls, the same calls fail. Services other than these three pass untouched.
 */
public final class AwsFaults implements ExecutionInterceptor {

    /** What an injected fault looks like. */
    public enum Kind {
        THROTTLE, SERVER_ERROR
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Random random;
    private volatile double share;
    private volatile double throttleShare;
    private volatile Duration delay = Duration.ZERO;
    private final AtomicLong delayed = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private final Map<String, AtomicLong> injected = new ConcurrentHashMap<>();

    private AwsFaults(double share, double throttleShare, long seed) {
        this.random = new Random(seed);
        set(share, throttleShare);
    }

    /**
     * @param share the share of attempts that fail, 0 to 1
     * @param throttleShare of those, the share answered with a throttle; the rest get a server error
     */
    public static AwsFaults failing(double share, double throttleShare, long seed) {
        return new AwsFaults(share, throttleShare, seed);
    }

    /** Injects nothing until {@link #set} says otherwise. */
    public static AwsFaults off() {
        return new AwsFaults(0, 0, 0);
    }

    /** Changes the shares from the next attempt on (0 stops injecting). */
    public void set(double share, double throttleShare) {
        requireShare("share", share);
        requireShare("throttleShare", throttleShare);
        this.share = share;
        this.throttleShare = throttleShare;
    }

    /**
     * Holds every attempt this long before it is sent (zero: none), as a service slowing down would; the wait ends
     * early when the calling thread is interrupted (Lambda abandoning the invocation) and fails the attempt then.
     */
    public void delay(Duration delay) {
        this.delay = delay;
    }

    /** Attempts held by {@link #delay} so far. */
    public long delayed() {
        return delayed.get();
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        if (!isFaultable(service)) {
            return;
        }
        attempts.incrementAndGet();
        Duration hold = delay;
        if (!hold.isZero()) {
            delayed.incrementAndGet();
            try {
                Thread.sleep(hold);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw AbortedException.builder().message("interrupted while an injected delay held the call").cause(e).build();
            }
        }
        double draw;
        double kindDraw;
        lock.lock();
        try {
            draw = random.nextDouble();
            kindDraw = random.nextDouble();
        } finally {
            lock.unlock();
        }
        if (draw >= share) {
            return;
        }
        Kind kind = kindDraw < throttleShare ? Kind.THROTTLE : Kind.SERVER_ERROR;
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        injected.computeIfAbsent(service + " " + kind.name().toLowerCase(Locale.ROOT), k -> new AtomicLong()).incrementAndGet();
        throw fault(service, operation, kind);
    }

    /** Attempts seen of the three services, faulted or not. */
    public long attempts() {
        return attempts.get();
    }

    /** Faults injected so far, all services and kinds together. */
    public long injected() {
        return injected.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Faults injected so far by service and kind, for example {@code "DynamoDb throttle" -> 12}. */
    public Map<String, Long> injectedByServiceAndKind() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        injected.forEach((key, count) -> counts.put(key, count.get()));
        return counts;
    }

    private static boolean isFaultable(String service) {
        return "DynamoDb".equals(service) || "S3".equals(service) || "Sqs".equals(service);
    }

    static AwsServiceException fault(String service, String operation, Kind kind) {
        String message = "injected fault: " + (kind == Kind.THROTTLE ? "throttled " : "server error on ") + service + " " + operation;
        boolean throttle = kind == Kind.THROTTLE;
        return switch (service) {
            case "DynamoDb" -> throttle
                    ? ProvisionedThroughputExceededException.builder().message(message).statusCode(400)
                            .awsErrorDetails(details("ProvisionedThroughputExceededException", message, service, 400)).build()
                    : InternalServerErrorException.builder().message(message).statusCode(500)
                            .awsErrorDetails(details("InternalServerError", message, service, 500)).build();
            case "S3" -> S3Exception.builder().message(message).statusCode(throttle ? 503 : 500)
                    .awsErrorDetails(details(throttle ? "SlowDown" : "InternalError", message, service, throttle ? 503 : 500)).build();
            case "Sqs" -> SqsException.builder().message(message).statusCode(throttle ? 400 : 500)
                    .awsErrorDetails(details(throttle ? "ThrottlingException" : "InternalFailure", message, service, throttle ? 400 : 500)).build();
            default -> throw new IllegalArgumentException("no fault for " + service);
        };
    }

    private static AwsErrorDetails details(String code, String message, String service, int status) {
        // The services' own exception interceptors read the answer's headers (S3's request ids).
        return AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName(service)
                .sdkHttpResponse(SdkHttpResponse.builder().statusCode(status).build()).build();
    }

    private static void requireShare(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1, got " + value);
        }
    }
}
