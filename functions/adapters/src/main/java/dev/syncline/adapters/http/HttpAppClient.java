package dev.syncline.adapters.http;

import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.jwt.JwtAppTokenSigner;
import dev.syncline.core.app.AppCallOutcome;
import dev.syncline.core.app.AppEvent;
import dev.syncline.core.app.AppResponse;
import dev.syncline.core.app.AppUnreachable;
import dev.syncline.core.app.AppUrlPolicy;
import dev.syncline.core.app.HttpUrl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.syncline.adapters.json.MalformedJsonException;
import dev.syncline.core.configuration.AppConfigurationClient;
import dev.syncline.core.configuration.ConfigurationViolation;
import dev.syncline.core.installation.AppClient;
import dev.syncline.core.installation.AppTokenClaims;
import dev.syncline.core.installation.SharedSecret;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Calls Apps' installation and configuration endpoints with {@code java.net.http}: a JSON body, an {@code X-APP-TOKEN}, a bounded
 * wait. Every failure becomes an {@link AppCallOutcome}, never an exception: the URL refused by the
 * {@link AppUrlPolicy} (checked before each call, since what a name resolves to can change), no connection,
 * no answer in time. Redirects are never followed: a redirect could lead anywhere, past the URL check.
 */
public final class HttpAppClient implements AppClient, AppConfigurationClient {

    /** The part of an App's answer kept: enough for the core's excerpt, never the whole of a large body. */
    static final int EXCERPT_BYTES = 4 * AppCallOutcome.EXCERPT_LIMIT;

    /**
     * The largest configuration or dictionary answer read: far above a form's needs, far below a function's
     * memory. A longer one is refused as a whole rather than cut.
     */
    static final int CONFIGURATION_BYTES = 1024 * 1024;

    private static final String TOKEN_HEADER = "X-APP-TOKEN";
    private static final Pattern DICTIONARY_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");

    private final HttpClient http;
    private final AppUrlPolicy urlPolicy;
    private final JwtAppTokenSigner tokens;
    private final JsonCodec json;
    private final Duration connectTimeout;
    private final Duration requestTimeout;

    private HttpAppClient(AppUrlPolicy urlPolicy, JwtAppTokenSigner tokens, JsonCodec json, Duration connectTimeout,
                          Duration requestTimeout) {
        this.urlPolicy = Objects.requireNonNull(urlPolicy, "urlPolicy");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.json = Objects.requireNonNull(json, "json");
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.http = AppHttpClient.create(connectTimeout);
    }

    /**
     * @param urlPolicy judges the App's URL before every call
     * @param connectTimeout the longest wait for a connection
     * @param requestTimeout the longest wait for the answer, body excerpt included
     */
    public static HttpAppClient create(AppUrlPolicy urlPolicy, JwtAppTokenSigner tokens, JsonCodec json,
                                       Duration connectTimeout, Duration requestTimeout) {
        return new HttpAppClient(urlPolicy, tokens, json, connectTimeout, requestTimeout);
    }

    @Override
    public AppCallOutcome handshake(HttpUrl appUrl, AppTokenClaims claims, SharedSecret secret) {
        return call("POST", appUrl, "handshake", Map.of("shared_secret", secret.reveal()), claims, secret);
    }

    @Override
    public AppCallOutcome sendLifecycleEvent(HttpUrl appUrl, AppEvent event, AppTokenClaims claims,
                                             SharedSecret secret) {
        return call("PUT", appUrl, "consume/" + event.wireName(), Map.of("name", event.wireName()), claims, secret);
    }

    @Override
    public Answer readConfiguration(HttpUrl appUrl, AppTokenClaims claims, SharedSecret secret) {
        Exchange exchange = exchange("GET", appUrl, "configuration", null, claims, secret, CONFIGURATION_BYTES);
        if (!(exchange instanceof Exchange.Answered answered) || !answered.succeeded()) {
            return new Answer.Failed(exchange.outcome());
        }
        JsonNode body = answered.json(json);
        if (body == null || !(body.isArray() || body.isNull() || answered.body().isBlank())) {
            return answered.wrongShape("a JSON array of the stored steps");
        }
        Map<Integer, String> stored = new HashMap<>();
        if (body.isArray()) {
            for (int index = 0; index < body.size(); index++) {
                if (!body.get(index).isNull()) {
                    stored.put(index, json.write(body.get(index)));
                }
            }
        }
        return new Answer.Stored(body.isArray() ? json.write(body) : "[]", stored);
    }

