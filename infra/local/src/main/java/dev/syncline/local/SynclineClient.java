package dev.syncline.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The PIM's side of Syncline's HTTP API, as the demo drives it: plain HTTP with the API key, exactly what a
 * user's {@code curl} would send.
 */
final class SynclineClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final URI base;
    private final String apiKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    SynclineClient(URI base, String apiKey) {
        this.base = base;
        this.apiKey = apiKey;
    }

    /** A status and the JSON body (a missing node when there is none). */
    record Answer(int status, JsonNode body, HttpResponse<String> raw) {

        boolean ok() {
            return status / 100 == 2;
        }

        /** The problem's detail, or the body, for messages. */
        String detail() {
            return body.hasNonNull("detail") ? body.get("detail").asText() : raw.body();
        }
    }

    Answer get(String path) {
        return send(request(path).GET());
    }

    Answer put(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json").PUT(json(body)));
    }

    Answer post(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json").POST(json(body)));
    }

    Answer delete(String path) {
        return send(request(path).DELETE());
    }

    Answer postNdjson(String path, Path file) {
        try {
            return send(request(path).header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofFile(file)));
        } catch (IOException e) {
            throw new LocalStackException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** PUTs a file to a presigned URL (no API key: the URL is the authorization). */
    int upload(URI url, Map<String, String> headers, Path file) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(10)).PUT(HttpRequest.BodyPublishers.ofFile(file));
            headers.forEach(request::header);
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new LocalStackException("Uploading the snapshot to " + url.getHost() + ":" + url.getPort() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("Interrupted while uploading the snapshot", e);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + apiKey).timeout(TIMEOUT);
    }

    private Answer send(HttpRequest.Builder builder) {
        HttpRequest request = builder.build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), parse(response), response);
        } catch (IOException e) {
            throw new LocalStackException("The local API did not answer " + request.method() + " " + request.uri().getPath() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("Interrupted while calling the local API", e);
        }
    }

    private static JsonNode parse(HttpResponse<String> response) {
        String body = response.body();
        boolean json = response.headers().firstValue("Content-Type").orElse("").contains("json");
        if (body == null || body.isBlank() || !json) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }

    private static HttpRequest.BodyPublisher json(Object body) {
        try {
            return HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not writable as JSON: " + body, e);
        }
    }
}
