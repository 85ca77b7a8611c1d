package dev.syncline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.syncline.sampleapp.SampleConfiguration;
import dev.syncline.testing.openapi.OpenApiContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The PIM's side of the API, as a test drives it: plain HTTP with the API key. It checks every exchange against the
 * API's OpenAPI document and keeps what the document does not describe, for a test to assert on
 * ({@link #outsideContract()}).
 */
final class ApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String apiKey;
    private final HttpClient http = HttpClient.newHttpClient();
    private final OpenApiContract contract = OpenApiContract.ofRepository();
    private final List<String> outsideContract = new ArrayList<>();

    ApiClient(URI base, String apiKey) {
        this.base = base;
        this.apiKey = apiKey;
    }

    /** A status and a JSON body (or null). */
    record Answer(int status, JsonNode body, HttpResponse<String> raw) {
        JsonNode json(String field) {
            return body.path(field);
        }
    }

    Answer get(String path) {
        return send(request(path).GET(), null);
    }

    Answer get(String path, Map<String, String> headers) {
        HttpRequest.Builder request = request(path).GET();
        headers.forEach(request::header);
        return send(request, null);
    }

    Answer post(String path, Object body) {
        return post(path, body, Map.of());
    }

    Answer post(String path, Object body, Map<String, String> headers) {
        String json = write(body);
        HttpRequest.Builder request = request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(request::header);
        return send(request, json);
    }

    Answer put(String path, Object body) {
        String json = write(body);
        return send(request(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)), json);
    }

    Answer patch(String path, Object body) {
        String json = write(body);
        return send(request(path).header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(json)), json);
    }

    Answer delete(String path) {
        return send(request(path).DELETE(), null);
    }

    Answer postNdjson(String path, String ndjson) {
        return send(request(path).header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(ndjson)), ndjson);
    }

    /** Uploads {@code ndjson} inline as the installation's snapshot; its id. Fails the test unless the upload answered 201. */
    String uploadedSnapshot(String installation, String ndjson) {
        Answer snapshot = postNdjson("/v1/installations/" + installation + "/snapshots", ndjson);
        if (snapshot.status() != 201) {
            throw new AssertionError("the snapshot upload answered " + snapshot.status() + ": " + snapshot.body());
        }
        return snapshot.json("snapshot_id").asText();
    }

    /** What the exchanges so far showed that {@code docs/openapi.yaml} does not describe; empty when they kept it. */
    List<String> outsideContract() {
        return List.copyOf(outsideContract);
    }

    /**
     * Registers the sample App as {@code sample-feed} (with its configuration steps), installs it and configures it
     * through the API with the App's example configuration, as a PIM does before its first run; fails the test
     * unless each step answered as expected. Answers the installation id.
     */
    String installSampleApp(URI app, List<String> features, List<String> events, int retryBudget) {
        String id = installSampleAppUnconfigured(app, features, events, retryBudget);
        configureSampleApp(id);
        return id;
    }

    /**
     * Configures an installation of the sample App (registered with {@link SampleConfiguration#SCHEMA}) through the
     * API with the App's example configuration; fails the test unless every step is stored and the installation is
     * active.
     */
    void configureSampleApp(String id) {
        for (int index = 0; index < SampleConfiguration.EXAMPLE.size(); index++) {
            Answer step = post("/v1/installations/" + id + "/configuration",
                    Map.of("index", index, "configuration", tree(SampleConfiguration.EXAMPLE.get(index))));
            assertThat(step.status()).as(String.valueOf(step.body())).isEqualTo(200);
        }
        assertThat(get("/v1/installations/" + id).json("status").asText()).isEqualTo("active");
    }

    /** Registers and installs the sample App as {@link #installSampleApp} does, leaving it to be configured. */
    String installSampleAppUnconfigured(URI app, List<String> features, List<String> events, int retryBudget) {
        registerSampleApp(app, features, events);
        return installRegisteredSampleApp(retryBudget);
    }

    /** Registers the sample App at {@code app} (an operator's call), or leaves an equal registration as it is. */
    void registerSampleApp(URI app, List<String> features, List<String> events) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("name", "Sample feed");
        manifest.put("description", "Builds a CSV product feed from the catalog");
        manifest.put("version", "1.0.0");
        manifest.put("compatible", "1.0.0");
        manifest.put("url", app.toString());
        manifest.put("features", features);
        manifest.put("events", events);
        manifest.put("configuration_schema", tree(SampleConfiguration.SCHEMA));
        Answer registered = put("/v1/apps/sample-feed", manifest);
        assertThat(registered.status()).as(String.valueOf(registered.body())).isIn(200, 201, 409);
    }

    /**
     * Installs the sample App, registered before, with this client's key, leaving it to be configured: for a tenant's
     * key, the installation is that tenant's.
     */
    String installRegisteredSampleApp(int retryBudget) {
        Answer installed = post("/v1/installations",
                Map.of("app_id", "sample-feed", "api_url", "https://pim.example.com/api", "retry_budget", retryBudget));
        assertThat(installed.status()).as(String.valueOf(installed.body())).isEqualTo(201);
        return installed.json("id").asText();
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls a run until it reaches a final status. */
    JsonNode awaitRun(String runId, Duration timeout) {
        return awaitRunView(runId, timeout, run -> Set.of("finished", "finished_with_errors", "failed", "cancelled")
                .contains(run.path("status").asText()), "did not end");
    }

    /** Polls an ended run until its file is no longer {@code pending}; returns the run. */
    JsonNode awaitFile(String runId, Duration timeout) {
        return awaitRunView(runId, timeout, run -> {
            String file = run.path("file").path("status").asText();
            return !file.isEmpty() && !file.equals("pending");
        }, "had no file fetched, stored or given up on");
    }

    /** Polls a run until {@code done} holds for its view; {@code failure} says what it did not do, for the error. */
    JsonNode awaitRunView(String runId, Duration timeout, java.util.function.Predicate<JsonNode> done, String failure) {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode run;
        do {
            run = get("/v1/synchronizations/" + runId).body();
            if (done.test(run)) {
                return run;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("run " + runId + " " + failure + " within " + timeout + "; last seen: " + run);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + apiKey).timeout(Duration.ofSeconds(60));
    }

    private Answer send(HttpRequest.Builder builder, String requestBody) {
        try {
            HttpRequest request = builder.build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            check(request, requestBody, response);
            JsonNode body = response.body() == null || response.body().isBlank() ? null : JSON.readTree(response.body());
            return new Answer(response.statusCode(), body, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void check(HttpRequest request, String requestBody, HttpResponse<String> response) {
        URI uri = request.uri();
        contract.violations(new OpenApiContract.Exchange(request.method(),
                        uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery(),
                        flatten(request.headers().map()), requestBody, response.statusCode(), flatten(response.headers().map()),
                        response.body()))
                .forEach(outsideContract::add);
    }

    private static Map<String, String> flatten(Map<String, List<String>> headers) {
        Map<String, String> flat = new LinkedHashMap<>();
        headers.forEach((name, values) -> flat.put(name, String.join(",", values)));
        return flat;
    }

    static String write(Object body) {
        try {
            return body instanceof String text ? text : JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
