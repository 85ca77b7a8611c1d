package dev.syncline.local;

import dev.syncline.sampleapp.Faults;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.testing.AwsStack;
import dev.syncline.testing.Emulators;
import dev.syncline.testing.faults.AwsFaults;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything the local stack runs, started in order and closed in reverse: the emulators (DynamoDB state and S3
 * objects on disk under the data directory), Syncline's resources in them, the sample App, and the four functions
 * behind the local API.
 */
final class LocalStack implements AutoCloseable {

    /** Resource names start with this; a restart finds the same table and bucket again. */
    static final String RESOURCE_PREFIX = "syncline-local";

    /*
     * The template's queues hide a received message for 720 s (work) and 5400 s (control), six times the functions'
     * timeouts, and the reconciler runs every minute. Locally a lost message (a restart, a crash) comes back within a
     * minute instead; still far above the longest chunk the sample App makes, so nothing is delivered twice merely
     * because it was slow. Batch sizes are the template's (one message per invocation, in LocalSyncline).
     */
    static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(60);
    static final Duration RECONCILE_EVERY = Duration.ofSeconds(15);
    static final Duration STALLED_AFTER = VISIBILITY_TIMEOUT;
    /** The template allows 50; each run's own window (4 chunks by default) bounds what one App sees anyway. */
    static final int WORKER_CONCURRENCY = 8;

    /** The ports asked for; 0 lets the system pick. */
    record Ports(int api, int app, int dynamoDb, int sqs, int s3) {

        private record Claim(int port, String what, String option) {
        }

        /** Fails naming the first port that something already listens on, and the option that changes it. */
        void requireFree() {
            Map<Integer, String> seen = new HashMap<>();
            for (Claim claim : List.of(
                    new Claim(api, "the Syncline API", "--api-port"),
                    new Claim(app, "the sample App", "--app-port"),
                    new Claim(dynamoDb, "DynamoDB (dynalite)", "--dynamodb-port"),
                    new Claim(sqs, "SQS (ElasticMQ)", "--sqs-port"),
                    new Claim(s3, "S3 (S3Proxy)", "--s3-port"))) {
                if (claim.port() == 0) {
                    continue;
                }
                String other = seen.put(claim.port(), claim.option());
                if (other != null) {
                    throw new LocalStackException("Port " + claim.port() + " is given to both " + other + " and " + claim.option() + "; give each its own.");
                }
                try (ServerSocket socket = new ServerSocket(claim.port(), 1, InetAddress.getLoopbackAddress())) {
                    socket.setReuseAddress(true);
                } catch (IOException e) {
                    throw busy(claim.port(), claim.what(), claim.option());
                }
            }
        }
    }

    static LocalStackException busy(int port, String what, String option) {
        return new LocalStackException("Port " + port + " for " + what + " is already in use (is another local Syncline running?);"
                + " stop what listens there or choose another port with " + option + " (0 picks a free one).");
    }

    private final List<AutoCloseable> started = new ArrayList<>();
    private boolean closed;
    private Emulators emulators;
    private AwsStack aws;
    private SampleApp app;
    private LocalSyncline syncline;

    /** Call {@link #start} next; made first so that a shutdown hook can already close what has started. */
    LocalStack() {
    }

