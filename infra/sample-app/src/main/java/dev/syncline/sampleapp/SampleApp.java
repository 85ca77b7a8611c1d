package dev.syncline.sampleapp;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A reference App: the other side of the Apps protocol, as an App author would write it, on the JDK's HTTP
 * server. It verifies every request's {@code X-APP-TOKEN}, keeps per installation a model of the catalog built
 * from the events it receives, answers products with {@code resource_customs}, drops repeated
 * {@code X-Idempotency-Key}s, and serves a CSV product feed at {@code GET /download-file}. It has a two-step
 * configuration ({@link SampleConfiguration}) with an {@code app:channels} dictionary, stored per installation,
 * and refuses synchronization events with 422 until every step is stored.
 *
 * <p>For tests and the local stack it records every request it receives ({@link #receivedRequests()},
 * {@code GET /_sample/requests}) and injects faults on demand ({@link #setFaults(Faults)},
 * {@code PUT /_sample/faults}). Everything is held in memory: a restarted App has forgotten its installations.
 *
 * <pre>{@code
 * try (SampleApp app = SampleApp.start(0)) {
 *     URI consume = app.uri("/consume/product_created");
 *     ...
 *     assertThat(app.receivedRequestsForEvent("product_created")).hasSize(3);
 * }
 * }</pre>
 *
 * <p>Thread-safe: requests are handled concurrently, one virtual thread each.
 */
public final class SampleApp implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SampleApp.class.getName());

    /** How many requests are kept for inspection; the oldest are dropped first. */
    public static final int RECORDED_REQUESTS = 100_000;

    /** Pending connections the socket queues: the engine opens many at once when a chunk is released. */
    private static final int BACKLOG = 1_024;

    private final HttpServer server;
    private final ExecutorService executor;
    private final URI baseUri;
    private final Clock clock = Clock.systemUTC();
    private final Recorder recorder;
    private final FaultInjector faults = new FaultInjector();
    private final Installations installations = new Installations();
    private final HandshakeEndpoint handshake;
    private final ConsumeEndpoint consume;
    private final DownloadFileEndpoint downloadFile;
    private final ConfigurationEndpoint configuration;
    private final AdminEndpoint admin;

    private SampleApp(HttpServer server, ExecutorService executor, int recordedRequests) {
        this.server = server;
        this.executor = executor;
        this.recorder = new Recorder(recordedRequests);
        this.baseUri = baseUriOf(server.getAddress());
        var tokens = new TokenVerifier(installations);
        this.handshake = new HandshakeEndpoint(installations, faults);
        this.consume = new ConsumeEndpoint(installations, tokens, faults);
        this.downloadFile = new DownloadFileEndpoint(installations, tokens, faults);
        this.configuration = new ConfigurationEndpoint(installations, tokens);
        this.admin = new AdminEndpoint(this);
    }

    /**
     * Starts the App listening on {@code address} (port 0 picks a free port).
     *
     * @throws IOException when the address cannot be bound
     */
    public static SampleApp start(InetSocketAddress address) throws IOException {
        return start(address, RECORDED_REQUESTS);
    }

    /**
     * Starts the App listening on {@code address} (port 0 picks a free port), keeping the last {@code recordedRequests}
     * requests for inspection instead of {@value #RECORDED_REQUESTS}: for runs larger than that.
     *
     * @throws IOException when the address cannot be bound
     */
    public static SampleApp start(InetSocketAddress address, int recordedRequests) throws IOException {
        Recorder.checkCapacity(recordedRequests);
        HttpServer server = HttpServer.create(address, BACKLOG);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        SampleApp app = new SampleApp(server, executor, recordedRequests);
        server.createContext("/", app::handle);
        server.setExecutor(executor);
        server.start();
        LOG.log(INFO, "sample App started base_uri={0}", app.baseUri);
        return app;
    }

    /** Starts the App on the loopback interface; port 0 picks a free port. */
    public static SampleApp start(int port) throws IOException {
        return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /**
     * Runs the App as a process: {@code --port 8081} (or {@code SAMPLE_APP_PORT}), {@code --host 127.0.0.1} (or
     * {@code SAMPLE_APP_HOST}). Prints {@code Sample App listening on <base URI>} once it accepts requests.
     */
    public static void main(String[] args) throws IOException {
        if (List.of(args).contains("--help")) {
            System.out.println(LaunchOptions.USAGE);
            return;
        }
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(LaunchOptions.USAGE);
            System.exit(2);
            return;
        }
        SampleApp app = start(new InetSocketAddress(options.host(), options.port()));
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "sample-app-shutdown"));
        System.out.println("Sample App listening on " + app.baseUri());
    }

    /** {@code http://host:port}, without a trailing slash; protocol paths are relative to it. */
    public URI baseUri() {
        return baseUri;
    }

    /** The URI of a path on this App, for example {@code uri("/consume/product_created")}. */
    public URI uri(String path) {
        return URI.create(baseUri + (path.startsWith("/") ? path : "/" + path));
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Every request received (except {@code /_sample/*}), oldest first. */
    public List<ReceivedRequest> receivedRequests() {
        return recorder.matching(request -> true);
    }

    public List<ReceivedRequest> receivedRequests(Predicate<? super ReceivedRequest> filter) {
        return recorder.matching(filter);
    }

    /** Requests to {@code /consume/{event}} for this event. */
    public List<ReceivedRequest> receivedRequestsForEvent(String event) {
        return recorder.matching(request -> Objects.equals(request.event(), event));
    }

    /** Requests whose token verified for this run (its {@code synchronization_id} claim). */
    public List<ReceivedRequest> receivedRequestsForRun(String synchronizationId) {
        return recorder.matching(request -> request.synchronizationId().filter(synchronizationId::equals).isPresent());
    }

    /** Requests whose token verified for this installation. */
    public List<ReceivedRequest> receivedRequestsForInstallation(String installationId) {
        return recorder.matching(request -> request.installationId().filter(installationId::equals).isPresent());
    }

    /**
     * Waits until at least {@code count} received requests match, for tests of an engine that calls the App
     * asynchronously.
     *
     * @return all matching requests, oldest first
     * @throws IllegalStateException when fewer arrived within {@code timeout}, saying how many did
     */
    public List<ReceivedRequest> awaitReceivedRequests(Predicate<? super ReceivedRequest> filter, int count,
                                                       Duration timeout) throws InterruptedException {
        return recorder.await(filter, count, timeout);
    }

    public Faults faults() {
        return faults.current();
    }

    /** Replaces the injected faults; the random draws restart from {@link Faults#seed()}. */
    public void setFaults(Faults faults) {
        this.faults.set(Objects.requireNonNull(faults, "faults"));
    }

    /** Forgets the recorded requests and stops injecting faults. Installations and catalogs are kept. */
    public void reset() {
        recorder.clear();
        faults.set(Faults.none());
    }

    /** Whether every configuration step is stored for this installation. */
    public boolean isConfigured(String installationId) {
        return installations.find(installationId).map(Installation::configured).orElse(false);
    }

    /** The configuration steps stored for this installation, as {@code GET /configuration} answers them. */
    public Optional<JsonNode> configuration(String installationId) {
        return installations.find(installationId).map(Installation::configuration);
    }

    /** Whether a handshake was received for this installation. */
    public boolean hasInstallation(String installationId) {
        return installations.find(installationId).isPresent();
    }

    /**
     * The installation's catalog as the App holds it: {@code status}, {@code attributes}, {@code categories},
     * {@code products} (with {@code external_id}, {@code categories}, {@code variants}, {@code children},
     * {@code values}), and the {@code synchronizations} it was told about. Empty when no handshake was received.
     */
    public Optional<JsonNode> catalog(String installationId) {
        return installations.find(installationId).map(installation -> installation.read(Catalog::toJson));
    }

    /** The CSV {@code GET /download-file} would answer right now for this installation. */
    public Optional<String> productFeed(String installationId) {
        return installations.find(installationId)
                .map(installation -> installation.read(catalog -> ProductFeed.render(catalog.products())));
    }

    /** Stops listening and interrupts requests still being handled (an injected hang ends at once). */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.log(INFO, "sample App closed with requests still running");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.log(INFO, "sample App stopped base_uri={0}", baseUri);
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            Call call = Call.read(exchange, clock.instant(), recorder);
            if (call.path().startsWith(AdminEndpoint.PREFIX)) {
                send(exchange, adminReply(call));
                return;
            }
            Answer answer = answer(call);
            call.record(answer);
            LOG.log(DEBUG, () -> "request method=" + call.method() + " path=" + call.path() + " status="
                    + answer.reply().status() + " outcome=" + answer.outcome()
                    + (answer.reason() == null ? "" : " reason=\"" + answer.reason() + "\""));
            send(exchange, answer.reply());
        } catch (IOException e) {
            // The caller went away (for example its timeout fired during an injected hang): nobody to answer.
            LOG.log(DEBUG, "response not delivered: {0}", e.toString());
        }
    }

    private Answer answer(Call call) {
        try {
            if (call.tooLarge()) {
                return Answer.invalid(413, "too_large", "the body exceeds " + Call.MAX_BODY_BYTES + " bytes");
            }
            String path = call.path();
            String method = call.method();
            if (path.equals("/handshake")) {
                return method.equals("POST") ? handshake.handle(call) : notAllowed("POST");
            }
            if (path.equals("/download-file")) {
                return method.equals("GET") ? downloadFile.handle(call) : notAllowed("GET");
            }
            if (path.equals("/configuration")) {
                return switch (method) {
                    case "GET" -> configuration.read(call);
                    case "POST" -> configuration.submit(call);
                    default -> notAllowed("GET, POST");
                };
            }
            if (path.startsWith("/dictionary/") && path.indexOf('/', "/dictionary/".length()) < 0) {
                return method.equals("GET")
                        ? configuration.dictionary(call, path.substring("/dictionary/".length()))
                        : notAllowed("GET");
            }
            if (path.startsWith("/consume/") && path.indexOf('/', "/consume/".length()) < 0) {
                String event = path.substring("/consume/".length());
                return method.equals("PUT") ? consume.handle(call, event) : notAllowed("PUT");
            }
            return Answer.invalid(404, "not_found", "the Apps protocol has no " + path);
        } catch (InvalidRequestException e) {
            return Answer.invalid(400, "invalid_request", e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(ERROR, "request failed method=" + call.method() + " path=" + call.path(), e);
            return Answer.failed("unexpected error in the sample App; see its log");
        }
    }

    private HttpReply adminReply(Call call) {
        try {
            return admin.handle(call);
        } catch (RuntimeException e) {
            LOG.log(ERROR, "request failed method=" + call.method() + " path=" + call.path(), e);
            return HttpReply.error(500, "internal_error", "unexpected error in the sample App; see its log");
        }
    }

    private static Answer notAllowed(String allowed) {
        HttpReply reply = AdminEndpoint.notAllowed(allowed);
        return new Answer(reply, ReceivedRequest.Outcome.INVALID, "method not allowed; allowed: " + allowed);
    }

    private static void send(HttpExchange exchange, HttpReply reply) throws IOException {
        reply.headers().forEach(exchange.getResponseHeaders()::set);
        byte[] body = reply.body();
        if (body.length == 0) {
            exchange.sendResponseHeaders(reply.status(), -1);
            return;
        }
        exchange.sendResponseHeaders(reply.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static URI baseUriOf(InetSocketAddress address) {
        InetAddress host = address.getAddress();
        // A server bound to every interface is reached locally through the loopback address.
        String literal = host.isAnyLocalAddress()
                ? InetAddress.getLoopbackAddress().getHostAddress()
                : host.getHostAddress();
        if (literal.contains(":")) {
            literal = "[" + literal + "]";
        }
        return URI.create("http://" + literal + ":" + address.getPort());
    }
}
