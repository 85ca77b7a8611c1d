package dev.syncline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local stack as a user starts it: {@code ./syncline-local} in its own process, read from its output. The
 * launcher runs with this JVM's JDK and class path instead of building (its {@code SYNCLINE_LOCAL_CLASSPATH}), so
 * the test covers everything from the script's JDK and Node.js checks onwards. Timeouts are generous: the machine
 * running this may have two busy cores.
 */
class LauncherTest {

    private static final Duration START_AND_DEMO = Duration.ofMinutes(5);
    private static final Duration STOP = Duration.ofMinutes(1);
    private static final List<String> ANY_PORTS = List.of("--api-port", "0", "--app-port", "0", "--dynamodb-port", "0", "--sqs-port", "0",
            "--s3-port", "0");
    private static final Pattern DYNALITE_PID = Pattern.compile("\\(dynalite, pid (\\d+)\\)");
    private static final Pattern RUN_ENDED = Pattern.compile("^Synchronization (\\S+) (finished|finished_with_errors|failed|cancelled) \\(");
    private static final Pattern SUMMARY_ROW = Pattern.compile("^  (attributes|categories|products|relations|total) +(\\d+) +(\\d+) +(\\d+) +(\\d+)$");
    private static final Pattern API_BASE = Pattern.compile("^  API base +(http://\\S+)/v1 ");
    private static final Pattern API_KEY = Pattern.compile("^  API key +(\\S+) ");
    private static final Pattern TENANT_KEY = Pattern.compile("^  tenant key +(sl_\\S+) ");
    private static final Pattern TRY_COMMAND = Pattern.compile("^  try +curl .* (http://\\S+)$");
    private static final Pattern FEED = Pattern.compile("^  latest feed (http://\\S+) ");

    @TempDir
    Path temp;

    private final List<Launched> launched = new ArrayList<>();

    @AfterEach
    void stopWhatIsLeft() throws InterruptedException {
        for (Launched process : launched) {
            process.kill();
        }
    }

    @Test
    void demo_printsASummaryTheApiConfirms_keepsItsHistoryAcrossARestart_andLeavesNoProcessBehind() throws Exception {
        Path data = temp.resolve("data");

        Launched first = launch("--products", "120", "--exit-after-demo", "--data-dir", data.toString());
        assertThat(first.awaitExit(START_AND_DEMO)).as(first.transcript()).isZero();
        Output firstRun = first.output();
        assertThat(firstRun.status()).isEqualTo("finished");
        assertThat(firstRun.summary().get("products")).containsExactly(120L, 120L, 0L, 0L);
        assertThat(firstRun.lines()).anyMatch(line -> line.startsWith("Started in ") && line.contains("; first App call after "));
        assertThat(firstRun.lines()).contains("Sample App configured through the API: 2 steps accepted (Shop, Feed); installation active.");
        assertThat(firstRun.lines()).contains("Stopped.");
        assertThat(ProcessHandle.of(firstRun.dynalitePid()).filter(ProcessHandle::isAlive)).as("dynalite of the first start").isEmpty();

        Launched second = launch("--products", "120", "--data-dir", data.toString());
        second.awaitLine(line -> line.equals("Serving until Ctrl-C."), START_AND_DEMO);
        List<ProcessHandle> children = second.process.toHandle().descendants().toList();
        Output secondRun = second.output();
        ApiClient api = new ApiClient(secondRun.apiBase(), secondRun.apiKey());

        assertThat(secondRun.apiKey()).as("the API key is kept in the data directory").isEqualTo(firstRun.apiKey());
        assertThat(secondRun.tenantKey()).as("the demo tenant's key is kept in the data directory").isEqualTo(firstRun.tenantKey())
                .isNotEqualTo(firstRun.apiKey());
        assertThat(new ApiClient(secondRun.apiBase(), secondRun.tenantKey()).get("/v1/tenants/demo").body().path("id").asText())
                .as("the printed tenant key").isEqualTo("demo");
        assertThat(secondRun.lines()).anyMatch(line -> line.startsWith("History: 1 earlier run in this data directory; latest " + firstRun.runId()));
        assertThat(secondRun.lines()).anyMatch(line -> line.startsWith("Sample App installed again") && line.contains("has forgotten installation"));
        JsonNode earlier = api.get("/v1/synchronizations/" + firstRun.runId()).body();
        assertThat(earlier.path("status").asText()).isEqualTo("finished");
        assertThat(phases(earlier)).isEqualTo(firstRun.summary());
        JsonNode latest = api.get("/v1/synchronizations/" + secondRun.runId()).body();
        assertThat(phases(latest)).as("the printed summary").isEqualTo(secondRun.summary());
        assertThat(latest.path("installation_id").asText()).isNotEqualTo(earlier.path("installation_id").asText());
        assertThat(secondRun.summary()).as("a new installation's first run sends the whole catalog again").isEqualTo(firstRun.summary());
        assertThat(api.get(URI.create(secondRun.tryCommandUrl()).getPath() + "?limit=5").status()).as("the printed curl command").isEqualTo(200);
        secondRun.feedUrl().ifPresent(feed -> assertThat(awaitOk(URI.create(feed))).as("the printed feed URL").isEqualTo(200));

        // SIGTERM, as Process.destroy() sends it, but without closing this side of the pipes first.
        second.process.toHandle().destroy();
        int stopped = second.awaitExit(STOP);
        assertThat(second.output().lines()).as("stopped by its shutdown hook, exit code %d:%n%s", stopped, second.transcript())
                .contains("Stopped.");
        assertThat(children).as("its dynalite child").isNotEmpty().allSatisfy(child -> assertThat(child.isAlive()).isFalse());
    }

