package dev.syncline.bench;

import dev.syncline.core.cost.AwsPrices;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.adapters.metrics.AwsCallCounter;
import dev.syncline.adapters.metrics.AwsCalls;
import dev.syncline.core.app.AppEvent;
import dev.syncline.core.installation.DispatchSettings;
import dev.syncline.local.LocalSyncline;
import dev.syncline.sampleapp.Faults;
import dev.syncline.sampleapp.ReceivedRequest;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.sampleapp.SampleConfiguration;
import dev.syncline.testing.AwsStack;
import dev.syncline.testing.Emulators;
import dev.syncline.testing.catalog.CatalogGenerator;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A first run of a generated catalog through the whole local stack (the real handlers of all four functions in
 * this JVM, the emulators, the sample App answering at once), with the template's worker concurrency; next to a
 * baseline that sends the same requests straight to a fresh sample App ({@link AppReplay}): Syncline after warm-up runs
 * of a smaller catalog through other installations, the baseline after replays that warm it up. Prints entries per
 * second for both, then the AWS calls the run made per 1 000 delivered entries ({@link AwsCallCounter}) and what
 * a million entries would cost at list prices ({@link RunCost}).
 *
 * <p>Usage: {@code EndToEndBenchmark [products] [template.yaml]} (default 10 000 products). The local stack's
 * output goes to {@code target/end-to-end-bench/local-stack.log}.
 */
public final class EndToEndBenchmark {

    private static final String APP_ID = "sample-feed";
    private static final long SEED = 42;
    private static final List<String> EVENTS = Arrays.stream(AppEvent.values()).map(AppEvent::wireName).toList();
    private static final List<String> FEATURES = List.of("synchronization", "synchronization_full", "synchronization_file_download",
            "synchronization_file_download_latest");
    /** Requests one chunk keeps in flight: Services.PARALLEL_REQUESTS_PER_CHUNK. */
    static final int REQUESTS_PER_CHUNK = 8;
    /** The work queue's visibility timeout in the template: no message comes back during a healthy run. */
    private static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(720);
    /** As on AWS: the reconciler's schedule runs every minute. */
    private static final Duration RECONCILE_EVERY = Duration.ofMinutes(1);
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(30);
    /** One product in this many is changed for the steady-state run. */
    private static final int STEADY_CHANGED_SHARE = 10;
    /** The catalog of the runs that warm the JVM up before the measured one. */
    private static final int WARM_UP_PRODUCTS = 5_000;
    /**
     * How many warm-up runs: the JIT compilers' threads took 33 to 39 % of each of the first seven runs' CPU, then 17 to 29 %
     * of each up to the sixteenth (two benchmarks of sixteen warm-up runs, measured with the threads' CPU): eight, as
     * more do not settle the compiling further. A fixed four left them 2.1 to 4.9 s of the measured run's 6.3 to
     * 9.3 s of JVM CPU (then counted as the elapsed time the JVM reports), compiling with C2 for the first time code that
     * had not run often enough yet (the AWS SDK's, the HTTP client's and server's, Syncline's per-chunk code).
     */
    private static final int WARM_UP_RUNS = 8;
    /**
     * When the baseline counts as warm: once the JIT compilers' threads took less than this share of one replay's CPU.
     * Its code is far smaller than Syncline's and settles after two or three replays. Its measured replays used to take
     * 1.5 to 2.5 s of the JIT compilers' elapsed time in 4 to 5 s, which made the baseline slow and the ratio look
     * better than it was.
     */
    private static final double JIT_SETTLED = 0.10;
    /** The most baseline replays that only warm up, before the measured ones. */
    private static final int MAX_BASELINE_WARM_UPS = 10;
    /** What a slow App takes per request in the measure where latency, not CPU, sets the pace. */
    private static final Duration SLOW_APP = Duration.ofMillis(50);
    /** How many times the baseline is replayed; the median counts. */
    private static final int BASELINE_REPLAYS = 3;
    /** The run's last writes follow its synchronization_ended; it is over when the counter stops moving this long. */
    private static final Duration SETTLED_AFTER = Duration.ofMillis(1500);
    private static final double GOAL_DOLLARS_PER_MILLION = 0.50;
    /** The targets of the cost work: dollars and AWS requests per delivered entry, delivery rate against the App alone. */
    private static final double TARGET_DOLLARS_PER_MILLION = 0.25;
    private static final double TARGET_REQUESTS_PER_ENTRY = 0.10;
    private static final double TARGET_RATIO = 0.6;

