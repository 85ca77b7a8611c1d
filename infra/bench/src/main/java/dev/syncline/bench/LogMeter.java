package dev.syncline.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Takes the place of standard output and error while the local stack runs, writes what they receive to a file,
 * and counts the bytes and lines written while measuring: on Lambda those lines go to CloudWatch Logs, which bills
 * them by the byte.
 */
final class LogMeter extends OutputStream {

    private final OutputStream file;
    private final PrintStream originalOut;
    private final PrintStream originalErr;
    private boolean measuring;
    private long bytes;
    private long lines;

    private LogMeter(OutputStream file) {
        this.file = file;
        this.originalOut = System.out;
        this.originalErr = System.err;
    }

    /** Sends standard output and error to {@code logFile} until {@link #close()}. */
    static LogMeter install(Path logFile) {
        try {
            LogMeter meter = new LogMeter(new BufferedOutputStream(Files.newOutputStream(logFile), 64 * 1024));
            PrintStream redirected = new PrintStream(meter, true, StandardCharsets.UTF_8);
            System.setOut(redirected);
            System.setErr(redirected);
            return meter;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + logFile, e);
        }
    }

    /** Standard output as it was before {@link #install}: where the benchmark prints its tables. */
    PrintStream console() {
        return originalOut;
    }

    synchronized void measuring(boolean on) {
        measuring = on;
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized long lines() {
        return lines;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        file.write(b);
        if (measuring) {
            bytes++;
            if (b == '\n') {
                lines++;
            }
        }
    }

    @Override
    public synchronized void write(byte[] buffer, int offset, int length) throws IOException {
        file.write(buffer, offset, length);
        if (measuring) {
            bytes += length;
            for (int i = offset; i < offset + length; i++) {
                if (buffer[i] == '\n') {
                    lines++;
                }
            }
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        file.flush();
    }

    /** Puts standard output and error back and closes the file. */
    @Override
    public synchronized void close() throws IOException {
        System.setOut(originalOut);
        System.setErr(originalErr);
        file.close();
    }
}
