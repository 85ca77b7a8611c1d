package dev.syncline.adapters.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.adapters.aws.AwsClientFactory;
import dev.syncline.adapters.config.Config;
import dev.syncline.adapters.aws.EmulatorClients;
import dev.syncline.core.blob.BlobStore;
import dev.syncline.core.blob.StoredBlob;
import dev.syncline.core.plan.SnapshotNotFoundException;
import dev.syncline.core.plan.SnapshotStore;
import dev.syncline.core.plan.SnapshotTooLargeException;
import dev.syncline.core.snapshot.Category;
import dev.syncline.core.snapshot.SnapshotLine;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

@AwsIntegrationTest
class S3SnapshotStoreTest {

    private static final String SNAPSHOT = """
            {"type":"category","code":"shoes","name":{"en_GB":"Shoes"}}
            {"type":"category","code":"boots"
            {"type":"category","code":"sale","name":{"en_GB":"Sale"}}
            """;

    private final UUID installation = UUID.randomUUID();
    private AwsClientFactory clients;
    private S3SnapshotStore store;
    private String bucket;

    @BeforeEach
    void setUp(AwsStack stack) {
        clients = EmulatorClients.factory(stack);
        bucket = stack.names().bucket();
        store = new S3SnapshotStore(clients.s3(), bucket);
    }

    @AfterEach
    void tearDown() {
        clients.close();
    }

    @Test
    void putInline_thenOpen_readsTheSnapshotBackLineByLine_withItsRejectedLines() {
        byte[] body = SNAPSHOT.getBytes(StandardCharsets.UTF_8);

        StoredBlob stored = store.putInline(installation, "snap-1", new ByteArrayInputStream(body), body.length);

        assertThat(stored.key()).isEqualTo("snapshots/" + installation + "/snap-1");
        assertThat(readAll("snap-1")).satisfiesExactly(
                line -> assertThat(line).isEqualTo(new SnapshotLine.Accepted(1, new Category("shoes", new TreeMap<>(Map.of("en_GB", "Shoes"))))),
                line -> assertThat(line).isInstanceOfSatisfying(SnapshotLine.Rejected.class, rejected -> assertThat(rejected.lineNumber()).isEqualTo(2)),
                line -> assertThat(line).isEqualTo(new SnapshotLine.Accepted(3, new Category("sale", new TreeMap<>(Map.of("en_GB", "Sale"))))));
    }

    @Test
    void open_ofAGzipSnapshotUploadedToItsKey_readsTheSameLines() throws IOException {
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
            out.write(SNAPSHOT.getBytes(StandardCharsets.UTF_8));
        }
        // As the API's presigned upload would leave it: at the store's key, whatever the name or type.
        clients.s3().putObject(b -> b.bucket(bucket).key(S3SnapshotStore.key(installation, "snap-gz")),
                RequestBody.fromBytes(gzip.toByteArray()));

        List<SnapshotLine> lines = readAll("snap-gz");

