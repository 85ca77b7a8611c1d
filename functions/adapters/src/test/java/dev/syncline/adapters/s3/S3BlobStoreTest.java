package dev.syncline.adapters.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.adapters.aws.AwsClientFactory;
import dev.syncline.adapters.aws.EmulatorClients;
import dev.syncline.core.blob.Blob;
import dev.syncline.core.blob.BlobStore;
import dev.syncline.core.blob.StoredBlob;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@AwsIntegrationTest
class S3BlobStoreTest {

    private AwsClientFactory clients;
    private S3BlobStore store;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp(AwsStack stack) {
        clients = EmulatorClients.factory(stack);
        store = new S3BlobStore(clients.s3(), clients.s3Presigner(), stack.names().bucket());
    }

    @AfterEach
    void tearDown() {
        clients.close();
    }

    @Test
    void put_withKnownLength_thenOpen_returnsTheSameBytesAndType() throws Exception {
        byte[] csv = "sku,name\nSKU-1,Boot\n".getBytes(StandardCharsets.UTF_8);

        StoredBlob stored = store.put("files/run-1/feed.csv", new ByteArrayInputStream(csv), csv.length, "text/csv");

        assertThat(stored.size()).isEqualTo(csv.length);
        try (Blob blob = store.open("files/run-1/feed.csv").orElseThrow()) {
            assertThat(blob.content().readAllBytes()).isEqualTo(csv);
            assertThat(blob.info().contentType()).isEqualTo("text/csv");
            assertThat(blob.info().size()).isEqualTo(csv.length);
        }
    }

