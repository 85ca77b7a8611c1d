package dev.syncline.adapters.json;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines, holding at most {@code maxLineBytes} of one line whatever the input: the
 * rest of a longer line is read and dropped up to the next line break, so a single oversized line costs time
 * but never memory. A trailing {@code \r} is dropped (files written on Windows), and so is a UTF-8 byte order
 * mark at the start of the first line.
 */
final class NdjsonLines {

    private static final int CHUNK_BYTES = 64 * 1024;

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] chunk = new byte[CHUNK_BYTES];
    private int position;
    private int limit;
    private boolean endOfInput;

    private byte[] line = new byte[1024];
    private int length;
    private boolean tooLong;
    private long number;

    NdjsonLines(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** Moves to the next line; false at the end of the input. */
    boolean next() throws IOException {
        if (endOfInput) {
            return false;
        }
        length = 0;
        tooLong = false;
        boolean readAny = false;
        while (true) {
            if (position == limit && !fill()) {
                endOfInput = true;
                if (!readAny) {
                    return false;
                }
                break;
            }
            readAny = true;
            int newline = indexOfNewline();
            int end = newline < 0 ? limit : newline;
            append(end - position);
            position = newline < 0 ? limit : newline + 1;
            if (newline >= 0) {
                break;
            }
        }
        number++;
        // One byte over the limit is buffered so that a line of exactly the limit plus "\r" still fits.
        if (!tooLong && length > 0 && line[length - 1] == '\r') {
            length--;
        }
        if (tooLong || length > maxLineBytes) {
            tooLong = true;
            length = Math.min(length, maxLineBytes);
        }
        if (number == 1 && length >= 3 && (line[0] & 0xff) == 0xef && (line[1] & 0xff) == 0xbb && (line[2] & 0xff) == 0xbf) {
            System.arraycopy(line, 3, line, 0, length - 3);
            length -= 3;
        }
        return true;
    }

    /** The current line's bytes, valid up to {@link #length()}; for an oversized line, its first bytes only. */
    byte[] bytes() {
        return line;
    }

    int length() {
        return length;
    }

    /** Whether the current line went past the limit; {@link #bytes()} then holds only its beginning. */
    boolean tooLong() {
        return tooLong;
    }

    /** 1-based number of the current line. */
    long number() {
        return number;
    }

    /** Whether the current line holds only whitespace. */
    boolean isBlank() {
        if (tooLong) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private boolean fill() throws IOException {
        int read;
        do {
            read = in.read(chunk);
        } while (read == 0);
        position = 0;
        limit = Math.max(read, 0);
        return read > 0;
    }

    private int indexOfNewline() {
        for (int i = position; i < limit; i++) {
            if (chunk[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void append(int count) {
        int room = maxLineBytes + 1 - length;
        if (count > room) {
            tooLong = true;
            count = room;
        }
        if (count <= 0) {
            return;
        }
        if (length + count > line.length) {
            int capacity = Math.min(maxLineBytes + 1, Math.max(line.length * 2, length + count));
            line = Arrays.copyOf(line, capacity);
        }
        System.arraycopy(chunk, position, line, length, count);
        length += count;
    }
}
