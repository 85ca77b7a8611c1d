package dev.syncline.local;

import dev.syncline.adapters.config.Config;
import dev.syncline.testing.AwsStack;
import dev.syncline.testing.Emulators;
import dev.syncline.testing.faults.AwsFaults;
import dev.syncline.testing.faults.SqsDuplicates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The local stack as the fault suite runs it: emulators keeping DynamoDB and S3 state in a data directory, Syncline's
 * four functions with {@link AwsFaults} and {@link SqsDuplicates} in their SDK clients, and the ability to crash all
 * of it and start it again on the same state. The Apps are not part of it: they live on through a crash, as an App
 * elsewhere would.
 */
final class FaultStack implements AutoCloseable {

    /** Resource names start with this; a restart finds the same table and bucket again. */
    static final String RESOURCE_PREFIX = "syncline-faults";

    /**
     * How the functions are run.
     *
     * @param appRequestTimeout how long the engine waits for an App's answer (10 s on AWS)
     * @param visibilityTimeout the work queue's: longer than any chunk of the suite takes, as on AWS (six times the
     *     worker's time limit), so that a message comes back only when its worker is gone
     * @param stalledAfter how long a run may be idle before the reconciler re-sends its chunks
     * @param reconcileEvery how often the reconciler runs
     * @param workerConcurrency invocations of the worker at once
     * @param workerTimeLimit how long one worker invocation may run (120 s on AWS): short, so that chunks are handed on
     *     from pass to pass, and a worker held past it is abandoned as Lambda abandons it
     */
    record Timings(Duration appRequestTimeout, Duration visibilityTimeout, Duration stalledAfter, Duration reconcileEvery,
            int workerConcurrency, Duration workerTimeLimit) {
    }

    private final Path data;
    private final Timings timings;
    private final AwsFaults awsFaults = AwsFaults.off();
    private final String apiKey;
    private final String secretsKey = LocalSyncline.newSecretsKey();
    private Emulators emulators;
    private AwsStack aws;
    private SqsDuplicates duplicates;
    private LocalSyncline syncline;
    private SynclineClient api;
    private long duplicatedBefore;
    private long abandonedBefore;
    private int crashes;

    private FaultStack(Path data, Timings timings, String apiKey) {
        this.data = data;
        this.timings = timings;
        this.apiKey = apiKey;
    }

    static FaultStack start(Path data, Timings timings) {
        FaultStack stack = new FaultStack(data, timings, "sl-faults-" + LocalSyncline.newSecretsKey().replaceAll("[^A-Za-z0-9]", ""));
        try {
            stack.startAll(false);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(boolean doubling) {
        try {
            Files.createDirectories(data.resolve(DataDirectory.METRICS_FILE).getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the fault suite's data directory " + data + ": " + e.getMessage(), e);
        }
        emulators = Emulators.start(new Emulators.Options(data, 0, 0, 0));
        aws = AwsStack.create(emulators.endpoints(), RESOURCE_PREFIX);
        duplicates = new SqsDuplicates(aws.sqs(), aws.names().workQueueUrl());
        duplicates.set(doubling);
        syncline = LocalSyncline.start(new LocalSyncline.Options(aws, apiKey, 0, timings.visibilityTimeout(), timings.reconcileEvery(),
                        timings.stalledAfter(), timings.workerConcurrency(), secretsKey, data.resolve(DataDirectory.METRICS_FILE))
                        .withWorkerTimeLimit(timings.workerTimeLimit()),
                Clock.systemUTC(),
                new LocalSyncline.Overrides(Map.of(Config.APP_REQUEST_TIMEOUT_MS, Long.toString(timings.appRequestTimeout().toMillis())),
                        List.of(awsFaults, duplicates)));
        api = new SynclineClient(syncline.apiUri(), apiKey);
    }

    SynclineClient api() {
        return api;
    }

    /** The throttles and errors injected into the functions' AWS calls; off until set. */
    AwsFaults awsFaults() {
        return awsFaults;
    }

    /** Whether every message sent to the work queue is delivered twice from now on. */
    void doubleWorkMessages(boolean doubling) {
        duplicates.set(doubling);
    }

    /** Work messages delivered a second time, over every start. */
    long duplicatedMessages() {
        return duplicatedBefore + duplicates.duplicated();
    }

    int crashes() {
        return crashes;
    }

    /** Worker invocations abandoned at their time limit, over every start. */
    long workersAbandoned() {
        return abandonedBefore + syncline.workerInvocationsAbandoned();
    }

    /**
     * Crashes everything at once, as a power cut would: dynalite is killed (SIGKILL), SQS loses every message (it lives
     * in memory), the functions' invocations in flight lose AWS under them; then everything starts again on the same
     * data directory, on new ports, with the same API key. The Apps are untouched.
     */
    void crashAndRestart() {
        boolean doubling = duplicates.isOn();
        ProcessHandle.of(emulators.dynamoDbProcessId()).ifPresent(ProcessHandle::destroyForcibly);
        emulators.close();
        syncline.close();
        aws.close();
        duplicatedBefore += duplicates.duplicated();
        abandonedBefore += syncline.workerInvocationsAbandoned();
        crashes++;
        startAll(doubling);
    }

    @Override
    public void close() {
        if (syncline != null) {
            syncline.close();
        }
        if (aws != null) {
            aws.close();
        }
        if (emulators != null) {
            emulators.close();
        }
    }
}
