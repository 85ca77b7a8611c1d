package dev.syncline.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An HTTP front for an App that forwards every request to it, and can hold back the requests to chosen paths
 * until told to let them go. A test can so stop a synchronization at a known point (some requests on their way
 * to the App, nothing after them), act on it, and let it go on: what a slow App does, without guessing at times.
 */
final class AppGate implements AutoCloseable {

    /** Headers the JDK's client sets itself, and hop-by-hop headers, which are not forwarded. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "expect", "upgrade",
            "transfer-encoding", "keep-alive");

    private final URI target;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private String heldPathPrefix;
    private int held;
    private String failedPath;
    private int failedStatus;
    private int failuresLeft;
    private final List<Seen> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile String trickledPath;
    private volatile Duration trickleDelay;

    /** A request that reached the gate: its path and {@code X-Idempotency-Key}, and the status it was answered. */
    record Seen(String path, String idempotencyKey, int status) {
    }

    private AppGate(URI target) throws IOException {
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a gate in front of the App at {@code target}, on a free port, letting every request through. */
    static AppGate start(URI target) {
        try {
            return new AppGate(target);
        } catch (IOException e) {
            throw new UncheckedIOException("the gate could not start: " + e.getMessage(), e);
        }
    }

    /** The URL to give Syncline as the App's: {@code http://127.0.0.1:port}. */
    URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** From now on, requests whose path starts with {@code pathPrefix} wait at the gate until {@link #release()}. */
    void hold(String pathPrefix) {
        lock.lock();
        try {
            heldPathPrefix = pathPrefix;
        } finally {
            lock.unlock();
        }
    }

    /** Lets the waiting requests go on to the App, and every later one through. */
    void release() {
        lock.lock();
        try {
            heldPathPrefix = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Answers the next {@code times} requests whose path is {@code path} with {@code status} itself (the App never sees
     * them); {@code times} of -1 answers every one.
     */
    void fail(String path, int status, int times) {
        lock.lock();
        try {
            failedPath = path;
            failedStatus = status;
            failuresLeft = times;
        } finally {
            lock.unlock();
        }
    }

    /**
     * From now on, the App's answers to {@code path} reach the caller one 64-byte piece per {@code delay}, as from an App
     * that streams a file slowly: its headers at once, its body in a trickle.
     */
    void trickle(String path, Duration delay) {
        trickleDelay = delay;
        trickledPath = path;
    }

    /** The requests that reached the gate so far, in the order they came. */
    List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** Waits until {@code count} requests are waiting at the gate. */
    void awaitHeld(int count, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        lock.lock();
        try {
            while (held < count) {
                long left = Duration.between(Instant.now(), deadline).toNanos();
                if (left <= 0) {
                    throw new AssertionError("the gate holds " + held + " requests after " + timeout + ", not " + count);
                }
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = exchange.getRequestURI().getPath();
            String key = exchange.getRequestHeaders().getFirst("X-Idempotency-Key");
            if (failsNow(path)) {
                seen.add(new Seen(path, key, failedStatus));
                exchange.sendResponseHeaders(failedStatus, -1);
                return;
            }
            waitIfHeld(path);
            HttpResponse<byte[]> answer = forward(exchange, body);
            seen.add(new Seen(path, key, answer.statusCode()));
            answer.headers().map().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, List.copyOf(values));
                }
            });
            byte[] reply = answer.body();
            exchange.sendResponseHeaders(answer.statusCode(), reply.length == 0 ? -1 : reply.length);
            if (reply.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    if (path.equals(trickledPath)) {
                        for (int from = 0; from < reply.length; from += 64) {
                            out.write(reply, from, Math.min(64, reply.length - from));
                            out.flush();
                            Thread.sleep(trickleDelay);
                        }
                    } else {
                        out.write(reply);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean failsNow(String path) {
        lock.lock();
        try {
            if (failedPath == null || !failedPath.equals(path) || failuresLeft == 0) {
                return false;
            }
            if (failuresLeft > 0) {
                failuresLeft--;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void waitIfHeld(String path) throws InterruptedException {
        lock.lock();
        try {
            if (heldPathPrefix == null || !path.startsWith(heldPathPrefix)) {
                return;
            }
            held++;
            changed.signalAll();
            try {
                while (heldPathPrefix != null && path.startsWith(heldPathPrefix)) {
                    changed.await();
                }
            } finally {
                held--;
            }
        } finally {
            lock.unlock();
        }
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        URI uri = exchange.getRequestURI();
        String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + pathAndQuery))
                .timeout(Duration.ofSeconds(60))
                .method(exchange.getRequestMethod(), body.length == 0
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.close();
    }
}