    /**
     * Starts every part; on failure closes what had started and throws.
     *
     * @param failureRate share of the sample App's answers that are 503s
     * @param awsFaultRate share of the functions' AWS call attempts that fail ({@link AwsFaults}, 4 in 5 throttled)
     * @throws LocalStackException saying what to install or change
     */
    LocalStack start(DataDirectory data, Ports ports, double failureRate, double awsFaultRate) {
        ports.requireFree();
        // ElasticMQ's actor system would otherwise stop itself in its own JVM shutdown hook, concurrently with ours,
        // leaving the queue pollers waiting on an SQS that no longer answers; ours stops everything in order.
        System.setProperty("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off");
        CrtShutdown.hold();
        try {
            long begun = System.nanoTime();
            emulators = track(Emulators.start(new Emulators.Options(data.root(), ports.dynamoDb(), ports.sqs(), ports.s3())));
            long emulated = System.nanoTime();
            aws = track(AwsStack.create(emulators.endpoints(), RESOURCE_PREFIX));
            long created = System.nanoTime();
            app = track(startApp(ports.app()));
            app.setFaults(Faults.none().withFailureRate(failureRate));
            long appStarted = System.nanoTime();
            syncline = track(startSyncline(aws, data, ports.api(), awsFaultRate));
            long done = System.nanoTime();
            // In the log, for whoever wonders where a slow start went.
            System.out.printf(Locale.ROOT, "local stack started: emulators %d ms, resources %d ms, sample App %d ms, functions %d ms%n",
                    (emulated - begun) / 1_000_000, (created - emulated) / 1_000_000, (appStarted - created) / 1_000_000,
                    (done - appStarted) / 1_000_000);
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static SampleApp startApp(int port) {
        try {
            return SampleApp.start(port);
        } catch (BindException e) {
            throw busy(port, "the sample App", "--app-port");
        } catch (IOException e) {
            throw new LocalStackException("The sample App could not start on port " + port + ": " + e.getMessage(), e);
        }
    }

    private static LocalSyncline startSyncline(AwsStack aws, DataDirectory data, int apiPort, double awsFaultRate) {
        LocalSyncline.Overrides overrides = awsFaultRate == 0 ? LocalSyncline.Overrides.NONE
                : new LocalSyncline.Overrides(Map.of(), List.of(AwsFaults.failing(awsFaultRate, 0.8, System.nanoTime())));
        try {
            return LocalSyncline.start(new LocalSyncline.Options(aws, data.apiKey(), apiPort, VISIBILITY_TIMEOUT, RECONCILE_EVERY,
                    STALLED_AFTER, WORKER_CONCURRENCY, data.secretsKey(), data.root().resolve(DataDirectory.METRICS_FILE)),
                    java.time.Clock.systemUTC(), overrides);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof BindException) {
                throw busy(apiPort, "the Syncline API", "--api-port");
            }
            throw e;
        }
    }

    private synchronized <T extends AutoCloseable> T track(T part) {
        if (closed) {
            // Stopped while starting (Ctrl-C): this part came up too late to be closed with the others.
            closeQuietly(part);
            throw new LocalStackException("Stopped while starting.");
        }
        started.add(part);
        return part;
    }

    Emulators emulators() {
        return emulators;
    }

    AwsStack aws() {
        return aws;
    }

    SampleApp app() {
        return app;
    }

    LocalSyncline syncline() {
        return syncline;
    }

    /** Whether any part started (and so there is something to stop). */
    synchronized boolean started() {
        return !started.isEmpty();
    }

    /** Closes every part once, the last started first; safe to call from a shutdown hook and again afterwards. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = started.size() - 1; i >= 0; i--) {
            closeQuietly(started.get(i));
        }
        CrtShutdown.release();
    }

    /**
     * The AWS CRT, whose HTTP client the functions use, frees its native event loops in a JVM shutdown hook of its
     * own. Running concurrently with ours, it would leave the functions' in-flight calls (the queue pollers' long
     * polls) waiting forever, and Ctrl-C would hang. Its public shutdown reference defers that until ours is done.
     * Reached by reflection because which HTTP client the functions use is the adapters' choice.
     */
    private static final class CrtShutdown {

        private static final String CRT = "software.amazon.awssdk.crt.CRT";
        private static boolean held;

        static synchronized void hold() {
            held = invoke("acquireShutdownRef");
        }

        static synchronized void release() {
            if (held) {
                held = !invoke("releaseShutdownRef");
            }
        }

        private static boolean invoke(String method) {
            try {
                Class.forName(CRT).getMethod(method).invoke(null);
                return true;
            } catch (ReflectiveOperationException | LinkageError absent) {
                return false;
            }
        }
    }

    private static void closeQuietly(AutoCloseable part) {
        try {
            part.close();
        } catch (Exception e) {
            // Shutting down: the other parts, dynalite above all, must still be stopped.
            System.err.println("did not stop cleanly: " + part.getClass().getSimpleName() + ": " + e);
        }
    }
}
