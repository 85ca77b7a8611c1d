package dev.syncline.sampleapp;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The engine's side of the protocol, as the tests need it: signs tokens the way the engine does (HS256 with the
 * installation's shared secret, {@code app_installation_id}, {@code api_url}, {@code iat}, {@code nbf},
 * {@code exp} five minutes on, {@code synchronization_id}) and calls the App with a plain {@link HttpClient}.
 */
final class FakeEngine {

    static final String API_URL = "https://pim.example.com/api";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final SampleApp app;

    FakeEngine(SampleApp app) {
        this.app = app;
    }

    /** An installation the engine completed the handshake for. */
    record Installed(String id, String secret) {

        /** A token as the engine sends during a synchronization. */
        String token() {
            return claims(id).sign(Algorithm.HMAC256(secret));
        }

        /** A token for a named run, as sent for {@code GET /download-file}. */
        String tokenForRun(String synchronizationId) {
            return claims(id).withClaim("synchronization_id", synchronizationId).sign(Algorithm.HMAC256(secret));
        }

        /** A token with some claims changed, signed with this installation's secret. */
        String token(UnaryOperator<JWTCreator.Builder> change) {
            return change.apply(claims(id)).sign(Algorithm.HMAC256(secret));
        }
    }

    static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The claims the engine puts in every synchronization request. */
    static JWTCreator.Builder claims(String installationId) {
        Instant now = Instant.now();
        return JWT.create()
                .withClaim("app_installation_id", installationId)
                .withClaim("api_url", API_URL)
                .withClaim("synchronization_id", UUID.randomUUID().toString())
                .withIssuedAt(now)
                .withNotBefore(now)
                .withExpiresAt(now.plus(Duration.ofMinutes(5)));
    }

    /**
     * Handshakes a new installation with a fresh secret and submits the example configuration, as the engine
     * does before the first synchronization; fails the test unless the App answers 2xx to each.
     */
    Installed install(String installationId) {
        Installed installed = installUnconfigured(installationId);
        for (int index = 0; index < SampleConfiguration.EXAMPLE.size(); index++) {
            HttpResponse<String> response = configure(installed.token(), index, json(SampleConfiguration.EXAMPLE.get(index)));
            if (response.statusCode() / 100 != 2) {
                throw new AssertionError("configuration step " + index + " for " + installationId + " answered "
                        + response.statusCode() + ": " + response.body());
            }
        }
        return installed;
    }

    /** {@code POST /configuration} with {@code {"index", "configuration"}}. */
    HttpResponse<String> configure(String token, int index, JsonNode configuration) {
        var body = JSON.createObjectNode().put("index", index);
        body.set("configuration", configuration);
        return send(request("/configuration", token).POST(body(body)));
    }

    /** Handshakes a new installation with a fresh secret; fails the test unless the App answers 2xx. */
    Installed installUnconfigured(String installationId) {
        String secret = newSecret();
        HttpResponse<String> response = handshake(secret, claims(installationId).sign(Algorithm.HMAC256(secret)));
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError("handshake for " + installationId + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return new Installed(installationId, secret);
    }

    HttpResponse<String> handshake(String secret, String token) {
        var body = JSON.createObjectNode().put("shared_secret", secret);
        return send(request("/handshake", token).POST(body(body)));
    }

    /** {@code PUT /consume/{name}} where the name is the body's. */
    HttpResponse<String> consume(String token, JsonNode body) {
        return send(request("/consume/" + body.path("name").asText(), token).PUT(body(body)));
    }

    HttpResponse<String> consume(String token, JsonNode body, String idempotencyKey) {
        return send(request("/consume/" + body.path("name").asText(), token)
                .header("X-Idempotency-Key", idempotencyKey)
                .PUT(body(body)));
    }

    /** A consume call that gives up after {@code timeout}, as the engine's worker does. */
    HttpResponse<String> consume(String token, JsonNode body, Duration timeout) throws IOException,
            InterruptedException {
        return http.send(request("/consume/" + body.path("name").asText(), token).timeout(timeout).PUT(body(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> consumeRaw(String token, String event, String body) {
        return send(request("/consume/" + event, token).PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<byte[]> download(String token) {
        try {
            return http.send(request("/download-file", token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String path) {
        return send(request(path, null).GET());
    }

    HttpResponse<String> put(String path, String json) {
        return send(request(path, null).PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<String> post(String path) {
        return send(request(path, null).POST(HttpRequest.BodyPublishers.noBody()));
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(app.uri(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json");
        return token == null ? builder : builder.header("X-APP-TOKEN", token);
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI baseUri() {
        return app.baseUri();
    }

    private static HttpRequest.BodyPublisher body(JsonNode json) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