        assertThat(lines).extracting(SnapshotLine::lineNumber).containsExactly(1L, 2L, 3L);
        assertThat(lines.get(2)).isEqualTo(new SnapshotLine.Accepted(3, new Category("sale", new TreeMap<>(Map.of("en_GB", "Sale")))));
    }

    @Test
    void open_readToTheEnd_tellsTheSha256OfTheStoredBytes_compressedOrNot() throws Exception {
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
            out.write(SNAPSHOT.getBytes(StandardCharsets.UTF_8));
        }
        clients.s3().putObject(b -> b.bucket(bucket).key(S3SnapshotStore.key(installation, "snap-sha")),
                RequestBody.fromBytes(gzip.toByteArray()));
        String expected = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(gzip.toByteArray()));

        try (SnapshotStore.Lines lines = store.open(installation, "snap-sha")) {
            lines.next();
            assertThat(lines.sha256()).as("not before the end").isEmpty();
            while (lines.hasNext()) {
                lines.next();
            }
            assertThat(lines.sha256()).contains(expected);
        }
    }

    @Test
    void putInline_ofUnknownLength_storesTheWholeSnapshot() {
        byte[] body = SNAPSHOT.getBytes(StandardCharsets.UTF_8);

        StoredBlob stored = store.putInline(installation, "snap-2", new ByteArrayInputStream(body), BlobStore.UNKNOWN_LENGTH);

        assertThat(stored.size()).isEqualTo(body.length);
        assertThat(readAll("snap-2")).hasSize(3);
    }

    @Test
    void open_closedBeforeTheEnd_releasesTheSnapshot() {
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            big.append("{\"type\":\"category\",\"code\":\"c").append(i).append("\",\"name\":{\"en_GB\":\"Category\"}}\n");
        }
        byte[] body = big.toString().getBytes(StandardCharsets.UTF_8);
        store.putInline(installation, "big", new ByteArrayInputStream(body), body.length);

        try (SnapshotStore.Lines lines = store.open(installation, "big")) {
            assertThat(lines.next()).isInstanceOf(SnapshotLine.Accepted.class);
        }

        assertThat(readAll("big")).hasSize(20_000);
    }

    @Test
    void open_whenNothingWasUploaded_throwsSnapshotNotFound() {
        assertThatThrownBy(() -> store.open(installation, "never-uploaded"))
                .isInstanceOf(SnapshotNotFoundException.class)
                .hasMessageContaining("never-uploaded");
    }

    @Test
    void open_ofAnotherInstallationsSnapshot_throwsSnapshotNotFound() {
        byte[] body = SNAPSHOT.getBytes(StandardCharsets.UTF_8);
        store.putInline(installation, "snap-3", new ByteArrayInputStream(body), body.length);

        assertThatThrownBy(() -> store.open(UUID.randomUUID(), "snap-3")).isInstanceOf(SnapshotNotFoundException.class);
    }

    @Test
    void exists_isTrueOnlyForAnUploadedSnapshotOfThatInstallation() {
        byte[] body = SNAPSHOT.getBytes(StandardCharsets.UTF_8);
        store.putInline(installation, "snap-4", new ByteArrayInputStream(body), body.length);

        assertThat(store.exists(installation, "snap-4")).isTrue();
        assertThat(store.exists(installation, "snap-5")).isFalse();
        assertThat(store.exists(UUID.randomUUID(), "snap-4")).isFalse();
        assertThat(store.exists(installation, "../" + installation + "/snap-4")).isFalse();
    }

    @Test
    void key_refusesIdsThatAreNotOneSegmentOfAKey() {
        assertThat(S3SnapshotStore.key(installation, "2024-05-01T10.00_full")).isEqualTo("snapshots/" + installation + "/2024-05-01T10.00_full");
        for (String id : List.of("", "..", "a/b", ".hidden", "a b", "x".repeat(201))) {
            assertThat(S3SnapshotStore.isValidId(id)).as(id).isFalse();
            assertThatThrownBy(() -> S3SnapshotStore.key(installation, id)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> store.open(installation, "a/b")).isInstanceOf(SnapshotNotFoundException.class);
    }

    @Test
    void open_ofAGzipBomb_stopsAtTheDecompressedLimit_namingItAndItsSetting() throws IOException {
        // 256 MiB of zeros after one good line gzip to a few hundred KiB: small to upload, huge to read.
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
            out.write("{\"type\":\"category\",\"code\":\"shoes\",\"name\":{\"en_GB\":\"Shoes\"}}\n".getBytes(StandardCharsets.UTF_8));
            byte[] zeros = new byte[1024 * 1024];
            for (int i = 0; i < 256; i++) {
                out.write(zeros);
            }
        }
        assertThat(gzip.size()).as("the compressed file is small").isLessThan(1024 * 1024);
        clients.s3().putObject(b -> b.bucket(bucket).key(S3SnapshotStore.key(installation, "bomb")), RequestBody.fromBytes(gzip.toByteArray()));
        S3SnapshotStore capped = new S3SnapshotStore(clients.s3(), bucket, new Config.Snapshots(1024 * 1024, 4 * 1024 * 1024, 1000));

        try (SnapshotStore.Lines lines = capped.open(installation, "bomb")) {
            assertThat(lines.next()).as("lines before the limit are read as usual").isInstanceOf(SnapshotLine.Accepted.class);
            assertThatThrownBy(lines::hasNext)
                    .isInstanceOf(SnapshotTooLargeException.class)
                    .hasMessageContaining("more than 4194304 bytes once decompressed")
                    .hasMessageContaining("SYNCLINE_SNAPSHOT_MAX_BYTES")
                    .hasMessageContaining("nothing was sent");
            assertThat(lines.sha256()).as("the file was not read to its end").isEmpty();
        }
    }

    @Test
    void open_ofMoreLinesThanTheLimit_readsUpToItThenFails_namingItAndItsSetting() {
        byte[] body = SNAPSHOT.getBytes(StandardCharsets.UTF_8);
        store.putInline(installation, "three-lines", new ByteArrayInputStream(body), body.length);
        S3SnapshotStore capped = new S3SnapshotStore(clients.s3(), bucket, new Config.Snapshots(1024, 1024, 2));

        try (SnapshotStore.Lines lines = capped.open(installation, "three-lines")) {
            assertThat(lines.next().lineNumber()).isEqualTo(1);
            assertThat(lines.next().lineNumber()).isEqualTo(2);
            assertThatThrownBy(lines::hasNext)
                    .isInstanceOf(SnapshotTooLargeException.class)
                    .hasMessageContaining("more than 2 lines")
                    .hasMessageContaining("SYNCLINE_SNAPSHOT_MAX_LINES");
        }
        S3SnapshotStore roomy = new S3SnapshotStore(clients.s3(), bucket, new Config.Snapshots(1024, body.length, 3));
        try (SnapshotStore.Lines lines = roomy.open(installation, "three-lines")) {
            assertThat(lines).as("a snapshot exactly at both limits is read whole").toIterable().hasSize(3);
        }
    }

    @Test
    void anUploadLargerThanTheLimit_isRefusedByExists_andByOpen_beforeAByteIsRead() {
        byte[] body = SNAPSHOT.getBytes(StandardCharsets.UTF_8);
        // As a presigned PUT leaves it: nothing bounds its size on the way in.
        clients.s3().putObject(b -> b.bucket(bucket).key(S3SnapshotStore.key(installation, "too-big")), RequestBody.fromBytes(body));
        S3SnapshotStore capped = new S3SnapshotStore(clients.s3(), bucket, new Config.Snapshots(body.length - 1, 1024, 1000));

        for (org.assertj.core.api.ThrowableAssert.ThrowingCallable call : List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
                () -> capped.exists(installation, "too-big"), () -> capped.open(installation, "too-big"))) {
            assertThatThrownBy(call)
                    .isInstanceOf(SnapshotTooLargeException.class)
                    .hasMessageContaining("the snapshot file is " + body.length + " bytes, more than the " + (body.length - 1) + " bytes")
                    .hasMessageContaining("SYNCLINE_SNAPSHOT_MAX_UPLOAD_BYTES")
                    .hasMessageContaining("gzip-compressed");
        }
        S3SnapshotStore exact = new S3SnapshotStore(clients.s3(), bucket, new Config.Snapshots(body.length, 1024, 1000));
        assertThat(exact.exists(installation, "too-big")).as("a file exactly at the limit is accepted").isTrue();
    }

    private List<SnapshotLine> readAll(String snapshotId) {
        List<SnapshotLine> lines = new ArrayList<>();
        try (SnapshotStore.Lines open = store.open(installation, snapshotId)) {
            open.forEachRemaining(lines::add);
        }
        return lines;
    }
}
