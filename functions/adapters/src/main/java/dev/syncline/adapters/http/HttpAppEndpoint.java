package dev.syncline.adapters.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.jwt.JwtAppTokenSigner;
import dev.syncline.core.app.AppUrlPolicy;
import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.delivery.AppEndpoint;
import dev.syncline.core.delivery.AppTarget;
import dev.syncline.core.delivery.ConsumeRequest;
import dev.syncline.core.delivery.DeliveryAttempt;
import dev.syncline.core.installation.AppTokenClaims;
import dev.syncline.core.plan.ChangeEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends entries to an App's {@code PUT /consume/{event}} with {@code java.net.http}: the protocol's body,
 * a fresh {@code X-APP-TOKEN} per attempt (a chunk's retries may outlive one token), the entry's or notice's
 * {@code X-Idempotency-Key}. The App's URL is checked before every attempt and redirects are never
 * followed. Every outcome is reported, none thrown.
 */
public final class HttpAppEndpoint implements AppEndpoint {

    /** Enough of a 2xx body to read {@code resource_customs}; failures keep a shorter excerpt. */
    static final int BODY_LIMIT = 64 * 1024;

    private final HttpClient http;
    private final AppUrlPolicy urlPolicy;
    private final JwtAppTokenSigner tokens;
    private final JsonCodec json;
    private final Clock clock;
    private final Duration requestTimeout;

    private HttpAppEndpoint(AppUrlPolicy urlPolicy, JwtAppTokenSigner tokens, JsonCodec json, Clock clock,
            Duration connectTimeout, Duration requestTimeout) {
        this.urlPolicy = urlPolicy;
        this.tokens = tokens;
        this.json = json;
        this.clock = clock;
        this.requestTimeout = requestTimeout;
        this.http = AppHttpClient.create(connectTimeout);
    }

    public static HttpAppEndpoint create(AppUrlPolicy urlPolicy, JwtAppTokenSigner tokens, JsonCodec json, Clock clock,
            Duration connectTimeout, Duration requestTimeout) {
        return new HttpAppEndpoint(urlPolicy, tokens, json, clock, connectTimeout, requestTimeout);
    }

    @Override
    public DeliveryAttempt consume(AppTarget target, ConsumeRequest request) {
        return put(target, request.event(), body(request), request.idempotencyKey());
    }

    /**
     * The protocol's body, in its order, written straight with the generator: a chunk sends hundreds of these, and a
     * tree of maps per request cost as much again as the writing.
     */
    byte[] body(ConsumeRequest request) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try (JsonGenerator body = json.generator(bytes)) {
            body.writeStartObject();
            body.writeStringField("name", request.event());
            body.writeObjectFieldStart("resource_id");
            body.writeStringField("id", request.resource().id());
            body.writeStringField("type", request.resource().type().idType());
            body.writeEndObject();
            body.writeObjectFieldStart("synchronization");
            body.writeFieldName("resource_customs");
            JsonCodec.writePlain(body, request.customs());
            body.writeArrayFieldStart("events");
            for (ChangeEvent event : request.events()) {
                body.writeStartObject();
                body.writeStringField("type", event.type());
                body.writeFieldName("payload");
                JsonCodec.writePlain(body, event.payload());
                body.writeEndObject();
            }
            body.writeEndArray();
            body.writeEndObject();
            body.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory
        }
        return bytes.toByteArray();
    }

    @Override
    public DeliveryAttempt notify(AppTarget target, String event, Map<String, Object> body, String idempotencyKey) {
        return put(target, event, json.writeBytes(body), idempotencyKey);
    }

    private DeliveryAttempt put(AppTarget target, String event, byte[] body, String idempotencyKey) {
        java.util.Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        HttpUrl appUrl = target.appUrl();
        Optional<String> refusal = urlPolicy.refusal(appUrl);
        if (refusal.isPresent()) {
            return new DeliveryAttempt.Unreachable(DeliveryAttempt.Unreachable.Reason.URL_REFUSED, "the URL " + refusal.get());
        }
        URI uri = appUrl.resolve("consume/" + event);
        HttpRequest.Builder request = AppHttpClient.request(uri)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("X-APP-TOKEN", tokens.sign(fresh(target.claims()), target.secret()));
        request.header("X-Idempotency-Key", idempotencyKey);
        // One byte past the limit tells a body of exactly the limit from a longer one.
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(request.build(), info -> new ExcerptSubscriber(BODY_LIMIT + 1));
        try {
            // The request timeout covers the headers only; this bounds the body too.
            HttpResponse<String> response = answer.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
            int status = response.statusCode();
            String text = response.body();
            if (status / 100 == 2 && text.getBytes(StandardCharsets.UTF_8).length > BODY_LIMIT) {
                // Reading stopped at the limit and the connection was closed: an answer never read to its end
                // cannot say the entry was accepted.
                return new DeliveryAttempt.Unreachable(DeliveryAttempt.Unreachable.Reason.ANSWER_TOO_LONG,
                        "the answer from " + uri.getAuthority() + " was longer than " + BODY_LIMIT + " bytes; reading stopped there");
            }
            return new DeliveryAttempt.Answered(status, text, status / 100 == 2 ? customs(json, text) : null,
                    RetryAfter.parse(response.headers().firstValue("Retry-After"), clock));
        } catch (TimeoutException e) {
            answer.cancel(true);
            return timedOut();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpConnectTimeoutException) {
                return new DeliveryAttempt.Unreachable(DeliveryAttempt.Unreachable.Reason.TIMEOUT, "no connection to " + uri.getAuthority());
            }
            if (cause instanceof HttpTimeoutException) {
                return timedOut();
            }
            Optional<String> refusedAtConnect = AppUrlGuard.refusalAtConnect(cause, uri);
            if (refusedAtConnect.isPresent()) {
                return new DeliveryAttempt.Unreachable(DeliveryAttempt.Unreachable.Reason.URL_REFUSED, "the URL " + refusedAtConnect.get());
            }
            if (cause instanceof IOException) {
                return new DeliveryAttempt.Unreachable(DeliveryAttempt.Unreachable.Reason.CONNECTION_FAILED,
                        "the connection to " + uri.getAuthority() + " failed: " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
            }
            throw new IllegalStateException("calling " + uri + " failed unexpectedly", cause);
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            return new DeliveryAttempt.Unreachable(DeliveryAttempt.Unreachable.Reason.CONNECTION_FAILED, "the call was interrupted");
        }
    }

    private DeliveryAttempt.Unreachable timedOut() {
        return new DeliveryAttempt.Unreachable(DeliveryAttempt.Unreachable.Reason.TIMEOUT, "no answer within " + requestTimeout.toMillis() + " ms");
    }

    private AppTokenClaims fresh(AppTokenClaims claims) {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        return new AppTokenClaims(claims.appInstallationId(), claims.apiUrl(), now, now, now.plus(AppTokenClaims.LIFETIME),
                claims.synchronizationId());
    }

    /**
     * The {@code resource_customs} object of a JSON answer; anything else means none: a body that is not one JSON object
     * (broken, trailing text, a duplicate key), or whose {@code resource_customs} is missing or not an object. Read on
     * every delivered entry, so streamed, without a tree of the answer; numbers exact, as {@link JsonCodec} reads them.
     */
    static Map<String, Object> customs(JsonCodec json, String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try (JsonParser answer = json.parser(body.getBytes(StandardCharsets.UTF_8))) {
            if (answer.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Map<String, Object> customs = null;
            while (answer.nextToken() == JsonToken.FIELD_NAME) {
                boolean wanted = answer.currentName().equals("resource_customs");
                if (answer.nextToken() == JsonToken.START_OBJECT && wanted) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> object = (Map<String, Object>) json.readValue(answer);
                    customs = object;
                } else {
                    answer.skipChildren();
                }
            }
            return answer.currentToken() == JsonToken.END_OBJECT && answer.nextToken() == null ? customs : null;
        } catch (IOException | RuntimeException notJson) {
            // An App may answer 2xx with any body; only a JSON object with resource_customs means something.
            return null;
        }
    }

}
