package dev.syncline.adapters.http;

import dev.syncline.core.app.AppUrlPolicy;
import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.delivery.DeliveryAttempt;
import dev.syncline.core.delivery.DeliveryAttempt.Unreachable.Reason;
import dev.syncline.core.webhook.WebhookReceiver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * POSTs webhook deliveries with {@code java.net.http}: the URL judged by the same rules as an App's right before each
 * call (what a name resolves to can change), redirects never followed, the whole exchange bounded by the request
 * timeout, and only the first bytes of the answer kept.
 */
public final class HttpWebhookReceiver implements WebhookReceiver {

    private static final int EXCERPT_LIMIT = 200;

    private final HttpClient http;
    private final AppUrlPolicy urlPolicy;
    private final Duration requestTimeout;

    private HttpWebhookReceiver(AppUrlPolicy urlPolicy, Duration connectTimeout, Duration requestTimeout) {
        this.http = AppHttpClient.create(connectTimeout);
        this.urlPolicy = urlPolicy;
        this.requestTimeout = requestTimeout;
    }

    public static HttpWebhookReceiver create(AppUrlPolicy urlPolicy, Duration connectTimeout, Duration requestTimeout) {
        return new HttpWebhookReceiver(urlPolicy, connectTimeout, requestTimeout);
    }

    @Override
    public DeliveryAttempt post(HttpUrl url, Map<String, String> headers, String body) {
        var refusal = urlPolicy.refusal(url);
        if (refusal.isPresent()) {
            return new DeliveryAttempt.Unreachable(Reason.URL_REFUSED, "the URL " + refusal.get());
        }
        URI uri = url.uri();
        HttpRequest.Builder request = AppHttpClient.request(uri)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .timeout(requestTimeout);
        headers.forEach(request::header);
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(request.build(), info -> new ExcerptSubscriber(EXCERPT_LIMIT));
        try {
            HttpResponse<String> response = answer.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return new DeliveryAttempt.Answered(response.statusCode(), response.body().strip(), null, null);
        } catch (TimeoutException e) {
            answer.cancel(true);
            return new DeliveryAttempt.Unreachable(Reason.TIMEOUT, "no answer within " + requestTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpConnectTimeoutException) {
                return new DeliveryAttempt.Unreachable(Reason.TIMEOUT, "no connection to " + uri.getAuthority());
            }
            if (cause instanceof HttpTimeoutException) {
                return new DeliveryAttempt.Unreachable(Reason.TIMEOUT, "no answer within " + requestTimeout.toMillis() + " ms");
            }
            var refusedAtConnect = AppUrlGuard.refusalAtConnect(cause, uri);
            if (refusedAtConnect.isPresent()) {
                return new DeliveryAttempt.Unreachable(Reason.URL_REFUSED, "the URL " + refusedAtConnect.get());
            }
            if (cause instanceof IOException) {
                return new DeliveryAttempt.Unreachable(Reason.CONNECTION_FAILED, "the connection to " + uri.getAuthority() + " failed: "
                        + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
            }
            throw new IllegalStateException("calling " + uri.getAuthority() + " failed unexpectedly", cause);
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            return new DeliveryAttempt.Unreachable(Reason.CONNECTION_FAILED, "the call was interrupted");
        }
    }
}
