package dev.syncline.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.syncline.adapters.config.Config;
import dev.syncline.adapters.metrics.AwsCallCounter;
import dev.syncline.adapters.metrics.AwsCalls;
import dev.syncline.adapters.wiring.Services;
import dev.syncline.api.HandleApiRequestHandler;
import dev.syncline.planner.PlanSynchronizationHandler;
import dev.syncline.reconciler.ReconcileRunsHandler;
import dev.syncline.testing.AwsStack;
import dev.syncline.testing.lambda.FunctionTimeouts;
import dev.syncline.testing.lambda.LambdaContext;
import dev.syncline.testing.lambda.SqsEventSource;
import dev.syncline.worker.DeliverChunkHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Syncline on one machine: the real handler classes of all four functions, wired to AWS-protocol
 * emulators, with API Gateway and the SQS event source mappings and the reconciler's schedule emulated
 * as the template configures them.
 */
public final class LocalSyncline implements AutoCloseable {

    private final Services services;
    private final ApiGatewayServer api;
    private final SqsEventSource control;
    private final SqsEventSource work;
    private final ScheduledExecutorService schedule;
    /**
     * The AWS calls of the reconciler's periodic sweeps and of the local scheduler's ticks: the stack's own, nobody's
     * run (on AWS the ticks are EventBridge Scheduler's and read no table).
     */
    private final AwsCallCounter stackCalls = AwsCallCounter.create();
    private final LocalScheduler scheduler;
    private final String apiKey;

    /**
     * @param apiPort 0 for any free port
     * @param visibilityTimeout how long a failed message stays hidden before it is retried; the template's
     *     queues use minutes, tests use seconds
     * @param reconcileEvery how often the reconciler runs (every minute on AWS)
     * @param stalledAfter how long a run may be idle before the reconciler moves it
     * @param secretsKey base64 256-bit AES key that encrypts installations' shared secrets; a stack that keeps its
     *     state across restarts must keep this key too, or it can no longer sign tokens for its installations
     * @param metricsFile where the functions' metric lines are kept for {@code GET /v1/metrics}
     * @param workerTimeLimit how long one worker invocation may run: the template's timeout, shorter in a test
     *     that needs chunks to run out of time
     */
    public record Options(AwsStack stack, String apiKey, int apiPort, Duration visibilityTimeout, Duration reconcileEvery,
            Duration stalledAfter, int workerConcurrency, String secretsKey, Path metricsFile, Duration workerTimeLimit) {

        /** Options whose worker has the template's time limit. */
        public Options(AwsStack stack, String apiKey, int apiPort, Duration visibilityTimeout, Duration reconcileEvery,
                Duration stalledAfter, int workerConcurrency, String secretsKey, Path metricsFile) {
            this(stack, apiKey, apiPort, visibilityTimeout, reconcileEvery, stalledAfter, workerConcurrency, secretsKey, metricsFile,
                    FunctionTimeouts.WORKER);
        }

        public Options withWorkerTimeLimit(Duration limit) {
            return new Options(stack, apiKey, apiPort, visibilityTimeout, reconcileEvery, stalledAfter, workerConcurrency, secretsKey,
                    metricsFile, limit);
        }

        public static Options forTests(AwsStack stack) {
            try {
                return new Options(stack, "test-key-" + randomToken(), 0, Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofSeconds(5), 4,
                        newSecretsKey(), Files.createTempDirectory("syncline-metrics-").resolve("metrics.ndjson"));
            } catch (IOException e) {
                throw new UncheckedIOException("No temporary directory for the metrics file: " + e.getMessage(), e);
            }
        }
    }

    /**
     * What the fault suite changes in a stack: settings the functions read from their environment (the App request
     * timeout, say) and interceptors added to every SDK client the functions build (injected throttles). The emulated
     * event sources are Lambda's, not the functions': they poll and delete with the stack's own client, never intercepted.
     */
    public record Overrides(Map<String, String> environment, List<ExecutionInterceptor> awsInterceptors) {

        public static final Overrides NONE = new Overrides(Map.of(), List.of());

        public Overrides {
            environment = Map.copyOf(environment);
            awsInterceptors = List.copyOf(awsInterceptors);
        }
    }

    /** A fresh key for {@link Options#secretsKey()}. */
    public static String newSecretsKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** How often the local scheduler looks for schedules whose time has come. */
    static final Duration SCHEDULER_TICK = Duration.ofSeconds(1);

