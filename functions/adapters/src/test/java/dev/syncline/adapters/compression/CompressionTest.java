package dev.syncline.adapters.compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class CompressionTest {

    private static final String LINE = "{\"type\":\"product\",\"sku\":\"SKU-ü😀\",\"values\":{\"price\":{\"\":19.90}}}\n";

    @Test
    void compressing_writesZstdThatReadsBackAsWritten() throws IOException {
        byte[] json = LINE.repeat(1000).getBytes(StandardCharsets.UTF_8);

        byte[] file = compress(json);

        assertThat(Arrays.copyOf(file, 4)).containsExactly(0x28, 0xb5, 0x2f, 0xfd); // zstd's frame magic
        assertThat(file.length).isLessThan(json.length / 10);
        assertThat(decompress(file)).isEqualTo(json);
    }

    @Test
    void decompressing_readsFramesWrittenOneAfterTheOtherAsOneStream() throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        for (String block : new String[] {"first;", "second;", "third"}) {
            file.write(compress(block.repeat(100).getBytes(StandardCharsets.UTF_8)));
        }

        assertThat(new String(decompress(file.toByteArray()), StandardCharsets.UTF_8))
                .isEqualTo("first;".repeat(100) + "second;".repeat(100) + "third".repeat(100));
    }

    @Test
    void blocks_writtenByOneCompressorOneAfterTheOther_readBackAsOneStream() throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        byte[] large = LINE.repeat(5000).getBytes(StandardCharsets.UTF_8); // larger than the first block: the frame buffer grows
        try (Compression.Blocks blocks = new Compression.Blocks()) {
            byte[] small = "small;".getBytes(StandardCharsets.UTF_8);
            blocks.write(small, 0, small.length, file);
            blocks.write(large, 0, large.length, file);
            byte[] padded = ("xx" + LINE + "yy").getBytes(StandardCharsets.UTF_8);
            blocks.write(padded, 2, padded.length - 4, file);
        }

        assertThat(new String(decompress(file.toByteArray()), StandardCharsets.UTF_8)).isEqualTo("small;" + LINE.repeat(5000) + LINE);
    }

    @Test
    void decompressing_readsAGzipFileWrittenBefore() throws IOException {
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(gzip)) {
            out.write(LINE.getBytes(StandardCharsets.UTF_8));
        }

        assertThat(new String(decompress(gzip.toByteArray()), StandardCharsets.UTF_8)).isEqualTo(LINE);
    }

    @Test
    void decompressing_ofPlainJson_failsSayingWhatTheFileStartsWith() {
        assertThatThrownBy(() -> decompress(LINE.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class)
                .hasMessage("the data is compressed neither with zstd nor with gzip (it starts with 7b 22 74 79)");
        assertThatThrownBy(() -> decompress(new byte[0]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("it starts with nothing: it is empty");
    }

    @Test
    void decompressing_ofATruncatedFile_failsInsteadOfReturningPartOfIt() throws IOException {
        byte[] file = compress(LINE.repeat(1000).getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> decompress(Arrays.copyOf(file, file.length - 3))).isInstanceOf(IOException.class);
    }

    private static byte[] compress(byte[] data) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        try (OutputStream out = Compression.compressing(file)) {
            out.write(data);
        }
        return file.toByteArray();
    }

    private static byte[] decompress(byte[] file) throws IOException {
        try (InputStream in = Compression.decompressing(new ByteArrayInputStream(file))) {
            return in.readAllBytes();
        }
    }
}
