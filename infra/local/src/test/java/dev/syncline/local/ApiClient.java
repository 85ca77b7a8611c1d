package dev.syncline.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** The PIM's side of the API, as a test drives it: plain HTTP with the API key. */
final class ApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String apiKey;
    private final HttpClient http = HttpClient.newHttpClient();

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
        return send(request(path).GET());
    }

    Answer get(String path, Map<String, String> headers) {
        HttpRequest.Builder request = request(path).GET();
        headers.forEach(request::header);
        return send(request);
    }

    Answer post(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(write(body))));
    }

    Answer post(String path, Object body, Map<String, String> headers) {
        HttpRequest.Builder request = request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(write(body)));
        headers.forEach(request::header);
        return send(request);
    }

    Answer put(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(write(body))));
    }

    /** Registers the sample App as {@code sample-feed} 1.0.0 at {@code url}; an App registered before answers 409. */
    Answer registerSampleFeed(java.net.URI url, java.util.List<String> features, java.util.List<String> events) {
        Map<String, Object> manifest = new java.util.LinkedHashMap<>();
        manifest.put("name", "Sample feed");
        manifest.put("description", "Builds a CSV product feed from the catalog");
        manifest.put("version", "1.0.0");
        manifest.put("compatible", "1.0.0");
        manifest.put("url", url.toString());
        manifest.put("features", features);
        manifest.put("events", events);
        return put("/v1/apps/sample-feed", manifest);
    }

    Answer delete(String path) {
        return send(request(path).DELETE());
    }

    Answer postNdjson(String path, String ndjson) {
        return send(request(path).header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(ndjson)));
    }

    /** Polls a run until it reaches a final status. */
    JsonNode awaitRun(String runId, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode run;
        do {
            run = get("/v1/synchronizations/" + runId).body();
            String status = run.path("status").asText();
            if (status.equals("finished") || status.equals("finished_with_errors") || status.equals("failed") || status.equals("cancelled")) {
                return run;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("run " + runId + " did not end within " + timeout + "; last seen: " + run);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + apiKey).timeout(Duration.ofSeconds(60));
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body() == null || response.body().isBlank() ? null : JSON.readTree(response.body());
            return new Answer(response.statusCode(), body, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String write(Object body) {
        try {
            return body instanceof String text ? text : JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
