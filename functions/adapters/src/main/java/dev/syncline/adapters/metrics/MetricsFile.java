package dev.syncline.adapters.metrics;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The local stack's copy of the metric lines: appended to by every function (they share one process there), read by
 * {@code GET /v1/metrics}. On AWS the lines go to CloudWatch Logs only, and this file does not exist.
 */
public final class MetricsFile implements Consumer<String> {

    /** The most of the file's end a read looks at, so that a long-lived stack answers in bounded time and memory. */
    public static final int READ_LIMIT_BYTES = 8 * 1024 * 1024;

    private final Path file;

    public MetricsFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    @Override
    public synchronized void accept(String line) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot append to the metrics file " + file, e);
        }
    }

    /** The whole lines of the file's last {@value #READ_LIMIT_BYTES} bytes, oldest first; none when it does not exist. */
    public synchronized List<String> lastLines() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            long from = Math.max(0, length - READ_LIMIT_BYTES);
            byte[] bytes = new byte[(int) (length - from)];
            in.seek(from);
            in.readFully(bytes);
            List<String> lines = new ArrayList<>(List.of(new String(bytes, StandardCharsets.UTF_8).split("\n")));
            if (from > 0 && !lines.isEmpty()) {
                lines.removeFirst(); // cut in the middle
            }
            lines.removeIf(String::isBlank);
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the metrics file " + file, e);
        }
    }
}
