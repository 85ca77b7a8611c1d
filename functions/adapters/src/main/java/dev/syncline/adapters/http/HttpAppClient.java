package dev.syncline.adapters.http;

import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.jwt.JwtAppTokenSigner;
import dev.syncline.core.app.AppCallOutcome;
import dev.syncline.core.app.AppEvent;
import dev.syncline.core.app.AppResponse;
import dev.syncline.core.app.AppUnreachable;
import dev.syncline.core.app.AppUrlPolicy;
import dev.syncline.core.app.HttpUrl;
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
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Calls Apps' installation endpoints with {@code java.net.http}: a JSON body, an {@code X-APP-TOKEN}, a bounded
 * wait. Every failure becomes an {@link AppCallOutcome}, never an exception: the URL refused by the
 * {@link AppUrlPolicy} (checked before each call, since what a name resolves to can change), no connection,
 * no answer in time. Redirects are never followed: a redirect could lead anywhere, past the URL check.
 */
public final class HttpAppClient implements AppClient {

    /** The part of an App's answer kept: enough for the core's excerpt, never the whole of a large body. */
    static final int EXCERPT_BYTES = 4 * AppCallOutcome.EXCERPT_LIMIT;

    private static final String TOKEN_HEADER = "X-APP-TOKEN";

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

    private AppCallOutcome call(String method, HttpUrl appUrl, String path, Object body, AppTokenClaims claims,
                                SharedSecret secret) {
        Optional<String> refusal = urlPolicy.refusal(appUrl);
        if (refusal.isPresent()) {
            return new AppUnreachable(AppUnreachable.Reason.URL_REFUSED, "the URL " + refusal.get());
        }
        URI uri = appUrl.resolve(path);
        HttpRequest request = AppHttpClient.request(uri)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeBytes(body)))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header(TOKEN_HEADER, tokens.sign(claims, secret))
                .build();
        CompletableFuture<HttpResponse<String>> exchange =
                http.sendAsync(request, info -> new ExcerptSubscriber(EXCERPT_BYTES));
        try {
            // The request timeout covers the headers only; this bounds the body too.
            HttpResponse<String> response = exchange.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return new AppResponse(response.statusCode(), response.body());
        } catch (TimeoutException e) {
            // Aborts the exchange rather than letting it run on unobserved.
            exchange.cancel(true);
            return timedOut();
        } catch (ExecutionException e) {
            return unreachable(e.getCause(), uri);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            return new AppUnreachable(AppUnreachable.Reason.CONNECTION_FAILED, "the call was interrupted");
        }
    }

    private AppUnreachable timedOut() {
        return new AppUnreachable(AppUnreachable.Reason.TIMEOUT,
                "no answer within " + requestTimeout.toMillis() + " ms");
    }

    private AppUnreachable unreachable(Throwable failure, URI uri) {
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