    private LocalSyncline(Options options, Clock schedulerClock, Overrides overrides) throws IOException {
        this.apiKey = options.apiKey();
        Map<String, String> environment = new HashMap<>(options.stack().environment());
        environment.put(Config.API_KEY_HASHES, sha256(options.apiKey()));
        environment.put(Config.ALLOW_PRIVATE_APP_URLS, "true");
        environment.put(Config.SECRETS_LOCAL_KEY, options.secretsKey());
        environment.put(Config.STALLED_AFTER_SECONDS, Long.toString(options.stalledAfter().toSeconds()));
        environment.put(Config.METRICS_FILE, options.metricsFile().toString());
        environment.putAll(overrides.environment());
        this.services = Services.create(Config.from(environment), Clock.systemUTC(), overrides.awsInterceptors());

        HandleApiRequestHandler apiHandler = new HandleApiRequestHandler(services);
        PlanSynchronizationHandler planner = new PlanSynchronizationHandler(services);
        DeliverChunkHandler worker = new DeliverChunkHandler(services);
        ReconcileRunsHandler reconciler = new ReconcileRunsHandler(services);

        this.api = ApiGatewayServer.start(new InetSocketAddress("127.0.0.1", options.apiPort()),
                event -> apiHandler.handleRequest(event, context("api", FunctionTimeouts.API)));
        // Batch sizes and concurrency as the template's event source mappings set them, each invocation under its
        // function's time limit.
        this.control = new SqsEventSource(options.stack().sqs(), options.stack().names().controlQueueUrl(), 1, 2,
                options.visibilityTimeout(), "planner", FunctionTimeouts.PLANNER, planner::handleRequest);
        this.work = new SqsEventSource(options.stack().sqs(), options.stack().names().workQueueUrl(), 1,
                options.workerConcurrency(), options.visibilityTimeout(), "worker", options.workerTimeLimit(), worker::handleRequest);
        this.schedule = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
        schedule.scheduleWithFixedDelay(() -> {
            AwsCallCounter.Scope counting = AwsCallCounter.alsoCountingInto(stackCalls);
            try {
                reconciler.handleRequest(new ScheduledEvent(), context("reconciler", FunctionTimeouts.RECONCILER));
            } catch (RuntimeException e) {
                System.err.println("reconciler failed: " + e);
            } finally {
                counting.close();
            }
        }, options.reconcileEvery().toMillis(), options.reconcileEvery().toMillis(), TimeUnit.MILLISECONDS);
        // Installations' schedules invoke the same function, with the event EventBridge Scheduler sends.
        this.scheduler = new LocalScheduler(services.schedules(), schedulerClock, SCHEDULER_TICK,
                event -> reconciler.handleRequest(event, context("reconciler", FunctionTimeouts.RECONCILER)), stackCalls);
    }

    public static LocalSyncline start(Options options) {
        return start(options, Clock.systemUTC());
    }

    /** @param schedulerClock the time installations' schedules are evaluated at: a test moves it forward */
    public static LocalSyncline start(Options options, Clock schedulerClock) {
        return start(options, schedulerClock, Overrides.NONE);
    }

    /** @param settings configuration beyond the defaults, by environment variable (for example {@link Config#FILE_MAX_BYTES}) */
    public static LocalSyncline start(Options options, Clock schedulerClock, Map<String, String> settings) {
        return start(options, schedulerClock, new Overrides(settings, List.of()));
    }

    public static LocalSyncline start(Options options, Clock schedulerClock, Overrides overrides) {
        try {
            return new LocalSyncline(options, schedulerClock, overrides);
        } catch (IOException e) {
            throw new UncheckedIOException("The local API could not start: " + e.getMessage(), e);
        }
    }

    /**
     * What the reconciler's periodic sweeps and the local scheduler's ticks called so far (also counted by
     * {@link AwsCallCounter#shared()}): the stack's own work, which no run records.
     */
    public AwsCalls stackCalls() {
        return stackCalls.snapshot();
    }

    public URI apiUri() {
        return api.uri();
    }

    public String apiKey() {
        return apiKey;
    }

    public long workerInvocations() {
        return work.invocations();
    }

    /** Worker invocations abandoned at their time limit, as Lambda abandons them. */
    public long workerInvocationsAbandoned() {
        return work.timedOut();
    }


    @Override
    public void close() {
        scheduler.close();
        schedule.shutdownNow();
        api.close();
        control.close();
        work.close();
        services.close();
    }

    private static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomToken() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** A Lambda context whose remaining time starts at the function's timeout. */
    static Context context(String function, Duration timeout) {
        return LambdaContext.of(function, timeout);
    }
}
