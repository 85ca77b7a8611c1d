package dev.syncline.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.sampleapp.Faults;
import dev.syncline.sampleapp.ReceivedRequest;
import dev.syncline.sampleapp.SampleApp;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Syncline under faults, end to end: the local stack's functions and emulators ({@link FaultStack}), the sample App's
 * fault injector, and injected AWS throttles, errors, duplicate messages and crashes. Each scenario runs real
 * synchronizations through the HTTP API and then checks {@link FaultChecks}' rules on every run, including the next
 * incremental run once the faults stop.
 *
 * <p>Two scales: {@link Scale#SHORT} for the build's test ({@code FaultSuiteTest}), {@link Scale#LONG} for the command
 * in docs/operations.md, which prints a table ({@link #main}).
 */
public final class FaultSuite implements AutoCloseable {

    /** A scenario: what is injected. */
    public enum Scenario {
        APP_TRANSIENT("30 % transient App faults (429 + Retry-After, 503, timeouts)"),
        APP_NEVER_ANSWERS("an App that never answers"),
        APP_JUST_UNDER_TIMEOUT("an App answering just under the request timeout"),
        WORKER_ABANDONED("workers abandoned mid-chunk (AWS stalls them)"),
        DUPLICATE_DELIVERIES("every work message delivered twice"),
        AWS_THROTTLED("10 % of AWS calls throttled or 5xx"),
        STACK_CRASH("whole stack crashed at a third, restarted"),
        TEN_INSTALLATIONS("10 installations at once, 1 App hanging");

        private final String description;

        Scenario(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /**
     * How big and how long.
     *
     * @param products the catalog of a scenario's installation
     * @param slowProducts the catalog where every request takes seconds (never answering, just under the timeout)
     * @param manyProducts the catalog of each of the ten installations (the hanging App's: {@code slowProducts})
     * @param bound every run must end within this, from its trigger
     */
    public record Scale(String name, int products, int slowProducts, int manyProducts, Duration bound, FaultStack.Timings timings) {

        public static final Scale SHORT = new Scale("short", 40, 8, 20, Duration.ofSeconds(120),
                new FaultStack.Timings(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(20), Duration.ofSeconds(2), 4,
                        Duration.ofSeconds(20)));

        public static final Scale LONG = new Scale("long", 1_500, 200, 300, Duration.ofMinutes(10),
                new FaultStack.Timings(Duration.ofSeconds(2), Duration.ofSeconds(90), Duration.ofSeconds(60), Duration.ofSeconds(5), 8,
                        Duration.ofSeconds(30)));
    }

    /**
     * What one scenario did and broke.
     *
     * @param runs runs checked (the faulted ones and the incremental ones after)
     * @param entries entries planned by the faulted runs
     * @param appFaults requests the Apps answered with an injected fault
     * @param awsFaults AWS call attempts failed by injection
     * @param duplicateMessages work messages delivered a second time (by injection)
     * @param appRepeats requests the App got again for an entry it had already accepted (same idempotency key)
     * @param timeToEnd the longest time from trigger to end among the faulted runs
     * @param violations every broken rule; empty when the scenario passed
     * @param notes figures of the scenario's own (the ten installations' times)
     */
    public record Outcome(Scenario scenario, int runs, long entries, long appFaults, long awsFaults, long duplicateMessages, long appRepeats,
            Duration timeToEnd, List<String> violations, String notes) {

        public boolean passed() {
            return violations.isEmpty();
        }
    }

    private static final String APP_ID = "fault-app";
    private static final String HANGING_APP_ID = "fault-app-hanging";
    private static final int RETRY_BUDGET = 3;
    /** Of an installation whose App never answers: each entry costs (budget + 1) request timeouts. */
    private static final int HANGING_RETRY_BUDGET = 1;
    private static final long SEED = 42;
    private static final Duration HANG = Duration.ofMinutes(30);
    private static final Duration POLL = Duration.ofMillis(200);
    /** After the faulted runs end: time for a straggling request to arrive, if one were still on its way. */
    private static final Duration QUIET = Duration.ofSeconds(2);

    private final Scale scale;
    private Path data;
    private SampleApp app;
    private SampleApp hanging;
    private FaultStack stack;

    public FaultSuite(Scale scale) {
        this.scale = scale;
    }

    /**
     * Runs one scenario. The stack and the Apps are started by the first and shared by the next, each scenario with
     * installations of its own and the Apps' records cleared: starting the emulators again would cost more than most
     * scenarios take. Every fault is stopped when a scenario ends.
     */
    public Outcome run(Scenario scenario) {
        if (stack == null) {
            start();
        }
        app.reset();
        hanging.reset();
        return new Session(scenario).run();
    }

    private void start() {
        try {
            data = Files.createTempDirectory("syncline-faults-");
            app = SampleApp.start(0);
            hanging = SampleApp.start(0);
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("The fault suite could not start: " + e.getMessage(), e);
        }
        stack = FaultStack.start(data, scale.timings());
    }

    /** Stops the stack and the Apps, and deletes the stack's data. */
    @Override
    public void close() {
        for (AutoCloseable part : java.util.Arrays.asList(stack, hanging, app)) {
            if (part != null) {
                try {
                    part.close();
                } catch (Exception e) {
                    System.err.println("did not stop cleanly: " + e);
                }
            }
        }
        if (data != null) {
            deleteQuietly(data);
        }
    }

    /** One scenario's installations, runs and findings, on the suite's stack and Apps. */
    private final class Session {

        private final Scenario scenario;
        private final List<String> violations = new ArrayList<>();
        private final Map<String, Instant> triggeredAt = new LinkedHashMap<>();
        private final Map<String, Integer> budgets = new LinkedHashMap<>();
        private int runs;
        private long entries;
        private Duration longest = Duration.ZERO;
        private String notes = "";
        private final long awsFaultsBefore;
        private final long duplicatesBefore;
        private final int crashesBefore;
        private final long abandonedBefore;

        Session(Scenario scenario) {
            this.scenario = scenario;
            this.awsFaultsBefore = stack.awsFaults().injected();
            this.duplicatesBefore = stack.duplicatedMessages();
            this.crashesBefore = stack.crashes();
            this.abandonedBefore = stack.workersAbandoned();
        }

        Outcome run() {
            switch (scenario) {
                case APP_TRANSIENT -> single(scale.products(), () -> app.setFaults(Faults.none().withSeed(SEED)
                        .withThrottleRate(0.10, 1).withFailureRate(0.10)
                        .withTimeouts(0.10, scale.timings().appRequestTimeout().plusSeconds(2))), run -> { });
                case APP_NEVER_ANSWERS -> single(scale.slowProducts(), HANGING_RETRY_BUDGET,
                        () -> app.setFaults(Faults.none().withTimeouts(1.0, HANG)), run -> { });
                case APP_JUST_UNDER_TIMEOUT -> single(scale.slowProducts(), () -> app.setFaults(Faults.none()
                        .withLatency(scale.timings().appRequestTimeout().multipliedBy(8).dividedBy(10))), run -> { });
                case WORKER_ABANDONED -> workerAbandoned();
                case DUPLICATE_DELIVERIES -> single(scale.products(), () -> {
                    app.setFaults(Faults.none().withLatency(Duration.ofMillis(20)));
                    stack.doubleWorkMessages(true);
                }, run -> { });
                case AWS_THROTTLED -> single(scale.products(), () -> stack.awsFaults().set(0.10, 0.8), run -> { });
                case STACK_CRASH -> stackCrash();
                case TEN_INSTALLATIONS -> tenInstallations();
            }
            long appFaults = Stream.of(app, hanging).mapToLong(a -> a.receivedRequests(r -> r.outcome() == ReceivedRequest.Outcome.FAULTED).size()).sum();
            long repeats = Stream.of(app, hanging).mapToLong(a -> a.receivedRequests(r -> r.outcome() == ReceivedRequest.Outcome.DUPLICATE).size()).sum();
            // A scenario whose fault never struck proves nothing.
            boolean struck = switch (scenario) {
                case APP_TRANSIENT, APP_NEVER_ANSWERS, TEN_INSTALLATIONS -> appFaults > 0;
                case AWS_THROTTLED -> stack.awsFaults().injected() > awsFaultsBefore;
                case WORKER_ABANDONED -> stack.workersAbandoned() > abandonedBefore;
                case DUPLICATE_DELIVERIES -> stack.duplicatedMessages() > duplicatesBefore;
                case STACK_CRASH -> stack.crashes() == crashesBefore + 1;
                case APP_JUST_UNDER_TIMEOUT -> true;
            };
            if (!struck) {
                violations.add("nothing was injected");
            }
            return new Outcome(scenario, runs, entries, appFaults, stack.awsFaults().injected() - awsFaultsBefore,
                    stack.duplicatedMessages() - duplicatesBefore, repeats, longest,
                    List.copyOf(violations), notes);
        }

        /** One installation: a faulted first run, then the same snapshot again with every fault stopped. */
        private void single(int products, Runnable faults, Consumer<Map<String, JsonNode>> whileRunning) {
            single(products, RETRY_BUDGET, faults, whileRunning);
        }

        private void single(int products, int retryBudget, Runnable faults, Consumer<Map<String, JsonNode>> whileRunning) {
            String installation = install(app, APP_ID, retryBudget);
            String snapshot = upload(installation, products);
            faults.run();
            List<String> first = List.of(trigger(installation, snapshot));
            Map<String, JsonNode> ended = await(first, whileRunning);
            healAndCheck(ended);
            List<String> next = List.of(trigger(installation, snapshot));
            Map<String, JsonNode> again = await(next, run -> { });
            checkRuns(again);
            violations.addAll(checks().checkNext(ended.get(first.getFirst()), again.get(next.getFirst()), app));
        }

        /**
         * Once products are being delivered, every AWS call of the functions is held past the worker's time limit for
         * a while: the workers in flight are abandoned at their limit, as Lambda abandons them, before they record what
         * the App accepted; their messages come back after the visibility timeout.
         */
        private void workerAbandoned() {
            Duration limit = scale.timings().workerTimeLimit();
            boolean[] done = {false};
            single(scale.products(), () -> app.setFaults(Faults.none().withLatency(Duration.ofMillis(100))), runs -> {
                JsonNode run = runs.values().iterator().next();
                if (!done[0] && run.path("phases").path("products").path("succeeded").asLong() > 0) {
                    done[0] = true;
                    stack.awsFaults().delay(limit.plusSeconds(1));
                    sleep(limit.plusSeconds(2));
                    stack.awsFaults().delay(Duration.ZERO);
                }
            });
            notes = (stack.workersAbandoned() - abandonedBefore) + " worker invocations abandoned at their time limit";
        }

        /**
         * Crashes the stack once the App has accepted a third of the run's entries: watched on the App's own records,
         * every 10 ms, so that the crash falls inside a chunk, before the worker records it.
         */
        private void stackCrash() {
            boolean[] crashed = {false};
            single(scale.products(), () -> app.setFaults(Faults.none().withLatency(Duration.ofMillis(200))), runs -> {
                JsonNode run = runs.values().iterator().next();
                long planned = run.path("totals").path("planned").asLong();
                if (crashed[0] || planned == 0) {
                    return;
                }
                String runId = run.path("id").asText();
                Instant deadline = Instant.now().plus(scale.bound());
                while (Instant.now().isBefore(deadline)) {
                    long accepted = app.receivedRequests(r -> r.isConsume() && r.outcome() == ReceivedRequest.Outcome.ACCEPTED
                            && runId.equals(r.synchronizationId().orElse(null)) && !r.event().startsWith("synchronization_")).size();
                    if (accepted * 3 >= planned) {
                        crashed[0] = true;
                        stack.crashAndRestart();
                        return;
                    }
                    sleep(Duration.ofMillis(10));
                }
            });
            if (!crashed[0]) {
                violations.add("the run ended before the App had a third of it: the stack was never crashed");
            }
        }

        /**
         * Nine installations of a healthy App and one of an App that never answers, triggered at once; then nine fresh
         * installations of the healthy App alone, as the baseline. The baseline runs second, on a warmer JVM: if
         * anything, that makes the hanging App's cost look larger.
         */
        private void tenInstallations() {
            app.setFaults(Faults.none().withLatency(Duration.ofMillis(20)));
            Map<String, String> ten = new LinkedHashMap<>();
            for (int i = 0; i < 9; i++) {
                String installation = install(app, APP_ID, RETRY_BUDGET);
                ten.put(installation, upload(installation, scale.manyProducts()));
            }
            String stuck = install(hanging, HANGING_APP_ID, HANGING_RETRY_BUDGET);
            ten.put(stuck, upload(stuck, scale.slowProducts()));
            hanging.setFaults(Faults.none().withTimeouts(1.0, HANG));
            Map<String, String> runOf = new LinkedHashMap<>();
            ten.forEach((installation, snapshot) -> runOf.put(installation, trigger(installation, snapshot)));
            Map<String, JsonNode> ended = await(List.copyOf(runOf.values()), run -> { });
            String stuckRun = runOf.get(stuck);
            Duration besideHanging = longestDuration(ended.entrySet().stream().filter(e -> !e.getKey().equals(stuckRun))
                    .map(Map.Entry::getValue).toList());
            healAndCheck(ended);

            Map<String, String> nextOf = new LinkedHashMap<>();
            ten.forEach((installation, snapshot) -> nextOf.put(runOf.get(installation), trigger(installation, snapshot)));
            Map<String, JsonNode> again = await(List.copyOf(nextOf.values()), run -> { });
            checkRuns(again);
            nextOf.forEach((earlier, next) -> violations.addAll(checks().checkNext(ended.get(earlier), again.get(next),
                    earlier.equals(stuckRun) ? hanging : app)));

            app.setFaults(Faults.none().withLatency(Duration.ofMillis(20)));
            Map<String, String> nine = new LinkedHashMap<>();
            for (int i = 0; i < 9; i++) {
                String installation = install(app, APP_ID, RETRY_BUDGET);
                nine.put(installation, upload(installation, scale.manyProducts()));
            }
            List<String> alone = new ArrayList<>();
            nine.forEach((installation, snapshot) -> alone.add(trigger(installation, snapshot)));
            Map<String, JsonNode> baseline = await(alone, run -> { });
            checkRuns(baseline);
            Duration healthyAlone = longestDuration(baseline.values());
            notes = String.format(Locale.ROOT, "9 healthy installations: %.1f s alone, %.1f s beside the hanging App (%.2fx)",
                    seconds(healthyAlone), seconds(besideHanging), seconds(besideHanging) / Math.max(0.001, seconds(healthyAlone)));
        }

        /** Stops every fault, lets stragglers arrive, and checks the runs. */
        private void healAndCheck(Map<String, JsonNode> ended) {
            app.setFaults(Faults.none());
            hanging.setFaults(Faults.none());
            stack.awsFaults().set(0, 0);
            stack.doubleWorkMessages(false);
            sleep(QUIET);
            for (JsonNode run : ended.values()) {
                entries += run.path("totals").path("planned").asLong();
            }
            checkRuns(ended);
        }

        private void checkRuns(Map<String, JsonNode> ended) {
            FaultChecks checks = checks();
            for (JsonNode run : ended.values()) {
                runs++;
                SampleApp by = app.receivedRequests(r -> run.path("id").asText().equals(r.synchronizationId().orElse(null))).isEmpty() ? hanging : app;
                violations.addAll(checks.check(run, by, budgets.get(run.path("installation_id").asText())));
            }
        }

        private FaultChecks checks() {
            return new FaultChecks(stack.api());
        }

        private String install(SampleApp target, String appId, int retryBudget) {
            SynclineClient api = stack.api();
            SynclineClient.Answer registered = api.put("/v1/apps/" + appId, Demo.manifest("1.0.0", target.baseUri().toString()));
            if (!registered.ok() && registered.status() != 409) {
                throw new IllegalStateException("registering " + appId + " answered " + registered.status() + ": " + registered.detail());
            }
            SynclineClient.Answer installed = api.post("/v1/installations", Map.of("app_id", appId, "name", "Fault suite",
                    "api_url", "https://pim.example.com/api", "retry_budget", retryBudget));
            if (installed.status() != 201) {
                throw new IllegalStateException("installing " + appId + " answered " + installed.status() + ": " + installed.detail());
            }
            String id = installed.body().path("id").asText();
            budgets.put(id, retryBudget);
            demo(target).configure(id);
            return id;
        }

        private String upload(String installation, int products) {
            return demo(app).upload(installation, products);
        }

        private Demo demo(SampleApp target) {
            return new Demo(stack.api(), target, new Terminal(new PrintStream(OutputStream.nullOutputStream()), System.err, false), data);
        }

        /** Triggers an incremental run, waiting (bounded) while the installation's last run is still being closed. */
        private String trigger(String installation, String snapshot) {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (true) {
                SynclineClient.Answer answer = stack.api().post("/v1/installations/" + installation + "/synchronizations",
                        Map.of("mode", "incremental", "snapshot_id", snapshot));
                if (answer.status() == 202) {
                    String id = answer.body().path("synchronization").path("id").asText();
                    triggeredAt.put(id, Instant.now());
                    return id;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("triggering a run of " + installation + " answered " + answer.status() + ": " + answer.detail());
                }
                sleep(POLL);
            }
        }

        /**
         * Follows the runs until each has ended or the scale's bound has passed since its trigger; a run still going
         * then is a violation. {@code whileRunning} sees the runs as last read on every poll.
         */
        private Map<String, JsonNode> await(List<String> runIds, Consumer<Map<String, JsonNode>> whileRunning) {
            Map<String, JsonNode> latest = new LinkedHashMap<>();
            Set<String> open = new java.util.LinkedHashSet<>(runIds);
            Instant deadline = runIds.stream().map(triggeredAt::get).min(Comparator.naturalOrder()).orElseThrow().plus(scale.bound());
            while (!open.isEmpty() && Instant.now().isBefore(deadline)) {
                for (String id : List.copyOf(open)) {
                    try {
                        SynclineClient.Answer answer = stack.api().get("/v1/synchronizations/" + id);
                        if (answer.status() == 200) {
                            latest.put(id, answer.body());
                            if (FaultChecks.ENDED.contains(answer.body().path("status").asText())) {
                                open.remove(id);
                                Duration took = Duration.between(triggeredAt.get(id), Instant.now());
                                longest = took.compareTo(longest) > 0 ? took : longest;
                            }
                        }
                    } catch (LocalStackException unreachable) {
                        // The API is restarting or out with AWS: ask again.
                    }
                }
                if (!open.isEmpty()) {
                    whileRunning.accept(latest);
                    sleep(POLL);
                }
            }
            for (String id : open) {
                violations.add("run " + id + " did not end within " + scale.bound().toSeconds() + " s of its trigger; last seen "
                        + (latest.containsKey(id) ? latest.get(id).path("status").asText() + " " + latest.get(id).path("totals") : "never"));
                longest = scale.bound();
            }
            return latest;
        }
    }

    private static Duration longestDuration(java.util.Collection<JsonNode> runs) {
        return runs.stream().filter(run -> run.hasNonNull("ended_at"))
                .map(run -> Duration.between(Instant.parse(run.path("created_at").asText()), Instant.parse(run.path("ended_at").asText())))
                .max(Comparator.naturalOrder()).orElse(Duration.ZERO);
    }

    /** Calls the API until it answers 200, for at most {@code patience}: it may be restarting, or out with AWS. */
    static SynclineClient.Answer retrying(Supplier<SynclineClient.Answer> call, Duration patience) {
        Instant deadline = Instant.now().plus(patience);
        while (true) {
            SynclineClient.Answer answer = null;
            RuntimeException failure = null;
            try {
                answer = call.get();
                if (answer.status() == 200) {
                    return answer;
                }
            } catch (LocalStackException e) {
                failure = e;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the API kept failing for " + patience.toSeconds() + " s: "
                        + (answer != null ? answer.status() + " " + answer.detail() : failure.getMessage()), failure);
            }
            sleep(POLL);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private static void deleteQuietly(Path root) {
        try (Stream<Path> tree = Files.walk(root)) {
            tree.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not delete " + root + ": " + e.getMessage());
        }
    }

    /** The table of outcomes, one scenario a row, then every violation. */
    public static String table(List<Outcome> outcomes) {
        StringBuilder out = new StringBuilder();
        String format = "%-52s %5s %8s %16s %14s %12s %-6s%n";
        out.append(String.format(Locale.ROOT, format, "scenario", "runs", "entries", "faults App/AWS", "dup msgs/App", "time to end", "result"));
        for (Outcome outcome : outcomes) {
            out.append(String.format(Locale.ROOT, format, outcome.scenario().description(), outcome.runs(), outcome.entries(),
                    outcome.appFaults() + " / " + outcome.awsFaults(), outcome.duplicateMessages() + " / " + outcome.appRepeats(),
                    String.format(Locale.ROOT, "%.1f s", seconds(outcome.timeToEnd())), outcome.passed() ? "ok" : "FAILED"));
        }
        for (Outcome outcome : outcomes) {
            if (!outcome.notes().isEmpty()) {
                out.append(outcome.scenario().description()).append(": ").append(outcome.notes()).append('\n');
            }
            for (String violation : outcome.violations()) {
                out.append(outcome.scenario().name()).append(": ").append(violation).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * The long version: {@code [short|long] [scenario,...]} (names as {@code stack-crash}), every scenario by default. Prints the table; exits 1 when
     * a scenario broke a rule.
     */
    public static void main(String[] args) throws IOException {
        // The functions' and the emulators' own lines go to a file, so that the terminal shows the suite's.
        PrintStream terminal = System.out;
        Path log = Files.createTempFile("syncline-faults-", ".log");
        PrintStream logged = new PrintStream(Files.newOutputStream(log), true, java.nio.charset.StandardCharsets.UTF_8);
        System.setOut(logged);
        System.setErr(logged);
        Scale scale = args.length > 0 && args[0].equals("short") ? Scale.SHORT : Scale.LONG;
        Set<Scenario> chosen = EnumSet.noneOf(Scenario.class);
        for (int i = 1; i < args.length; i++) {
            for (String name : args[i].split("[,\\s]+")) {
                if (!name.isBlank()) {
                    chosen.add(Scenario.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_')));
                }
            }
        }
        if (chosen.isEmpty()) {
            chosen = EnumSet.allOf(Scenario.class);
        }
        List<Outcome> outcomes = new ArrayList<>();
        terminal.printf(Locale.ROOT, "Fault suite, %s scale: %d products a catalog (%d where the App is slow, %d for each of the ten);"
                        + " every run must end within %d s. Logs: %s%n", scale.name(), scale.products(), scale.slowProducts(), scale.manyProducts(),
                scale.bound().toSeconds(), log);
        try (FaultSuite suite = new FaultSuite(scale)) {
            for (Scenario scenario : chosen) {
                long started = System.nanoTime();
                Outcome outcome;
                try {
                    outcome = suite.run(scenario);
                } catch (RuntimeException e) {
                    e.printStackTrace(logged);
                    outcome = new Outcome(scenario, 0, 0, 0, 0, 0, 0, Duration.ofNanos(System.nanoTime() - started),
                            List.of("the scenario stopped: " + e), "");
                }
                outcomes.add(outcome);
                terminal.printf(Locale.ROOT, "  %s: %s in %.0f s%n", scenario.description(), outcome.passed() ? "ok" : "FAILED",
                        (System.nanoTime() - started) / 1e9);
            }
        }
        terminal.println();
        terminal.print(table(outcomes));
        terminal.flush();
        System.exit(outcomes.stream().allMatch(Outcome::passed) ? 0 : 1);
    }
}
