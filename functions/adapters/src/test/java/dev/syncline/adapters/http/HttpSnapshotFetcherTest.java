package dev.syncline.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.syncline.adapters.aws.AwsClientFactory;
import dev.syncline.adapters.aws.EmulatorClients;
import dev.syncline.adapters.s3.S3SnapshotStore;
import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.installation.EncryptedSecret;
import dev.syncline.core.plan.SnapshotStore;
import dev.syncline.core.schedule.SnapshotFetcher.SnapshotSourceException;
import dev.syncline.core.schedule.SnapshotSource;
import dev.syncline.core.snapshot.SnapshotLine;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The snapshot source of a scheduled run: a PIM's HTTP server on this machine, the snapshot store on the S3 emulator. */
@AwsIntegrationTest
class HttpSnapshotFetcherTest {

    private static final String CATALOG = """
            {"type":"category","code":"shoes","name":{"en_GB":"Shoes"}}
            {"type":"category","code":"sale","name":{"en_GB":"Sale"}}
            """;
    private static final String SECRET = "Bearer pim-export-7f3a";

    private final UUID installation = UUID.randomUUID();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private AwsClientFactory clients;
    private S3SnapshotStore store;
    private HttpServer pim;

    @BeforeEach
    void setUp(AwsStack stack) throws IOException {
        clients = EmulatorClients.factory(stack);
        store = new S3SnapshotStore(clients.s3(), stack.names().bucket());
        pim = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pim.setExecutor(threads);
        pim.createContext("/catalog.ndjson", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            send(exchange, 200, CATALOG.getBytes(StandardCharsets.UTF_8));
        });
        pim.createContext("/catalog.ndjson.gz", exchange -> send(exchange, 200, gzip(CATALOG)));
        pim.createContext("/large", exchange -> send(exchange, 200, new byte[4096]));
        pim.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().set("Location", "http://169.254.169.254/latest/meta-data/");
            send(exchange, 302, new byte[0]);
        });
        pim.createContext("/denied", exchange -> send(exchange, 401, "token expired".getBytes(StandardCharsets.UTF_8)));
        pim.createContext("/slow", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream body = exchange.getResponseBody()) {
                for (int i = 0; i < 20; i++) {
                    body.write(CATALOG.getBytes(StandardCharsets.UTF_8));
                    body.flush();
                    Thread.sleep(500);
                }
            } catch (InterruptedException | IOException e) {
                // The client gave up: the test is about that.
            }
        });
        pim.start();
    }

    @AfterEach
    void tearDown() {
        pim.stop(0);
        threads.shutdownNow();
        clients.close();
    }

    @Test
    void fetch_storesThePlainSnapshot_sendingTheSecretHeader() {
        fetcher(Duration.ofSeconds(10), 1_000_000).fetch(installation, source("/catalog.ndjson", true), SECRET, "scheduled-1");

        assertThat(lines("scheduled-1")).hasSize(2).allMatch(line -> line instanceof SnapshotLine.Accepted);
        assertThat(authorizations).containsExactly(SECRET);
        assertThat(store.latest(installation)).contains("scheduled-1");
    }

    @Test
    void fetch_storesAGzipSnapshot_whichThePlannerReadsAsNdjson() {
        fetcher(Duration.ofSeconds(10), 1_000_000).fetch(installation, source("/catalog.ndjson.gz", false), null, "scheduled-gz");

        assertThat(lines("scheduled-gz")).hasSize(2).allMatch(line -> line instanceof SnapshotLine.Accepted);
    }

    @Test
    void fetch_whenTheSourceServesMoreThanTheLimit_failsSayingSo_andStoresNothing() {
        assertThatThrownBy(() -> fetcher(Duration.ofSeconds(10), 1000).fetch(installation, source("/large", false), null, "too-big"))
                .isInstanceOf(SnapshotSourceException.class)
                .hasMessage("it serves more than 1000 bytes; serve it gzip-compressed or upload it with POST /v1/installations/{id}/snapshots");
        assertThat(store.exists(installation, "too-big")).isFalse();
    }

    @Test
    void fetch_whenTheTransferOutlastsTheTimeout_failsSayingSo() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> fetcher(Duration.ofSeconds(1), 1_000_000).fetch(installation, source("/slow", false), null, "slow"))
                .isInstanceOf(SnapshotSourceException.class)
                .hasMessageStartingWith("the transfer from 127.0.0.1:" + pim.getAddress().getPort() + " took longer than 1 s");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
        assertThat(store.exists(installation, "slow")).isFalse();
    }

    @Test
    void fetch_whenTheUrlIsInternal_onADeploymentThatRefusesInternalUrls_makesNoRequest() {
        HttpSnapshotFetcher publicOnly = HttpSnapshotFetcher.create(AppUrlGuard.create(false), store, Duration.ofSeconds(1),
                Duration.ofSeconds(5), 1000);

        assertThatThrownBy(() -> publicOnly.fetch(installation, source("/catalog.ndjson", true), SECRET, "internal"))
                .isInstanceOf(SnapshotSourceException.class)
                .hasMessageContaining("its URL must not point at a loopback address");
        assertThat(authorizations).isEmpty();
    }

    @Test
    void fetch_whenTheSourceNameRebindsToLoopbackAfterTheCheck_failsForTheRefusedUrl() {
        try (RebindingName rebinding = new RebindingName()) {
            HttpSnapshotFetcher publicOnly = HttpSnapshotFetcher.create(AppUrlGuard.create(false, rebinding.asTheGuardSawIt()), store,
                    Duration.ofSeconds(1), Duration.ofSeconds(5), 1000);
            HttpUrl url = HttpUrl.parse("https://" + rebinding.host() + ":" + pim.getAddress().getPort() + "/catalog.ndjson");

            assertThatThrownBy(() -> publicOnly.fetch(installation, new SnapshotSource(url, "Authorization",
                    new EncryptedSecret("stored-elsewhere")), SECRET, "rebound"))
                    .isInstanceOf(SnapshotSourceException.class)
                    .hasMessageContaining("its URL must not point at a loopback address: " + rebinding.host() + " resolves to 127.0.0.1;");
        }
    }

    @Test
    void fetch_whenTheSourceRedirectsOrRefuses_failsWithTheStatus_neverFollowing() {
        assertThatThrownBy(() -> fetcher(Duration.ofSeconds(5), 1000).fetch(installation, source("/moved", false), null, "moved"))
                .hasMessageEndingWith("answered 302 (redirects are not followed: give the final URL)");
        assertThatThrownBy(() -> fetcher(Duration.ofSeconds(5), 1000).fetch(installation, source("/denied", true), SECRET, "denied"))
                .hasMessageEndingWith("answered 401: token expired")
                .message().doesNotContain(SECRET);
    }

    private HttpSnapshotFetcher fetcher(Duration timeout, long maxBytes) {
        return HttpSnapshotFetcher.create(AppUrlGuard.create(true), store, Duration.ofSeconds(1), timeout, maxBytes);
    }

    private SnapshotSource source(String path, boolean withSecret) {
        HttpUrl url = HttpUrl.parse("http://127.0.0.1:" + pim.getAddress().getPort() + path);
        return withSecret ? new SnapshotSource(url, "Authorization", new EncryptedSecret("stored-elsewhere")) : new SnapshotSource(url, null, null);
    }

    private List<SnapshotLine> lines(String snapshotId) {
        List<SnapshotLine> lines = new ArrayList<>();
        try (SnapshotStore.Lines read = store.open(installation, snapshotId)) {
            read.forEachRemaining(lines::add);
        }
        return lines;
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }
}