    @Test
    void aBusyPort_isNamedWithTheOptionThatChangesIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<String> options = new ArrayList<>(List.of("--no-demo", "--exit-after-demo", "--data-dir", temp.resolve("data").toString()));
            options.addAll(ANY_PORTS);
            options.set(options.indexOf("--sqs-port") + 1, Integer.toString(taken.getLocalPort()));

            Launched launcher = launch(options.toArray(String[]::new));

            assertThat(launcher.awaitExit(STOP)).isEqualTo(1);
            assertThat(launcher.errors()).contains("Port " + taken.getLocalPort() + " for SQS (ElasticMQ) is already in use")
                    .contains("--sqs-port");
        }
    }

    /** The status of a plain GET, retried for a while: the feed switches to the new file right after the run ends. */
    private static int awaitOk(URI url) {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        Instant deadline = Instant.now().plusSeconds(60);
        try {
            while (true) {
                int status = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                if (status == 200 || Instant.now().isAfter(deadline)) {
                    return status;
                }
                Thread.sleep(500);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, List<Long>> phases(JsonNode run) {
        Map<String, List<Long>> phases = new LinkedHashMap<>();
        for (String phase : RunProgress.PHASES) {
            phases.put(phase, counts(run.path("phases").path(phase)));
        }
        phases.put("total", counts(run.path("totals")));
        return phases;
    }

    private static List<Long> counts(JsonNode counts) {
        return List.of(counts.path("planned").asLong(), counts.path("succeeded").asLong(), counts.path("failed").asLong(),
                counts.path("cancelled").asLong());
    }

    private Launched launch(String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of(checkout().resolve("syncline-local").toString()));
        command.addAll(List.of(options));
        if (!command.contains("--api-port")) {
            command.addAll(ANY_PORTS);
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(temp.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("SYNCLINE_LOCAL_CLASSPATH", System.getProperty("java.class.path"));
        Path errors = Files.createTempFile(temp, "stderr", ".txt");
        builder.redirectError(errors.toFile());
        Launched process = new Launched(builder.start(), errors);
        launched.add(process);
        return process;
    }

    /** The checkout this test runs in: where {@code syncline-local} is. */
    static Path checkout() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("syncline-local"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no syncline-local above " + Path.of("").toAbsolutePath());
    }

    /** A launcher process, its standard output collected line by line as it comes. */
    private static final class Launched {

        private final Process process;
        private final Path errors;
        private final List<String> lines = new ArrayList<>();
        private final Thread reader;

        Launched(Process process, Path errors) {
            this.process = process;
            this.errors = errors;
            this.reader = Thread.ofPlatform().daemon().start(this::read);
        }

        private void read() {
            try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = output.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                // The process ended.
            }
        }

        int awaitExit(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("the launcher did not end within " + timeout + ":\n" + transcript());
            }
            reader.join(Duration.ofSeconds(10));
            return process.exitValue();
        }

        void awaitLine(Predicate<String> wanted, Duration timeout) throws InterruptedException {
            Instant deadline = Instant.now().plus(timeout);
            synchronized (lines) {
                while (lines.stream().noneMatch(wanted)) {
                    long left = Duration.between(Instant.now(), deadline).toMillis();
                    if (left <= 0 || !process.isAlive() && !reader.isAlive()) {
                        throw new AssertionError("the launcher did not print the expected line within " + timeout + ":\n" + transcript());
                    }
                    lines.wait(Math.min(left, 500));
                }
            }
        }

        Output output() {
            synchronized (lines) {
                return new Output(List.copyOf(lines));
            }
        }

        String errors() {
            try {
                return Files.readString(errors, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        }

        String transcript() {
            return String.join("\n", output().lines()) + "\n--- stderr ---\n" + errors();
        }

        void kill() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(STOP.toSeconds(), TimeUnit.SECONDS);
                }
            }
        }
    }

    /** What the launcher printed, and the figures read from it. */
    private record Output(List<String> lines) {

        long dynalitePid() {
            return Long.parseLong(find(DYNALITE_PID).group(1));
        }

        String runId() {
            return find(RUN_ENDED).group(1);
        }

        String status() {
            return find(RUN_ENDED).group(2);
        }

        URI apiBase() {
            return URI.create(find(API_BASE).group(1));
        }

        String apiKey() {
            return find(API_KEY).group(1);
        }

        String tenantKey() {
            return find(TENANT_KEY).group(1);
        }

        String tryCommandUrl() {
            return find(TRY_COMMAND).group(1);
        }

        Optional<String> feedUrl() {
            return lines.stream().map(FEED::matcher).filter(Matcher::find).map(found -> found.group(1)).reduce((first, last) -> last);
        }

        /** The summary's rows: phase to planned, succeeded, failed, cancelled. */
        Map<String, List<Long>> summary() {
            Map<String, List<Long>> rows = new LinkedHashMap<>();
            for (String line : lines) {
                Matcher row = SUMMARY_ROW.matcher(line);
                if (row.matches()) {
                    rows.put(row.group(1), List.of(Long.parseLong(row.group(2)), Long.parseLong(row.group(3)), Long.parseLong(row.group(4)),
                            Long.parseLong(row.group(5))));
                }
            }
            return rows;
        }

        private Matcher find(Pattern pattern) {
            Optional<Matcher> found = lines.stream().map(pattern::matcher).filter(Matcher::find).reduce((first, last) -> last);
            return found.orElseThrow(() -> new AssertionError("no line matches " + pattern + " in:\n" + String.join("\n", lines)));
        }
    }
}