    private EndToEndBenchmark() {
    }

    /** What the run through the local stack showed. */
    private record Run(int products, String status, long planned, long delivered, List<ReceivedRequest> appRequests, long resourceRequests,
            long nanos, CpuClock.Usage cpu, long deliveryNanos, int window, int workerConcurrency, RunCost.Measured measured, AwsCalls runsOwn, JsonNode recordedCost,
            JsonNode changedRun, JsonNode nextChangedRun, JsonNode unchangedRun, SlowApp slow, Warm warm) {

        int appConcurrency() {
            return window * REQUESTS_PER_CHUNK;
        }
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        int products = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 10_000;
        TemplateSettings template = TemplateSettings.read(Path.of(args.length > 1 ? args[1] : "template.yaml"));
        Path work = Path.of("target", "end-to-end-bench").toAbsolutePath();
        Files.createDirectories(work);
        Path snapshot = work.resolve("catalog-" + products + ".ndjson.gz");
        if (!Files.exists(snapshot)) {
            CatalogGenerator.create(SEED, products).writeTo(snapshot);
        }

        Run run;
        LogMeter logs = LogMeter.install(work.resolve("local-stack.log"));
        PrintStream console = logs.console();
        try {
            console.printf("First run of %,d products through the local stack, worker concurrency %d (template.yaml)...%n",
                    products, template.workerMaximumConcurrency());
            run = runThroughSyncline(products, snapshot, template, logs, console);
        } finally {
            logs.close();
        }
        console.printf("Baseline: the same %,d requests straight to a fresh sample App, %d in flight, " + BASELINE_REPLAYS + " times...%n",
                run.appRequests().size(), run.appConcurrency());
        // Replays warm the baseline's code up as the warm-up runs did Syncline's, until the JIT compilers settle.
        Warm baselineWarm = null;
        for (int replay = 1; baselineWarm == null; replay++) {
            AppReplay.Result result = replay(run);
            double jitShare = result.cpu().jitShare();
            console.printf("  warm-up replay %d: %.2f s, the JIT compilers %.0f %% of its CPU%n", replay, result.seconds(), 100 * jitShare);
            if (jitShare < JIT_SETTLED || replay == MAX_BASELINE_WARM_UPS) {
                baselineWarm = new Warm(replay, jitShare);
            }
        }
        // The replay takes a few seconds and moves with whatever else the machine does: its median of three is the baseline.
        List<AppReplay.Result> replays = new ArrayList<>();
        for (int replay = 0; replay < BASELINE_REPLAYS; replay++) {
            replays.add(replay(run));
        }
        console.printf("Baseline of the slow App: its %,d requests straight to a fresh sample App taking %d ms per request...%n",
                run.slow().appRequests().size(), SLOW_APP.toMillis());
        AppReplay.Result slowBaseline = AppReplay.replay(run.slow().appRequests(), run.appConcurrency(), Faults.none().withLatency(SLOW_APP));
        if (slowBaseline.failed() > 0) {
            throw new IllegalStateException(slowBaseline.failed() + " of the slow App's baseline requests were not answered 2xx");
        }
        print(console, run, baselineWarm, replays, slowBaseline, template);
    }

    private static AppReplay.Result replay(Run run) throws Exception {
        collectGarbage();
        AppReplay.Result result = AppReplay.replay(run.appRequests(), run.appConcurrency(), Faults.none());
        if (result.failed() > 0) {
            throw new IllegalStateException(result.failed() + " of the baseline's requests were not answered 2xx");
        }
        return result;
    }

    /**
     * A full collection before a measured stretch, as each side's own garbage is its own to collect: sixteen warm-up
     * runs left about a gigabyte behind (the requests the App recorded, as trees), and collecting it during the measured
     * run took the collectors' threads 2.0 to 3.1 s of CPU there, against 1.1 to 1.2 s once it was collected before.
     */
    private static void collectGarbage() {
        System.gc();
    }

    /**
     * How a side was warmed up before it was measured.
     *
     * @param runs the warm-up runs (or replays)
     * @param jitShare the share of the JVM's CPU the JIT compilers used during the last of them
     */
    record Warm(int runs, double jitShare) {
    }

