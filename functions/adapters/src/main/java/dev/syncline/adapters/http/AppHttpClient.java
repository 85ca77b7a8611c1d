package dev.syncline.adapters.http;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * The one way Syncline builds an HTTP client that calls Apps: redirects are never followed (a redirect could
 * lead anywhere, past the App URL check made before each call), and each call blocks its caller anyway, so
 * virtual threads keep the client's own work cheap. Public for the App conformance kit, which calls Apps as
 * Syncline does.
 */
public final class AppHttpClient {

    private AppHttpClient() {
    }

    public static HttpClient create(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }
}
