package dev.syncline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.syncline.sampleapp.Faults;
import dev.syncline.sampleapp.ReceivedRequest;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import dev.syncline.testing.RepositoryFiles;
import dev.syncline.testing.openapi.OpenApiContract;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replays the examples of {@code docs/synchronizations.md}, in order, against the whole local stack (the API over
 * HTTP, the planner and workers fed by the queue emulator, the storage emulators) and the sample App, so that the
 * guide shows what a synchronization really does. Each {@code ```http} request block is followed by the response
 * block it gets, compared as {@link ExampleMatcher} says. HTML comments {@code <!-- replay: ... -->} say what
 * happens between two examples (the App misbehaves, the reader waits for a run to end) or how to send the next
 * request; a request block after {@code <!-- replay: the App received this request -->} is one the App must
 * have received, exactly once, during the latest run (a header value in angle brackets, such as the token, stands
 * for any value). The App sits behind an {@link AppGate}, so that the document can stop a run at a known point.
 * Every request to the API and the answer that matched must also keep the API's contract, {@code docs/openapi.yaml}
 * ({@link OpenApiContract}).
 */
@AwsIntegrationTest
class SynchronizationDocumentationTest {

    private static final String DOCUMENT = "docs/synchronizations.md";
    private static final String DOCUMENTED_APP_URL = "https://shop-export.example.com";
    private static final String API_KEY = "<api key>";
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration MATCH_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TOKEN = Pattern.compile("<!-- replay: (.+?) -->|```http\\n(.*?)\\n```", Pattern.DOTALL);
    private static final Pattern REPEATED_TO = Pattern.compile("the body is the lines shown, repeated to ([0-9,]+) bytes");
    private static final Set<String> TERMINAL = Set.of("finished", "finished_with_errors", "failed", "cancelled");

    private static final String RECEIVED = "the App received this request";
    private static final String WAIT_FOR_RUN = "wait for the run to end";
    private static final String REPEAT = "repeat until the answer matches";
    private static final String GZIP = "send the body gzip-compressed";
    private static final String GZIP_CUT = "send the body gzip-compressed, cut after half its bytes";
    private static final String HOLD = "the App holds product requests";
    private static final String HOLD_ATTRIBUTES = "the App holds attribute requests";
    private static final String AWAIT_HELD = "wait until the App holds 2 product requests";
    private static final String LET_GO = "the App answers the held requests";
    private static final String ACCEPT_ALL = "the App accepts every request again";
    private static final String REFUSE = "the App answers 422 for SKU-2 and 503 for SKU-1";

    /** One step of the document, with the line it starts on. */
    sealed interface Step {
        int line();
    }

    /** Something that happens before the next example, or how to send it. */
    record Directive(int line, String text) implements Step {
    }

    /** A request and the response the document shows for it. */
    record Exchange(int line, String request, String response) implements Step {
    }

    /** A request the App received. */
    record Received(int line, String request) implements Step {
    }

    /** A response as it came, to the request that was sent. */
    record Answer(HttpRequest request, String requestBody, int status, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name))
                    .map(h -> String.join(",", h.getValue())).findFirst().orElse(null);
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private SampleApp app;
    private AppGate gate;
    private LocalSyncline syncline;
    private ExampleMatcher matcher;
    private String latestRun;
    private final List<String> modifiers = new ArrayList<>();
    private final OpenApiContract contract = OpenApiContract.ofRepository();
    private final List<String> outsideContract = new ArrayList<>();

    @BeforeEach
    void start(AwsStack stack) throws IOException {
        app = SampleApp.start(0);
        gate = AppGate.start(app.baseUri());
        syncline = LocalSyncline.start(LocalSyncline.Options.forTests(stack));
        matcher = new ExampleMatcher(Map.of(DOCUMENTED_APP_URL, gate.baseUri().toString()));
    }

    @AfterEach
    void stop() {
        syncline.close();
        gate.close();
        app.close();
        http.close();
    }

    @Test
    void everyExampleOfTheSynchronizationGuide_isWhatSynclineDoes() throws Exception {
        List<Step> steps = steps(Files.readString(RepositoryFiles.find(DOCUMENT)));

        Set<Integer> statuses = new TreeSet<>();
        for (Step step : steps) {
            switch (step) {
                case Directive directive -> act(directive);
                case Exchange exchange -> statuses.add(replay(exchange));
                case Received received -> check(received);
            }
        }
        assertThat(steps).filteredOn(Exchange.class::isInstance).as("examples in " + DOCUMENT).hasSizeGreaterThanOrEqualTo(25);
        assertThat(steps).filteredOn(Received.class::isInstance).as("requests the App received, in " + DOCUMENT).hasSizeGreaterThanOrEqualTo(2);
        assertThat(modifiers).as("replay directives left without a request after them").isEmpty();
        assertThat(statuses).contains(200, 201, 202, 404, 409, 413, 415, 422);
        assertThat(outsideContract).as("requests and answers that %s does not describe", OpenApiContract.DOCUMENT).isEmpty();
    }

    // ---- steps ------------------------------------------------------------------------------------

    private void act(Directive directive) throws InterruptedException {
        switch (directive.text()) {
            case WAIT_FOR_RUN -> awaitRunEnd();
            case HOLD -> gate.hold("/consume/product_");
            case HOLD_ATTRIBUTES -> gate.hold("/consume/attribute_");
            case AWAIT_HELD -> gate.awaitHeld(2, RUN_TIMEOUT);
            case LET_GO -> gate.release();
            case ACCEPT_ALL -> app.setFaults(Faults.none());
            case REFUSE -> app.setFaults(Faults.none()
                    .withResourceStatus("SKU-2", 422, "price below cost")
                    .withResourceStatus("SKU-1", 503, "maintenance"));
            case REPEAT, GZIP, GZIP_CUT -> modifiers.add(directive.text());
            default -> {
                if (REPEATED_TO.matcher(directive.text()).matches()) {
                    modifiers.add(directive.text());
                } else {
                    throw new AssertionError(DOCUMENT + " line " + directive.line() + ": unknown replay directive '"
                            + directive.text() + "'");
                }
            }
        }
    }

    private int replay(Exchange exchange) throws InterruptedException {
        List<String> sendAs = List.copyOf(modifiers);
        modifiers.clear();
        matcher.bindUnknownIdsToThemselves(exchange.request());
        Instant deadline = Instant.now().plus(sendAs.contains(REPEAT) ? MATCH_TIMEOUT : Duration.ZERO);
        while (true) {
            Map<String, String> bindings = matcher.snapshot();
            Answer actual = send(exchange.request(), sendAs);
            List<String> differences = differences(exchange.response(), actual);
            if (differences.isEmpty()) {
                rememberRun(actual);
                checkContract(exchange, actual);
                return actual.status();
            }
            matcher.restore(bindings);
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(String.format("%s line %d: the documented response differs from the answer%n%s%n%d %s%n%s",
                        DOCUMENT, exchange.line(), String.join("\n", differences), actual.status(), actual.headers(), pretty(actual.body())));
            }
            Thread.sleep(200);
        }
    }

    /** Compares a request the document says the App received with the one it received in the latest run. */
    private void check(Received received) {
        String[] headAndBody = received.request().split("\n\n", 2);
        String[] lines = headAndBody[0].split("\n");
        String[] requestLine = lines[0].split(" ");
        JsonNode documentedBody = read(headAndBody[1]);
        String resourceId = matcher.toActual(documentedBody.path("resource_id").path("id").asText());
        List<ReceivedRequest> candidates = app.receivedRequests(request -> request.method().equals(requestLine[0])
                && request.path().equals(requestLine[1])
                && request.outcome() == ReceivedRequest.Outcome.ACCEPTED
                && latestRun.equals(request.synchronizationId().orElse(null))
                && resourceId.equals(request.resourceId().orElse(null)));
        assertThat(candidates).as("%s line %d: requests %s for %s in run %s", DOCUMENT, received.line(), lines[0], resourceId, latestRun)
                .hasSize(1);
        ReceivedRequest request = candidates.getFirst();
        List<String> differences = new ArrayList<>();
        matcher.compare("body", documentedBody, request.body(), differences);
        for (int i = 1; i < lines.length; i++) {
            String[] header = lines[i].split(":\\s*", 2);
            String value = request.header(header[0]).orElse(null);
            if (value == null) {
                differences.add("header " + header[0] + ": documented, not received");
            } else if (!header[1].startsWith("<")) {
                matcher.compareText("header " + header[0], header[1], value, differences);
            }
        }
        assertThat(differences).as("%s line %d: the documented request differs from the one the App received%n%s",
                DOCUMENT, received.line(), request.body().toPrettyString()).isEmpty();
    }

    // ---- requests and answers ---------------------------------------------------------------------

    /** The API's answers keep its OpenAPI document; requests elsewhere (the presigned upload URL) are not the API's. */
    private void checkContract(Exchange exchange, Answer actual) {
        URI uri = actual.request().uri();
        if (!uri.getAuthority().equals(syncline.apiUri().getAuthority())) {
            return;
        }
        Map<String, String> requestHeaders = new LinkedHashMap<>();
        actual.request().headers().map().forEach((name, values) -> requestHeaders.put(name, String.join(",", values)));
        Map<String, String> responseHeaders = new LinkedHashMap<>();
        actual.headers().forEach((name, values) -> responseHeaders.put(name, String.join(",", values)));
        contract.violations(new OpenApiContract.Exchange(actual.request().method(),
                        uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery(),
                        requestHeaders, actual.requestBody(), actual.status(), responseHeaders, actual.body()))
                .forEach(violation -> outsideContract.add(DOCUMENT + " line " + exchange.line() + ": " + violation));
    }

    private Answer send(String documented, List<String> sendAs) {
        String[] headAndBody = documented.split("\n\n", 2);
        String[] lines = headAndBody[0].split("\n");
        String[] requestLine = lines[0].split(" ");
        String target = matcher.toActual(requestLine[1]);
        URI uri = target.startsWith("/") ? syncline.apiUri().resolve(target) : URI.create(target);
        byte[] body = headAndBody.length > 1 ? body(matcher.toActual(headAndBody[1]), sendAs) : new byte[0];
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(60))
                .method(requestLine[0], body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 1; i < lines.length; i++) {
            String[] header = lines[i].split(":\\s*", 2);
            request.header(header[0], header[1].replace(API_KEY, syncline.apiKey()));
        }
        try {
            HttpRequest sent = request.build();
            HttpResponse<String> response = http.send(sent, HttpResponse.BodyHandlers.ofString());
            return new Answer(sent, new String(body, StandardCharsets.UTF_8), response.statusCode(), response.headers().map(),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] body(String text, List<String> sendAs) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (String modifier : sendAs) {
            Matcher repeated = REPEATED_TO.matcher(modifier);
            if (repeated.matches()) {
                int size = Integer.parseInt(repeated.group(1).replace(",", ""));
                byte[] line = (text + "\n").getBytes(StandardCharsets.UTF_8);
                byte[] filled = new byte[size];
                for (int i = 0; i < size; i++) {
                    filled[i] = line[i % line.length];
                }
                bytes = filled;
            }
        }
        if (sendAs.contains(GZIP) || sendAs.contains(GZIP_CUT)) {
            ByteArrayOutputStream compressed = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
                gzip.write(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            bytes = compressed.toByteArray();
        }
        if (sendAs.contains(GZIP_CUT)) {
            bytes = Arrays.copyOf(bytes, bytes.length / 2);
        }
        return bytes;
    }

    private List<String> differences(String documented, Answer actual) {
        List<String> differences = new ArrayList<>();
        String[] headAndBody = documented.split("\n\n", 2);
        String[] lines = headAndBody[0].split("\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        if (status != actual.status()) {
            differences.add("status: documented " + status + ", answered " + actual.status());
            return differences;
        }
        if (headAndBody.length > 1) {
            matcher.compare("body", read(headAndBody[1]), read(actual.body()), differences);
        } else if (actual.body() != null && !actual.body().isBlank()) {
            differences.add("body: documented none, answered " + actual.body());
        }
        for (int i = 1; i < lines.length; i++) {
            String[] header = lines[i].split(":\\s*", 2);
            String value = actual.header(header[0]);
            if (value == null) {
                differences.add("header " + header[0] + ": documented " + header[1] + ", answered none");
            } else {
                matcher.compareText("header " + header[0], header[1], value, differences);
            }
        }
        return differences;
    }

    /** Remembers the run an answer shows as triggered, the one "the run" of later directives means. */
    private void rememberRun(Answer answer) {
        if (answer.status() == 202) {
            latestRun = read(answer.body()).path("synchronization").path("id").asText();
        }
    }

    private void awaitRunEnd() throws InterruptedException {
        assertThat(latestRun).as("a run to wait for").isNotNull();
        Instant deadline = Instant.now().plus(RUN_TIMEOUT);
        String last = null;
        while (Instant.now().isBefore(deadline)) {
            HttpRequest request = HttpRequest.newBuilder(syncline.apiUri().resolve("/v1/synchronizations/" + latestRun))
                    .header("Authorization", "Bearer " + syncline.apiKey()).GET().build();
            try {
                last = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (TERMINAL.contains(read(last).path("status").asText())) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + latestRun + " did not end within " + RUN_TIMEOUT + "; last seen: " + last);
    }

    // ---- the document -----------------------------------------------------------------------------

    static List<Step> steps(String markdown) {
        List<Step> steps = new ArrayList<>();
        Matcher token = TOKEN.matcher(markdown);
        boolean received = false;
        while (token.find()) {
            int line = markdown.substring(0, token.start()).split("\n", -1).length;
            if (token.group(1) != null) {
                if (token.group(1).equals(RECEIVED)) {
                    received = true;
                } else {
                    steps.add(new Directive(line, token.group(1)));
                }
                continue;
            }
            String request = token.group(2);
            if (request.startsWith("HTTP/")) {
                throw new AssertionError(DOCUMENT + " line " + line + ": a response without a request before it");
            }
            if (received) {
                steps.add(new Received(line, request));
                received = false;
                continue;
            }
            if (!token.find() || token.group(2) == null || !token.group(2).startsWith("HTTP/")) {
                throw new AssertionError(DOCUMENT + " line " + line + ": a request without a response right after it");
            }
            steps.add(new Exchange(line, request, token.group(2)));
        }
        return steps;
    }

    /** The document in the working tree: tests run in the module's folder, the document is at the root. */
    private static JsonNode read(String json) {
        if (json == null || json.isBlank()) {
            return NullNode.getInstance();
        }
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    private static String pretty(String body) {
        if (body == null || body.isBlank()) {
            return "(no body)";
        }
        try {
            return JSON.readTree(body).toPrettyString();
        } catch (IOException e) {
            return body;
        }
    }
}