    private static Run runThroughSyncline(int products, Path snapshot, TemplateSettings template, LogMeter logs, PrintStream console)
            throws Exception {
        try (Emulators emulators = Emulators.start(Emulators.Options.inMemory());
                AwsStack stack = AwsStack.create(emulators.endpoints(), "bench");
                // Every request of the measured run kept, however large the catalog: the slow App's run comes before it.
                SampleApp app = SampleApp.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        Math.max(SampleApp.RECORDED_REQUESTS, 2 * products));
                LocalSyncline syncline = LocalSyncline.start(options(stack, template))) {
            SynclineApi api = new SynclineApi(syncline.apiUri(), syncline.apiKey());
            api.put("/v1/apps/" + APP_ID, manifest(app.baseUri())).expect(201, "Registering the sample App");
            SynclineApi.Answer installed = install(api, "Bench shop");
            String installation = installed.body().path("id").asText();
            int window = installed.body().path("concurrency_window").asInt(DispatchSettings.DEFAULT.concurrencyWindow());
            Warm warm = warmUp(api, app, snapshot.resolveSibling("warm-up-" + WARM_UP_PRODUCTS + ".ndjson.gz"), console);
            // Before the measured run, so that it warms the JVM up further (the baselines replay after everything).
            SlowApp slow = slowAppRun(api, app, snapshot, console);
            app.reset();
            collectGarbage();

            // From here to the run's last write is what one run costs: the snapshot upload included.
            long apiRequestsBefore = api.requests();
            long apiNanosBefore = api.nanos();
            InvocationTimer.reset();
            AwsCalls before = AwsCallCounter.shared().snapshot();
            AwsCalls stackBefore = syncline.stackCalls();
            logs.measuring(true);
            Instant startedAt = Instant.now();
            long started = System.nanoTime();
            CpuClock.Usage cpuBefore = CpuClock.used();

            Triggered triggered = uploadAndTrigger(api, installation, snapshot);
            String runId = triggered.runId();
            app.awaitReceivedRequests(request -> "synchronization_ended".equals(request.event())
                    && runId.equals(request.synchronizationId().orElse(null)), 1, RUN_TIMEOUT);
            long nanos = System.nanoTime() - started;
            CpuClock.Usage cpu = CpuClock.used().minus(cpuBefore);
            AwsCalls calls = settled(before);
            // What the run's own record can be held against: the count without the calls no run records.
            AwsCalls runsOwn = calls.minus(triggered.uploadCalls()).minus(syncline.stackCalls().minus(stackBefore));
            logs.measuring(false);

            InvocationTimer.Spans workers = InvocationTimer.spans(stack.names().workQueueUrl());
            InvocationTimer.Spans planners = InvocationTimer.spans(stack.names().controlQueueUrl());
            long apiRequests = api.requests() - apiRequestsBefore;
            long apiNanos = api.nanos() - apiNanosBefore;

            JsonNode ended = api.get("/v1/synchronizations/" + runId).expect(200, "Reading the run").body();
            long planned = 0;
            long delivered = 0;
            for (JsonNode phase : ended.path("phases")) {
                planned += phase.path("planned").asLong();
                delivered += phase.path("succeeded").asLong();
            }
            List<ReceivedRequest> appRequests = app.receivedRequests(request -> !request.receivedAt().isBefore(startedAt)
                    && !request.path().equals("/handshake"));
            List<Instant> resourceTimes = resourceTimes(appRequests);
            long deliveryNanos = spanNanos(resourceTimes);
            RunCost.Measured measured = new RunCost.Measured(delivered, calls, workers, planners, apiRequests, apiNanos, logs.bytes(), 1);

            // Steady state: the same catalog with a tenth of its products changed, then another tenth, then unchanged. The
            // first incremental run also takes in the first run's delivery records (building the base shards of the
            // delivered state when they outnumber the shards); the next one is what each later run costs. Their costs are
            // what the runs recorded themselves (checked against the count above).
            int changes = products / STEADY_CHANGED_SHARE;
            console.printf("Incremental runs with %,d of the products changed, twice, then one with nothing changed...%n", changes);
            CatalogGenerator once = CatalogGenerator.create(SEED, products).edit().changeTranslations(changes).apply();
            Path changed = snapshot.resolveSibling("catalog-" + products + "-changed.ndjson.gz");
            once.writeTo(changed);
            Path changedAgain = snapshot.resolveSibling("catalog-" + products + "-changed-again.ndjson.gz");
            once.edit().changeTranslations(changes).apply().writeTo(changedAgain);
            JsonNode changedRun = followUpRun(api, installation, changed);
            JsonNode nextChangedRun = followUpRun(api, installation, changedAgain);
            JsonNode unchangedRun = followUpRun(api, installation, changedAgain);
            return new Run(products, ended.path("status").asText(), planned, delivered, appRequests, resourceTimes.size(), nanos, cpu, deliveryNanos,
                    window, template.workerMaximumConcurrency(), measured, runsOwn, ended.path("cost"), changedRun, nextChangedRun, unchangedRun, slow,
                    warm);
        }
    }

    /** The first run of the same catalog to an App that takes {@link #SLOW_APP} per request: what it sent, and how fast. */
    private record SlowApp(List<ReceivedRequest> appRequests, long resourceRequests, long deliveryNanos) {
    }

    /**
     * The same catalog's first run through a new installation while the App takes {@link #SLOW_APP} to answer each
     * request, as an App calling a shop's API does: the App's latency, not this machine's two cores, sets the pace.
     */
    private static SlowApp slowAppRun(SynclineApi api, SampleApp app, Path snapshot, PrintStream console) throws InterruptedException {
        console.printf("First run of the same catalog to an App taking %d ms per request...%n", SLOW_APP.toMillis());
        String installation = install(api, "Slow shop").body().path("id").asText();
        app.setFaults(Faults.none().withLatency(SLOW_APP));
        try {
            Instant startedAt = Instant.now();
            String runId = uploadAndTrigger(api, installation, snapshot).runId();
            app.awaitReceivedRequests(request -> "synchronization_ended".equals(request.event())
                    && runId.equals(request.synchronizationId().orElse(null)), 1, RUN_TIMEOUT);
            settled(api, runId); // its last writes must not count in the measured run's
            List<ReceivedRequest> sent = app.receivedRequests(request -> !request.receivedAt().isBefore(startedAt)
                    && !request.path().equals("/handshake") && installation.equals(request.installationId().orElse(null)));
            List<Instant> times = resourceTimes(sent);
            return new SlowApp(sent, times.size(), spanNanos(times));
        } finally {
            app.setFaults(Faults.none());
        }
    }

    /** When the App accepted each resource's request, in order. */
    private static List<Instant> resourceTimes(List<ReceivedRequest> requests) {
        return requests.stream()
                .filter(request -> request.isConsume() && request.outcome() == ReceivedRequest.Outcome.ACCEPTED
                        && !request.event().startsWith("synchronization_"))
                .map(ReceivedRequest::receivedAt)
                .sorted()
                .toList();
    }

    private static long spanNanos(List<Instant> times) {
        return times.isEmpty() ? 0 : Duration.between(times.getFirst(), times.getLast()).toNanos();
    }

    /**
     * A triggered run, and the AWS calls of the request for its upload URL: made before the run exists, they are in
     * the benchmark's count of the run's cost but in no run's record.
     */
    private record Triggered(String runId, AwsCalls uploadCalls) {
    }

    /** Uploads {@code snapshot} through the presigned URL and triggers an incremental run of it. */
    private static Triggered uploadAndTrigger(SynclineApi api, String installation, Path snapshot) {
        AwsCalls beforeUpload = AwsCallCounter.shared().snapshot();
        SynclineApi.Answer upload = api.post("/v1/installations/" + installation + "/snapshots", Map.of()).expect(201, "Asking for an upload URL");
        AwsCalls uploadCalls = AwsCallCounter.shared().snapshot().minus(beforeUpload);
        Map<String, String> headers = new HashMap<>();
        upload.body().path("upload_headers").properties().forEach(header -> headers.put(header.getKey(), header.getValue().asText()));
        int uploaded = api.upload(URI.create(upload.body().path("upload_url").asText()), headers, snapshot);
        if (uploaded / 100 != 2) {
            throw new IllegalStateException("the presigned snapshot upload answered " + uploaded);
        }
        String runId = api.post("/v1/installations/" + installation + "/synchronizations",
                        Map.of("mode", "incremental", "snapshot_id", upload.body().path("snapshot_id").asText()))
                .expect(202, "Triggering the run").body().path("synchronization").path("id").asText();
        return new Triggered(runId, uploadCalls);
    }

    /**
     * Installs the sample App and configures it (the sample App refuses events until configured, like real Apps):
     * before the clock starts.
     */
    private static SynclineApi.Answer install(SynclineApi api, String name) {
        SynclineApi.Answer installed = api.post("/v1/installations",
                Map.of("app_id", APP_ID, "name", name, "api_url", "https://pim.example.com/api")).expect(201, "Installing " + name);
        String installation = installed.body().path("id").asText();
        for (int index = 0; index < SampleConfiguration.EXAMPLE.size(); index++) {
            api.post("/v1/installations/" + installation + "/configuration", Map.of("index", index,
                    "configuration", tree(SampleConfiguration.EXAMPLE.get(index)))).expect(200, "Configuring step " + index);
        }
        return installed;
    }

    /**
     * Whole runs of a smaller catalog, each through another installation, before anything is measured: the baseline
     * warms up with replays of its own, and the measured run must not pay for the compiling alone (a quarter of the
     * machine's CPU went to it during a cold run's delivery). A warm function instance, as Lambda keeps one between a
     * run's chunks and between runs, is what both sides then measure.
     */
    private static Warm warmUp(SynclineApi api, SampleApp app, Path catalog, PrintStream console) throws Exception {
        console.printf("Warming up: %d first runs of %,d other products, each through another installation...%n", WARM_UP_RUNS, WARM_UP_PRODUCTS);
        if (!Files.exists(catalog)) {
            CatalogGenerator.create(SEED + 1, WARM_UP_PRODUCTS).writeTo(catalog);
        }
        double jitShare = 0;
        for (int i = 1; i <= WARM_UP_RUNS; i++) {
            String installation = install(api, "Warm-up shop " + i).body().path("id").asText();
            CpuClock.Usage before = CpuClock.used();
            JsonNode run = followUpRun(api, installation, catalog);
            jitShare = CpuClock.used().minus(before).jitShare();
            if (!"finished".equals(run.path("status").asText())) {
                throw new IllegalStateException("warm-up run " + i + " ended " + run.path("status").asText() + ": " + run);
            }
            console.printf("  warm-up run %d: the JIT compilers %.0f %% of its CPU%n", i, 100 * jitShare);
            // The App keeps the requests it received (as trees) for the benchmark to read: a warm-up's are never read.
            app.reset();
        }
        return new Warm(WARM_UP_RUNS, jitShare);
    }

    /** Uploads {@code snapshot}, runs it incrementally and answers the ended run once its recorded cost settled. */
    private static JsonNode followUpRun(SynclineApi api, String installation, Path snapshot) throws InterruptedException {
        return settled(api, uploadAndTrigger(api, installation, snapshot).runId());
    }

    /** The run once it ended and its recorded cost stopped changing: its last writes are behind it. */
    private static JsonNode settled(SynclineApi api, String runId) throws InterruptedException {
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        JsonNode run = null;
        JsonNode lastCost = null;
        while (System.nanoTime() < deadline) {
            Thread.sleep(SETTLED_AFTER.toMillis());
            run = api.get("/v1/synchronizations/" + runId).expect(200, "Reading the run").body();
            boolean ended = !run.path("ended_at").isNull();
            if (ended && run.path("cost").equals(lastCost)) {
                return run;
            }
            lastCost = ended ? run.path("cost") : null;
        }
        throw new IllegalStateException("run " + runId + " did not end, or its cost kept changing, within " + RUN_TIMEOUT + ": " + run);
    }

    /** The test stack's options with the template's timings and worker concurrency. */
    private static LocalSyncline.Options options(AwsStack stack, TemplateSettings template) {
        LocalSyncline.Options tests = LocalSyncline.Options.forTests(stack);
        return new LocalSyncline.Options(stack, tests.apiKey(), 0, VISIBILITY_TIMEOUT, RECONCILE_EVERY, VISIBILITY_TIMEOUT,
                template.workerMaximumConcurrency(), tests.secretsKey(), tests.metricsFile());
    }

    /** The calls since {@code before}, once nothing but idle polls has been counted for {@link #SETTLED_AFTER}. */
    private static AwsCalls settled(AwsCalls before) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long lastActivity = -1;
        long quietSince = System.nanoTime();
        while (true) {
            AwsCalls calls = AwsCallCounter.shared().snapshot().minus(before);
            long activity = calls.operations().values().stream().mapToLong(AwsCalls.Count::calls).sum()
                    - calls.of("Sqs", "ReceiveMessage").empty();
            if (activity != lastActivity) {
                lastActivity = activity;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > SETTLED_AFTER.toNanos() || System.nanoTime() > deadline) {
                return calls;
            }
            Thread.sleep(100);
        }
    }

    private static JsonNode tree(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the sample App's configuration is JSON", e);
        }
    }

    private static Map<String, Object> manifest(URI appUrl) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("name", "Sample feed");
        manifest.put("description", "The reference App, answering at once.");
        manifest.put("version", "1.0.0");
        manifest.put("compatible", "1.0.0");
        manifest.put("url", appUrl.toString());
        manifest.put("features", FEATURES);
        manifest.put("events", EVENTS);
        manifest.put("configuration_schema", tree(SampleConfiguration.SCHEMA));
        return manifest;
    }

    // ---- the tables ----------------------------------------------------------------------------------

    private static void print(PrintStream out, Run run, Warm baselineWarm, List<AppReplay.Result> replays, AppReplay.Result slowBaseline,
            TemplateSettings template) {
        AppReplay.Result baseline = replays.stream().sorted(Comparator.comparingLong(AppReplay.Result::nanos)).toList().get(replays.size() / 2);
        RunCost.Measured measured = run.measured();
        double seconds = run.nanos() / 1e9;
        double deliverySeconds = run.deliveryNanos() / 1e9;
        double baselineRate = run.resourceRequests() / baseline.seconds();
        out.println();
        out.printf("b. End-to-end first run: %,d products, run %s, %,d entries planned, %,d delivered (%,d App requests in all);%n",
                run.products(), run.status(), run.planned(), run.delivered(), run.appRequests().size());
        out.printf("   worker concurrency %d, App concurrency at most %d (window %d chunks x %d requests per chunk)%n",
                run.workerConcurrency(), run.appConcurrency(), run.window(), REQUESTS_PER_CHUNK);
        out.printf("   both on a warm JVM: syncline measured after %d first runs of %,d other products, each through another installation,%n"
                + "   the JIT compilers %.0f %% of the last one's CPU; the baseline after %d replays, the JIT compilers %.0f %% of the last one's%n",
                run.warm().runs(), WARM_UP_PRODUCTS, 100 * run.warm().jitShare(), baselineWarm.runs(), 100 * baselineWarm.jitShare());
        out.printf("%-58s %9s %11s %7s%n", "path", "seconds", "entries/s", "ratio");
        out.printf("%-58s %9.2f %,11.0f %7.2f%n", "baseline: same requests straight to the App (median of " + replays.size() + ")",
                baseline.seconds(), baselineRate, 1.0);
        out.printf("%-58s %9.2f %,11.0f %7.2f%n", "syncline: upload + trigger -> synchronization_ended", seconds,
                run.delivered() / seconds, run.delivered() / seconds / baselineRate);
        out.printf("%-58s %9.2f %,11.0f %7.2f%n", "syncline: first -> last entry delivered", deliverySeconds,
                run.resourceRequests() / deliverySeconds, run.resourceRequests() / deliverySeconds / baselineRate);

        double slowSeconds = run.slow().deliveryNanos() / 1e9;
        double slowBaselineRate = run.slow().resourceRequests() / slowBaseline.seconds();
        out.printf("%-58s %9.2f %,11.0f %7.2f%n", "baseline, App taking " + SLOW_APP.toMillis() + " ms per request", slowBaseline.seconds(),
                slowBaselineRate, 1.0);
        out.printf("%-58s %9.2f %,11.0f %7.2f%n", "syncline, same App: first -> last entry delivered", slowSeconds,
                run.slow().resourceRequests() / slowSeconds, run.slow().resourceRequests() / slowSeconds / slowBaselineRate);
        out.printf("   the baseline's replays took %s s%n", String.join(", ", replays.stream().map(r -> String.format("%.2f", r.seconds())).toList()));
        double baselineCpu = baseline.cpu().total().toNanos() / 1e9;
        double synclineCpu = run.cpu().total().toNanos() / 1e9;
        out.printf("   CPU used (this JVM and dynalite; %d cores): baseline %.1f s, %.2f ms per request; syncline (upload + trigger ->%n"
                + "   synchronization_ended) %.1f s, %.2f ms per entry: %.1f times the baseline's CPU per entry%n",
                Runtime.getRuntime().availableProcessors(), baselineCpu, baselineCpu * 1000 / baseline.requests(), synclineCpu,
                synclineCpu * 1000 / run.delivered(), (synclineCpu / run.delivered()) / (baselineCpu / baseline.requests()));
        for (Map.Entry<String, CpuClock.Usage> side : List.of(Map.entry("baseline", baseline.cpu()), Map.entry("syncline", run.cpu()))) {
            CpuClock.Usage usage = side.getValue();
            out.printf("   %s: this JVM %.1f s (in the kernel %.1f s, %,d page faults; its collectors' threads %.1f s, its JIT compilers' %.1f s),"
                    + " dynalite %.1f s%n",
                    side.getKey(), usage.jvm().toMillis() / 1000.0, usage.kernel().toMillis() / 1000.0, usage.pageFaults(),
                    usage.gc().toMillis() / 1000.0, usage.jit().toMillis() / 1000.0, usage.children().toMillis() / 1000.0);
            out.printf("     busiest threads: %s%n", usage.busiestThreads(6));
        }

        out.println();
        out.printf("c. AWS requests per 1 000 delivered entries (%,d entries), counted by AwsCallCounter%n", measured.entries());
        out.printf("%-9s %-28s %8s %10s %7s %9s %9s %10s%n", "service", "operation", "calls", "per 1000", "errors", "RCU/1000", "WCU/1000",
                "$/M entr.");
        AwsPrices prices = AwsPrices.US_EAST_1;
        double perThousand = 1000.0 / measured.entries();
        for (Map.Entry<AwsCalls.Operation, AwsCalls.Count> entry : measured.calls().operations().entrySet()) {
            AwsCalls.Operation operation = entry.getKey();
            AwsCalls.Count count = entry.getValue();
            double dollars = switch (operation.service()) {
                case "DynamoDb" -> count.allReadUnits() * prices.dynamoDbPerMillionReadUnits() / 1e6
                        + count.allWriteUnits() * prices.dynamoDbPerMillionWriteUnits() / 1e6;
                case "Sqs" -> AwsCalls.billed(operation, count) * prices.sqsPerMillionRequests() / 1e6;
                case "S3" -> count.attempts() * switch (prices.s3Class(operation.operation())) {
                    case PUT -> prices.s3PerThousandPuts() / 1000;
                    case GET -> prices.s3PerThousandGets() / 1000;
                    case FREE -> 0.0;
                };
                default -> 0.0;
            };
            String name = operation.operation().equals("ReceiveMessage") && count.empty() > 0
                    ? "ReceiveMessage (" + count.empty() + " idle)" : operation.operation();
            long calls = operation.operation().equals("ReceiveMessage") ? count.calls() - count.empty() : count.calls();
            out.printf("%-9s %-28s %8d %10.2f %7d %9s %9s %10.4f%n", operation.service(), name, calls, calls * perThousand, count.errors(),
                    units(count.allReadUnits() * perThousand, count.estimatedReadUnits()),
                    units(count.allWriteUnits() * perThousand, count.estimatedWriteUnits()), dollars * 1e6 / measured.entries());
        }
        AwsCalls.Count dynamoDb = measured.calls().total("DynamoDb");
        out.printf("DynamoDB units: %.1f RCU and %.1f WCU reported by dynalite (table only: it reports no index writes), "
                        + "%.1f RCU and %.1f WCU estimated from item sizes where nothing was reported (failed conditional writes)%n",
                dynamoDb.readUnits(), dynamoDb.writeUnits(), dynamoDb.estimatedReadUnits(), dynamoDb.estimatedWriteUnits());
        out.printf("* includes estimated units. Idle ReceiveMessage calls are the emulated event source mapping's long polls: a fixed cost per hour, not per entry.%n");

        out.println();
        out.printf("Cost per million delivered entries at us-east-1 list prices:%n");
        prices.describe(template.architecture()).forEach(line -> out.println("  " + line));
        RunCost cost = new RunCost(prices, template, measured);
        cost.print(out, GOAL_DOLLARS_PER_MILLION);
        out.println("Not included: storage (S3, DynamoDB), the reconciler's schedule and the event source mappings' idle polls (fixed per hour),"
                + " data transfer (none within the region), the App's own costs. Durations measured on this shared 2-core machine,"
                + " emulators included.");

        out.println();
        out.printf("d. Targets, first run of %,d products, App answering at once%n", run.products());
        out.printf("%-58s %10s %10s %6s%n", "figure", "measured", "target", "met");
        target(out, "cost per million delivered entries ($)", cost.total(), TARGET_DOLLARS_PER_MILLION, true);
        target(out, "AWS requests per delivered entry", billedRequests(measured.calls()) / (double) measured.entries(),
                TARGET_REQUESTS_PER_ENTRY, true);
        target(out, "entries/s vs straight to the App (first -> last entry)", run.resourceRequests() / deliverySeconds / baselineRate,
                TARGET_RATIO, false);
        target(out, "same, the App taking " + SLOW_APP.toMillis() + " ms per request",
                run.slow().resourceRequests() / (run.slow().deliveryNanos() / 1e9) / (run.slow().resourceRequests() / slowBaseline.seconds()),
                TARGET_RATIO, false);
        out.println();
        out.printf("e. The run's own record of what it used (GET /v1/synchronizations/{id}: cost) against the benchmark's count%n");
        RecordedUsageCheck.print(out, run.recordedCost(), measured, run.runsOwn(), template, prices);

        out.println();
        out.printf("f. Steady state, as the runs recorded their cost (AWS requests, DynamoDB units, Lambda; %s prices)%n",
                prices.asOf());
        double unchangedUsd = run.unchangedRun().path("cost").path("estimated_usd").asDouble();
        out.printf("%-70s %14s %10s%n", "figure", "measured", "target");
        out.printf("%-70s %,14d %10s%n", "first incremental run, %d %% of %,d products changed: entries delivered"
                .formatted(100 / STEADY_CHANGED_SHARE, run.products()), entries(run.changedRun()), "");
        out.printf("%-70s %14.4f %10s%n", "  $ per million delivered entries (takes in the first run's records)", usdPerMillion(run.changedRun()), "");
        out.printf("%-70s %,14d %10s%n", "next incremental run, another %d %% changed: entries delivered".formatted(100 / STEADY_CHANGED_SHARE),
                entries(run.nextChangedRun()), "");
        out.printf("%-70s %14.4f %10s%n", "  $ per million delivered entries", usdPerMillion(run.nextChangedRun()), "<= 0.25");
        out.printf("%-70s %14.6f %10s%n", "fixed cost of a run of %,d unchanged products (nothing to send), $".formatted(run.products()),
                unchangedUsd, "");
        out.printf("%-70s %14.4f %10s%n", "  extrapolated linearly to 1 000 000 unchanged products, $", unchangedUsd * 1e6 / run.products(),
                "<= 0.02");
        out.printf("The first incremental run's largest services: %s; Lambda by function: %s.%n",
                largestServices(run.changedRun().path("cost")), lambdaByFunction(run.changedRun().path("cost")));
        out.printf("The next incremental run's largest services: %s; Lambda by function: %s.%n",
                largestServices(run.nextChangedRun().path("cost")), lambdaByFunction(run.nextChangedRun().path("cost")));
        out.printf("The unchanged run planned %d entries; its largest services: %s.%n",
                run.unchangedRun().path("totals").path("planned").asLong(), largestServices(run.unchangedRun().path("cost")));
    }

    private static long entries(JsonNode run) {
        return run.path("totals").path("succeeded").asLong();
    }

    private static double usdPerMillion(JsonNode run) {
        return run.path("cost").path("estimated_usd").asDouble() * 1e6 / Math.max(1, entries(run));
    }

    private static void target(PrintStream out, String figure, double measured, double target, boolean atMost) {
        boolean met = atMost ? measured <= target : measured >= target;
        out.printf("%-58s %10.3f %10s %6s%n", figure, measured, (atMost ? "<= " : ">= ") + target, met ? "yes" : "NO");
    }

    /** AWS requests the run made: every counted call but the event source mappings' idle long polls (a fixed cost per hour). */
    private static long billedRequests(AwsCalls calls) {
        long requests = 0;
        for (Map.Entry<AwsCalls.Operation, AwsCalls.Count> entry : calls.operations().entrySet()) {
            AwsCalls.Count count = entry.getValue();
            requests += entry.getKey().operation().equals("ReceiveMessage") ? count.calls() - count.empty() : count.calls();
        }
        return requests;
    }

    private static String largestServices(JsonNode cost) {
        List<Map.Entry<String, JsonNode>> services = new java.util.ArrayList<>();
        cost.path("services").properties().forEach(services::add);
        services.sort((a, b) -> Double.compare(b.getValue().path("estimated_usd").asDouble(), a.getValue().path("estimated_usd").asDouble()));
        return String.join(", ", services.stream().limit(3)
                .map(service -> "%s $%.6f".formatted(service.getKey(), service.getValue().path("estimated_usd").asDouble())).toList());
    }

    /** Each function's invocations and GB-seconds in a run's recorded cost. */
    private static String lambdaByFunction(JsonNode cost) {
        List<String> functions = new java.util.ArrayList<>();
        cost.path("services").path("lambda").path("operations").properties().forEach(function -> functions.add("%s %d x, %.2f GB-s"
                .formatted(function.getKey(), function.getValue().path("requests").asLong(), function.getValue().path("gb_seconds").asDouble())));
        return String.join(", ", functions);
    }

    private static String units(double perThousand, double estimated) {
        if (perThousand == 0) {
            return "-";
        }
        return String.format("%.2f%s", perThousand, estimated > 0 ? "*" : "");
    }
}
