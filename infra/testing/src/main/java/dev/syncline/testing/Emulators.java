package dev.syncline.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The three AWS wire-protocol emulators, started together: SQS (ElasticMQ) and S3 (S3Proxy) inside this
 * JVM, DynamoDB (dynalite) as a child process. Closing stops all three.
 */
public final class Emulators implements AutoCloseable {

    /** Emulators accept any request signed with these keys; they protect nothing. */
    public static final String ACCESS_KEY_ID = "syncline";
    public static final String SECRET_ACCESS_KEY = "syncline-local";
    public static final String REGION = "us-east-1";

    private final DynaliteProcess dynalite;
    private final ElasticMqServer elasticMq;
    private final S3ProxyServer s3Proxy;
    private final AwsEndpoints endpoints;
    private final Duration startupTime;

    private Emulators(DynaliteProcess dynalite, ElasticMqServer elasticMq, S3ProxyServer s3Proxy, Duration startupTime) {
        this.dynalite = dynalite;
        this.elasticMq = elasticMq;
        this.s3Proxy = s3Proxy;
        this.startupTime = startupTime;
        this.endpoints = new AwsEndpoints(
                dynalite.endpoint(), elasticMq.endpoint(), s3Proxy.endpoint(), REGION, ACCESS_KEY_ID, SECRET_ACCESS_KEY);
    }

    /**
     * Where the emulators keep state and which ports they take.
     *
     * @param dataDirectory null keeps everything in memory; otherwise DynamoDB and S3 state is kept under it
     *     (SQS always lives in memory)
     * @param dynamoDbPort 0 for any free port
     */
    public record Options(Path dataDirectory, int dynamoDbPort, int sqsPort, int s3Port) {

        public static Options inMemory() {
            return new Options(null, 0, 0, 0);
        }
    }

    /** Starts all three in parallel; fails with a message saying what to fix if one cannot start. */
    public static Emulators start(Options options) {
        long started = System.nanoTime();
        Path dynamoDir = options.dataDirectory() == null ? null : options.dataDirectory().resolve("dynamodb");
        Path s3Dir = options.dataDirectory() == null ? null : options.dataDirectory().resolve("s3");
        createDirectories(dynamoDir, s3Dir);
        CompletableFuture<DynaliteProcess> dynalite =
                CompletableFuture.supplyAsync(() -> DynaliteProcess.start(options.dynamoDbPort(), dynamoDir));
        CompletableFuture<S3ProxyServer> s3 = CompletableFuture.supplyAsync(
                () -> S3ProxyServer.start(options.s3Port(), s3Dir, ACCESS_KEY_ID, SECRET_ACCESS_KEY));
        ElasticMqServer sqs = null;
        try {
            sqs = ElasticMqServer.start(options.sqsPort());
            return new Emulators(dynalite.join(), sqs, s3.join(), Duration.ofNanos(System.nanoTime() - started));
        } catch (RuntimeException e) {
            // Whatever did start must not outlive the failure.
            closeQuietly(sqs);
            dynalite.thenAccept(Emulators::closeQuietly);
            s3.thenAccept(Emulators::closeQuietly);
            throw e instanceof CompletionException && e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private static void createDirectories(Path... directories) {
        for (Path directory : directories) {
            if (directory != null) {
                try {
                    java.nio.file.Files.createDirectories(directory);
                } catch (java.io.IOException e) {
                    throw new EmulatorStartException("Cannot create the data directory " + directory + ": " + e.getMessage(), e);
                }
            }
        }
    }

    public AwsEndpoints endpoints() {
        return endpoints;
    }

    /** How long {@link #start} took, from the call to all three answering. */
    public Duration startupTime() {
        return startupTime;
    }

    /** The dynalite child's process id, so callers can check it is gone after {@link #close}. */
    public long dynamoDbProcessId() {
        return dynalite.pid();
    }

    @Override
    public void close() {
        closeQuietly(elasticMq);
        closeQuietly(s3Proxy);
        dynalite.close();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // Shutting down: the remaining emulators must still be stopped.
            System.err.println("emulator did not stop cleanly: " + e);
        }
    }
}
