package dev.syncline.core.file;

/**
 * Bytes {@code first} to {@code last} of a file, both included, as HTTP ranges count them.
 */
public record ByteRange(long first, long last) {

    public ByteRange {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("a byte range needs 0 <= first <= last, got " + first + "-" + last);
        }
    }

    public long length() {
        return last - first + 1;
    }
}
