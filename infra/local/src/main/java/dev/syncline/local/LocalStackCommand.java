package dev.syncline.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.local.conformance.ConformanceCommand;
import dev.syncline.sampleapp.ReceivedRequest;
import dev.syncline.testing.AwsEndpoints;
import dev.syncline.testing.EmulatorStartException;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./syncline-local}: Syncline on this machine. Starts the emulators with their state under a data directory,
 * creates the resources, starts the sample App and the four functions behind the HTTP API on localhost, runs a demo
 * synchronization through that API unless told not to, and serves until Ctrl-C.
 *
 * <p>Everything but this command's own lines (the functions' logs, the emulators' chatter) goes to the log file in
 * the data directory, so that the progress display stays readable.
 */
@Command(name = "syncline-local", sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Runs Syncline locally: AWS-protocol emulators (state kept in the data directory), the four functions behind the HTTP"
                    + " API on localhost, the sample App, and a demo synchronization of a generated catalog. Serves until Ctrl-C.",
            ""})
public final class LocalStackCommand implements Callable<Integer> {

    /** Set by the launcher: the checkout, in which the default data directory lives. */
    static final String CHECKOUT_PROPERTY = "syncline.checkout";

    @Option(names = "--products", paramLabel = "N", defaultValue = "3000",
            description = "Products in the demo catalog, with attributes, categories, variants and four languages (default: ${DEFAULT-VALUE}).")
    int products;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "incremental",
            description = "The demo run's mode: incremental or full (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--failure-rate", paramLabel = "R", defaultValue = "0",
            description = "Share of the sample App's answers that are transient failures (503), 0 to 1; Syncline retries them (default: ${DEFAULT-VALUE}).")
    double failureRate;

    @Option(names = "--aws-fault-rate", paramLabel = "R", defaultValue = "0",
            description = "Share of the functions' DynamoDB, S3 and SQS call attempts that fail as overloaded AWS does (4 in 5 throttled, the rest 5xx),"
                    + " 0 to 1; the SDK and Syncline retry them (default: ${DEFAULT-VALUE}).")
    double awsFaultRate;

    @Option(names = "--no-demo", description = "Start and serve, without the demo synchronization.")
    boolean noDemo;

    @Option(names = "--exit-after-demo", description = "Stop after the demo's summary instead of serving (for scripts and CI; with --no-demo: once started).")
    boolean exitAfterDemo;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where DynamoDB and S3 state, the API key and the log are kept (default: .syncline in the checkout).")
    Path dataDir;

    @Option(names = "--wipe", description = "Delete the data directory first: start from nothing.")
    boolean wipe;

    @Option(names = "--api-port", paramLabel = "PORT", defaultValue = "8080", description = "Port of the HTTP API (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int apiPort;

    @Option(names = "--app-port", paramLabel = "PORT", defaultValue = "8081", description = "Port of the sample App (default: ${DEFAULT-VALUE}).")
    int appPort;

    @Option(names = "--dynamodb-port", paramLabel = "PORT", defaultValue = "8000", description = "Port of DynamoDB, dynalite (default: ${DEFAULT-VALUE}).")
    int dynamoDbPort;

    @Option(names = "--sqs-port", paramLabel = "PORT", defaultValue = "9324", description = "Port of SQS, ElasticMQ (default: ${DEFAULT-VALUE}).")
    int sqsPort;

    @Option(names = "--s3-port", paramLabel = "PORT", defaultValue = "9444", description = "Port of S3, S3Proxy (default: ${DEFAULT-VALUE}).")
    int s3Port;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Spec
    CommandSpec spec;

    private final PrintStream out;
    private final PrintStream err;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile LocalStack stack;
    private volatile DataDirectory data;
    private Terminal terminal;
    /** The demo tenant's key, once the demo has made or read it. */
    private String tenantKey;

    LocalStackCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.out, System.err));
    }

    /** Runs the command; returns the exit code: 0 done, 1 failed, 2 bad usage. */
    static int execute(String[] args, PrintStream out, PrintStream err) {
        CommandLine command = new CommandLine(new LocalStackCommand(out, err))
                .addSubcommand("conformance", new ConformanceCommand(out));
        command.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        command.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        return command.execute(args);
    }

    @Override
    public Integer call() {
        StartupClock clock = StartupClock.fromSystem();
        validate();
        terminal = Terminal.detect(out, err, System.getenv());
        try {
            return run(clock);
        } catch (LocalStackException | EmulatorStartException e) {
            return fail(e.getMessage(), null);
        } catch (LinkageError e) {
            // A class missing from the class path: a build changed target/classes under this process.
            return fail("Syncline's classes are incomplete (" + e + "); was it being rebuilt? Start it again.", e);
        } catch (RuntimeException e) {
            return fail("Unexpected failure: " + e, e);
        } finally {
            // Serving ends in the shutdown hook instead; everything else ends here.
            stop();
        }
    }

    private int fail(String message, Throwable bug) {
        if (stopping.get()) {
            // Ctrl-C pulled the stack from under the demo; that is no failure worth a message.
            return 130;
        }
        terminal.error(message);
        if (bug != null) {
            bug.printStackTrace();
            if (data != null) {
                terminal.error("The log has the details: " + data.log());
            }
        }
        return 1;
    }

    private void validate() {
        if (products < 1) {
            throw new ParameterException(spec.commandLine(), "--products must be 1 or more, got " + products);
        }
        if (!mode.equals("incremental") && !mode.equals("full")) {
            throw new ParameterException(spec.commandLine(), "--mode must be incremental or full, got '" + mode + "'");
        }
        if (!(failureRate >= 0 && failureRate <= 1)) {
            throw new ParameterException(spec.commandLine(), "--failure-rate must be between 0 and 1, got " + failureRate);
        }
        if (!(awsFaultRate >= 0 && awsFaultRate <= 1)) {
            throw new ParameterException(spec.commandLine(), "--aws-fault-rate must be between 0 and 1, got " + awsFaultRate);
        }
        for (int port : List.of(apiPort, appPort, dynamoDbPort, sqsPort, s3Port)) {
            if (port < 0 || port > 65_535) {
                throw new ParameterException(spec.commandLine(), "a port must be 0 to 65535, got " + port);
            }
        }
    }

    private int run(StartupClock clock) {
        data = DataDirectory.open(dataDirectory(), wipe);
        boolean restarted = data.hasState();
        sendOtherOutputToLog(data.log());
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "syncline-local-shutdown"));
        terminal.println((restarted ? "Starting Syncline locally again with the state in " : "Starting Syncline locally, state in ")
                + data.root() + " ...");

        stack = new LocalStack();
        stack.start(data, new LocalStack.Ports(apiPort, appPort, dynamoDbPort, sqsPort, s3Port), failureRate, awsFaultRate);
        Instant started = Instant.now();
        LocalSyncline syncline = stack.syncline();
        SynclineClient api = new SynclineClient(syncline.apiUri(), syncline.apiKey());
        describeStack();
        showHistory(api);

        DemoRun demoRun = DemoRun.NONE;
        if (noDemo) {
            terminal.println(clock.report(started, Optional.empty()) + "; no App call (--no-demo).");
        } else {
            demoRun = runDemo(api, clock, started);
        }
        terminal.println();
        describeUrls(api, demoRun);
        if (exitAfterDemo) {
            return demoRun.exitCode();
        }
        terminal.println();
        terminal.println("Serving until Ctrl-C.");
        awaitShutdown();
        return 0;
    }

    /** What the demo leaves to show: its run, the installation's feed URL, and the exit code it calls for. */
    private record DemoRun(Optional<String> runId, Optional<String> feedUrl, int exitCode) {

        static final DemoRun NONE = new DemoRun(Optional.empty(), Optional.empty(), 0);
    }

    private DemoRun runDemo(SynclineClient api, StartupClock clock, Instant started) {
        Demo operator = new Demo(api, stack.app(), terminal, data.root().resolve("demo"));
        operator.register();
        tenantKey = data.tenantKey(operator::issueTenantKey);
        SynclineClient pim = new SynclineClient(stack.syncline().apiUri(), tenantKey);
        Demo.requireAccepted(pim, data.root().resolve(DataDirectory.TENANT_KEY_FILE));
        Demo demo = operator.actingAs(pim);
        String installation = demo.install();
        demo.configure(installation);
        terminal.println(clock.report(started, stack.app().receivedRequests().stream().findFirst().map(ReceivedRequest::receivedAt)));
        String snapshot = demo.upload(installation, products);
        String id = demo.trigger(installation, snapshot, mode);
        terminal.println("Synchronization " + id + " (" + mode + ") triggered:");
        JsonNode run = demo.follow(id);
        terminal.println();
        RunSummary.lines(run).forEach(terminal::println);
        String status = run.path("status").asText();
        return new DemoRun(Optional.of(id), demo.feedUrl(installation), status.equals("finished") || status.equals("finished_with_errors") ? 0 : 1);
    }

    private Path dataDirectory() {
        if (dataDir != null) {
            return dataDir;
        }
        String checkout = System.getProperty(CHECKOUT_PROPERTY);
        return (checkout == null ? Path.of("") : Path.of(checkout)).resolve(".syncline");
    }

    /** Keeps this command's lines alone on the console: the functions' JSON logs and the emulators' go to the log. */
    private static void sendOtherOutputToLog(Path log) {
        // Every log line is a JSON object with its timestamp; the logger writes to System.out as it is at each line.
        try {
            PrintStream file = new PrintStream(new FileOutputStream(log.toFile(), false), true, StandardCharsets.UTF_8);
            System.setOut(file);
            System.setErr(file);
        } catch (FileNotFoundException e) {
            throw new LocalStackException("Cannot write the log " + log + ": " + e.getMessage(), e);
        }
    }

    private void describeStack() {
        AwsEndpoints endpoints = stack.emulators().endpoints();
        terminal.println("  emulators   DynamoDB " + endpoints.dynamoDb() + " (dynalite, pid " + stack.emulators().dynamoDbProcessId()
                + "), SQS " + endpoints.sqs() + ", S3 " + endpoints.s3());
        terminal.println("  functions   api, planner, worker (" + LocalStack.WORKER_CONCURRENCY + " at once), reconciler (every "
                + LocalStack.RECONCILE_EVERY.toSeconds() + " s); queue visibility " + LocalStack.VISIBILITY_TIMEOUT.toSeconds() + " s (template: 720 s)"
                + (awsFaultRate > 0 ? "; " + Math.round(awsFaultRate * 100) + "% of their AWS calls fail" : ""));
        terminal.println("  sample App  " + stack.app().baseUri()
                + (failureRate > 0 ? "  (" + Math.round(failureRate * 100) + "% of its answers are 503s)" : ""));
        terminal.println("  API         " + stack.syncline().apiUri() + "/v1");
    }

    private void showHistory(SynclineClient api) {
        List<JsonNode> runs = Demo.earlierRuns(api);
        if (runs.isEmpty()) {
            return;
        }
        JsonNode latest = runs.getFirst();
        terminal.println("History: " + runs.size() + " earlier run" + (runs.size() == 1 ? "" : "s") + " in this data directory; latest "
                + latest.path("id").asText() + ", " + latest.path("status").asText() + ", "
                + RunProgress.terminal(latest.path("totals")) + " entries, " + latest.path("created_at").asText() + ".");
    }

    private void describeUrls(SynclineClient api, DemoRun demoRun) {
        URI base = stack.syncline().apiUri();
        String key = stack.syncline().apiKey();
        terminal.println(exitAfterDemo ? "Syncline ran locally at:" : "Syncline runs locally; Ctrl-C stops it.");
        terminal.println("  API base    " + base + "/v1  (header  Authorization: Bearer " + key + ")");
        terminal.println("  API key     " + key + "  (the operator's; kept in " + data.root().resolve(DataDirectory.API_KEY_FILE) + ")");
        if (tenantKey != null) {
            terminal.println("  tenant key  " + tenantKey + "  (tenant '" + Demo.TENANT_ID + "', the demo's PIM; kept in "
                    + data.root().resolve(DataDirectory.TENANT_KEY_FILE) + ")");
        }
        demoRun.runId().ifPresent(id -> {
            terminal.println("  demo run    " + base + "/v1/synchronizations/" + id);
            terminal.println("  try         curl -H 'Authorization: Bearer " + key + "' " + base + "/v1/synchronizations/" + id + "/entries");
        });
        demoRun.feedUrl().ifPresent(url -> terminal.println("  latest feed " + url + "  (the App's latest file; constant, no API key)"));
        terminal.println("  dashboard   " + (servesDashboard(api) ? base + "/" : "not available yet"));
        terminal.println("  sample App  " + stack.app().baseUri() + "  (what it received: " + stack.app().baseUri() + "/_sample/requests)");
        terminal.println("  log         " + data.log());
    }

    /** The dashboard is whatever the API serves at {@code /} as HTML. */
    private static boolean servesDashboard(SynclineClient api) {
        SynclineClient.Answer root = api.get("/");
        return root.status() == 200 && root.raw().headers().firstValue("Content-Type").orElse("").startsWith("text/html");
    }

    private static void awaitShutdown() {
        try {
            // The shutdown hook does the stopping; this thread only has to stay out of the way.
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes everything once: from the shutdown hook on Ctrl-C, or after the demo with --exit-after-demo. */
    private void stop() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        LocalStack running = stack;
        if (running != null && running.started()) {
            terminal.println();
            terminal.println("Stopping Syncline ...");
            running.close();
            terminal.println("Stopped.");
        } else if (running != null) {
            running.close();
        }
        if (data != null) {
            data.close();
        }
    }
}