    @Test
    void put_ofUnknownLengthAcrossSeveralParts_streamsItWhole() throws Exception {
        long size = 2L * S3BlobStore.PART_SIZE + 12345;
        MessageDigest written = MessageDigest.getInstance("SHA-256");

        StoredBlob stored = store.put("files/big.ndjson", new GeneratedStream(size, written), BlobStore.UNKNOWN_LENGTH, "application/x-ndjson");

        assertThat(stored.size()).isEqualTo(size);
        MessageDigest read = MessageDigest.getInstance("SHA-256");
        try (Blob blob = store.open("files/big.ndjson").orElseThrow()) {
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = blob.content().read(buffer)) > 0; ) {
                read.update(buffer, 0, n);
                total += n;
            }
            assertThat(total).isEqualTo(size);
        }
        assertThat(HexFormat.of().formatHex(read.digest())).isEqualTo(HexFormat.of().formatHex(written.digest()));
    }

    @Test
    void put_ofUnknownLengthThatIsSmall_isStoredInOneRequest() throws Exception {
        store.put("snapshots/s.ndjson", new ByteArrayInputStream("{}\n".getBytes(StandardCharsets.UTF_8)), BlobStore.UNKNOWN_LENGTH, "application/x-ndjson");

        assertThat(store.describe("snapshots/s.ndjson")).get().extracting(StoredBlob::size).isEqualTo(3L);
    }

    @Test
    void open_andDescribe_whenMissing_areEmpty() {
        assertThat(store.open("nothing/here")).isEmpty();
        assertThat(store.describe("nothing/here")).isEmpty();
    }

    @Test
    void delete_removesTheObject() {
        store.put("k", new ByteArrayInputStream(new byte[] {1}), 1, "application/octet-stream");

        store.delete("k");

        assertThat(store.describe("k")).isEmpty();
    }

    @Test
    void presignedUpload_acceptsAPutFromAPlainHttpClient() throws Exception {
        URI upload = store.presignUpload("snapshots/upload.ndjson", "application/x-ndjson", Duration.ofMinutes(15));
        String body = "{\"type\":\"category\",\"code\":\"shoes\",\"name\":{\"en_GB\":\"Shoes\"}}\n";

        HttpResponse<String> response = putOnce(upload, body);

        assertThat(response.statusCode()).isEqualTo(200);
        try (Blob blob = store.open("snapshots/upload.ndjson").orElseThrow()) {
            assertThat(new String(blob.content().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(body);
        }
    }

    @Test
    void presignedUpload_worksOnce_aSecondPutIsRefusedAndTheFirstBytesStay() throws Exception {
        URI upload = store.presignUpload("snapshots/once.ndjson", "application/x-ndjson", Duration.ofMinutes(15));

        HttpResponse<String> first = putOnce(upload, "first\n");
        HttpResponse<String> second = putOnce(upload, "second\n");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(412);
        try (Blob blob = store.open("snapshots/once.ndjson").orElseThrow()) {
            assertThat(new String(blob.content().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("first\n");
        }
    }

    // docs/synchronizations.md shows these refusals next to their fix: the URL's signature covers both headers.
    @ParameterizedTest(name = "{0}")
    @MethodSource("uploadMistakes")
    void presignedUpload_withoutTheHeadersItWasSignedFor_isRefused403SignatureDoesNotMatch_andStoresNothing(String mistake,
            Map<String, String> headers) throws Exception {
        URI upload = store.presignUpload("snapshots/mistake.ndjson", "application/x-ndjson", Duration.ofMinutes(15));
        HttpRequest.Builder request = HttpRequest.newBuilder(upload).PUT(HttpRequest.BodyPublishers.ofString("{}\n"));
        headers.forEach(request::header);

        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(response.body()).contains("<Code>SignatureDoesNotMatch</Code>");
        assertThat(store.describe("snapshots/mistake.ndjson")).isEmpty();
    }

    @Test
    void presignedUpload_afterItsLifetime_isRefused403RequestHasExpired() throws Exception {
        URI upload = store.presignUpload("snapshots/late.ndjson", "application/x-ndjson", Duration.ofSeconds(1));
        Thread.sleep(2_100);

        HttpResponse<String> response = putOnce(upload, "{}\n");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(response.body()).contains("<Code>AccessDenied</Code>").contains("Request has expired");
        assertThat(store.describe("snapshots/late.ndjson")).isEmpty();
    }

    static Stream<Arguments> uploadMistakes() {
        return Stream.of(
                Arguments.of("no Content-Type", Map.of("If-None-Match", "*")),
                Arguments.of("curl's default Content-Type", Map.of("Content-Type", "application/x-www-form-urlencoded", "If-None-Match", "*")),
                Arguments.of("the gzip type", Map.of("Content-Type", "application/gzip", "If-None-Match", "*")),
                Arguments.of("no If-None-Match", Map.of("Content-Type", "application/x-ndjson")));
    }

    private HttpResponse<String> putOnce(URI upload, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(upload)
                        .header("Content-Type", "application/x-ndjson")
                        .header("If-None-Match", "*")
                        .PUT(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void presignedDownload_servesTheObjectToAPlainHttpClient() throws Exception {
        byte[] csv = "sku\nSKU-1\n".getBytes(StandardCharsets.UTF_8);
        store.put("files/run-2/feed.csv", new ByteArrayInputStream(csv), csv.length, "text/csv");

        HttpResponse<byte[]> response = http.send(
                HttpRequest.newBuilder(store.presignDownload("files/run-2/feed.csv", Duration.ofMinutes(5))).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(csv);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/csv");
    }

    @Test
    void presignedDownload_withATamperedSignature_isRefused() throws Exception {
        store.put("files/secret.csv", new ByteArrayInputStream(new byte[] {1}), 1, "text/csv");
        String url = store.presignDownload("files/secret.csv", Duration.ofMinutes(5)).toString();
        String tampered = url.replaceAll("X-Amz-Signature=([0-9a-f])", "X-Amz-Signature=" + (url.contains("X-Amz-Signature=0") ? "1" : "0"));

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(tampered)).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(403);
    }

    /** Deterministic pseudo-random bytes of a given size, hashed as they are read. */
    private static final class GeneratedStream extends InputStream {
        private final long size;
        private final MessageDigest digest;
        private long position;

        GeneratedStream(long size, MessageDigest digest) {
            this.size = size;
            this.digest = digest;
        }

        @Override
        public int read() {
            if (position >= size) {
                return -1;
            }
            int value = (int) ((position * 31 + (position >>> 7)) & 0xFF);
            position++;
            digest.update((byte) value);
            return value;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(length, size - position);
            for (int i = 0; i < n; i++) {
                buffer[offset + i] = (byte) read();
            }
            return n;
        }
    }
}
