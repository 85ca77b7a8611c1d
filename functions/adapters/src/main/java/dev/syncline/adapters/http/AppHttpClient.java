package dev.syncline.adapters.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * The one way Syncline builds an HTTP client that calls Apps, and the requests it sends them.
 *
 * <ul>
 *   <li>Plain HTTP/1.1 to {@code http://} Apps. Asked for HTTP/2 over cleartext, {@code java.net.http} sends every
 *       request as an h2c upgrade attempt ({@code Upgrade: h2c}, {@code HTTP2-Settings}), which RFC 9113 dropped
 *       and servers such as uvicorn refuse with {@code 400 Unsupported upgrade request.}. The client's own
 *       version is therefore HTTP/1.1, so that a request built any other way never attempts an upgrade either.</li>
 *   <li>HTTP/2 only over TLS, where ALPN negotiates it and falls back to HTTP/1.1 when the App does not offer it:
 *       {@link #request} asks for it on {@code https://} URLs.</li>
 *   <li>Redirects are never followed: a redirect could lead anywhere, past the App URL check made before each
 *       call.</li>
 *   <li>Each call blocks its caller anyway, so virtual threads keep the client's own work cheap.</li>
 *   <li>Public for the App conformance kit, which calls Apps as Syncline does.</li>
 * </ul>
 */
public final class AppHttpClient {

    private AppHttpClient() {
    }

    public static HttpClient create(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    /** A request to an App: HTTP/2 offered over TLS only, and Syncline named as the caller. */
    static HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("User-Agent", "Syncline");
        if ("https".equalsIgnoreCase(uri.getScheme())) {
            request.version(HttpClient.Version.HTTP_2);
        }
        return request;
    }
}