    @Override
    public Answer submitConfiguration(HttpUrl appUrl, int index, String configuration, AppTokenClaims claims,
                                      SharedSecret secret) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("index", index);
        body.put("configuration", json.readTree(configuration));
        Exchange exchange = exchange("POST", appUrl, "configuration", body, claims, secret, CONFIGURATION_BYTES);
        if (!(exchange instanceof Exchange.Answered answered)) {
            return new Answer.Failed(exchange.outcome());
        }
        if (answered.succeeded()) {
            return new Answer.Accepted();
        }
        if (answered.status() != 422) {
            return new Answer.Failed(exchange.outcome());
        }
        JsonNode problem = answered.json(json);
        if (problem == null || !problem.path("violations").isArray()) {
            return answered.wrongShape("a 422 body with a violations array");
        }
        List<ConfigurationViolation> violations = new ArrayList<>();
        for (JsonNode violation : problem.path("violations")) {
            String title = text(violation.path("title"));
            JsonNode parameters = violation.path("parameters");
            violations.add(new ConfigurationViolation(
                    text(violation.path("propertyPath")),
                    title,
                    violation.has("template") ? text(violation.path("template")) : title,
                    parameters.isObject() || parameters.isArray() ? json.write(parameters) : "{}"));
        }
        return new Answer.Rejected(violations);
    }

    @Override
    public Answer readDictionary(HttpUrl appUrl, String name, AppTokenClaims claims, SharedSecret secret) {
        if (!DICTIONARY_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a dictionary name: " + name);
        }
        Exchange exchange = exchange("GET", appUrl, "dictionary/" + name, null, claims, secret, CONFIGURATION_BYTES);
        if (!(exchange instanceof Exchange.Answered answered) || !answered.succeeded()) {
            return new Answer.Failed(exchange.outcome());
        }
        JsonNode body = answered.json(json);
        JsonNode entries = body == null ? null : body.path("dictionary");
        if (entries == null || !entries.isArray()) {
            return answered.wrongShape("{\"dictionary\": [{\"id\", \"label\"}, ...]}");
        }
        for (JsonNode entry : entries) {
            if (!entry.isObject() || !entry.path("id").isValueNode() || entry.path("id").isNull()
                    || !entry.path("label").isTextual()) {
                return answered.wrongShape("dictionary entries with an id and a text label");
            }
        }
        return new Answer.Dictionary(json.write(entries));
    }

    private static String text(JsonNode node) {
        return node.isValueNode() && !node.isNull() ? node.asText() : "";
    }

    private AppCallOutcome call(String method, HttpUrl appUrl, String path, Object body, AppTokenClaims claims,
                                SharedSecret secret) {
        return exchange(method, appUrl, path, body, claims, secret, EXCERPT_BYTES).outcome();
    }

    /** How one exchange went: answered (with as much of the body as was read), or not. */
    private sealed interface Exchange {

        AppCallOutcome outcome();

        record Unanswered(AppUnreachable outcome) implements Exchange {
        }

        /** {@code complete} is false when the body was longer than the limit and cut. */
        record Answered(int status, String body, boolean complete) implements Exchange {

            @Override
            public AppCallOutcome outcome() {
                return new AppResponse(status, body);
            }

            boolean succeeded() {
                return status >= 200 && status < 300;
            }

            /** The body as JSON, or {@code null} when it was cut or is not JSON. */
            JsonNode json(JsonCodec json) {
                if (!complete) {
                    return null;
                }
                try {
                    return body.isBlank() ? NullNode.getInstance() : json.readTree(body);
                } catch (MalformedJsonException e) {
                    return null;
                }
            }

            AppConfigurationClient.Answer.Failed wrongShape(String expected) {
                String why = complete ? "expected " + expected : "its answer exceeds " + CONFIGURATION_BYTES + " bytes";
                return new AppConfigurationClient.Answer.Failed(new AppResponse(status,
                        "(" + why + ") " + body));
            }
        }
    }

    private Exchange exchange(String method, HttpUrl appUrl, String path, Object body, AppTokenClaims claims,
                              SharedSecret secret, int limit) {
        Optional<String> refusal = urlPolicy.refusal(appUrl);
        if (refusal.isPresent()) {
            return new Exchange.Unanswered(new AppUnreachable(AppUnreachable.Reason.URL_REFUSED, "the URL " + refusal.get()));
        }
        URI uri = appUrl.resolve(path);
        HttpRequest.Builder builder = AppHttpClient.request(uri)
                .timeout(requestTimeout)
                .header("Accept", "application/json")
                .header("User-Agent", "Syncline")
                .header(TOKEN_HEADER, tokens.sign(claims, secret));
        if (body == null) {
            builder.GET();
        } else {
            builder.method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeBytes(body)))
                    .header("Content-Type", "application/json");
        }
        // One byte past the limit tells a body of exactly the limit from a longer one.
        CompletableFuture<HttpResponse<String>> exchange =
                http.sendAsync(builder.build(), info -> new ExcerptSubscriber(limit + 1));
        try {
            // The request timeout covers the headers only; this bounds the body too.
            HttpResponse<String> response = exchange.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
            String text = response.body();
            boolean complete = text.getBytes(StandardCharsets.UTF_8).length <= limit;
            return new Exchange.Answered(response.statusCode(), text, complete);
        } catch (TimeoutException e) {
            // Aborts the exchange rather than letting it run on unobserved.
            exchange.cancel(true);
            return new Exchange.Unanswered(timedOut());
        } catch (ExecutionException e) {
            return new Exchange.Unanswered(unreachable(e.getCause(), uri));
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            return new Exchange.Unanswered(
                    new AppUnreachable(AppUnreachable.Reason.CONNECTION_FAILED, "the call was interrupted"));
        }
    }

    private AppUnreachable timedOut() {
        return new AppUnreachable(AppUnreachable.Reason.TIMEOUT,
                "no answer within " + requestTimeout.toMillis() + " ms");
    }

    private AppUnreachable unreachable(Throwable failure, URI uri) {
        Optional<String> refusal = AppUrlGuard.refusalAtConnect(failure, uri);
        if (refusal.isPresent()) {
            return new AppUnreachable(AppUnreachable.Reason.URL_REFUSED, "the URL " + refusal.get());
        }
        if (failure instanceof HttpConnectTimeoutException) {
            return new AppUnreachable(AppUnreachable.Reason.TIMEOUT,
                    "no connection to " + authority(uri) + " within " + connectTimeout.toMillis() + " ms");
        }
        if (failure instanceof HttpTimeoutException) {
            return timedOut();
        }
        if (causedBy(failure, UnresolvedAddressException.class) || causedBy(failure, UnknownHostException.class)) {
            return new AppUnreachable(AppUnreachable.Reason.CONNECTION_FAILED,
                    "host " + uri.getHost() + " could not be resolved");
        }
        if (causedBy(failure, SSLException.class)) {
            return new AppUnreachable(AppUnreachable.Reason.CONNECTION_FAILED,
                    "the TLS handshake with " + authority(uri) + " failed: " + messageOf(failure, SSLException.class));
        }
        if (failure instanceof ConnectException) {
            return new AppUnreachable(AppUnreachable.Reason.CONNECTION_FAILED,
                    "connection to " + authority(uri) + " refused");
        }
        if (failure instanceof IOException) {
            return new AppUnreachable(AppUnreachable.Reason.CONNECTION_FAILED,
                    "the connection to " + authority(uri) + " failed: " + describe(failure));
        }
        // Not a network failure: a bug, and the caller's to report.
        throw new IllegalStateException("calling " + uri + " failed unexpectedly", failure);
    }

    private static String authority(URI uri) {
        return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static String messageOf(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return describe(cause);
            }
        }
        return describe(failure);
    }

    private static String describe(Throwable failure) {
        return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    }
}
