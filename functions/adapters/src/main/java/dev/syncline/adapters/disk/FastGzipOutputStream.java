package dev.syncline.adapters.disk;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Gzip at its fastest level: for files written in bulk on the planner's hot path (spill blocks, plan chunks),
 * where compression time counts more than the last few percent of size. Any gzip reader reads it.
 */
public final class FastGzipOutputStream extends GZIPOutputStream {

    public FastGzipOutputStream(OutputStream target, int bufferBytes) throws IOException {
        super(target, bufferBytes);
        def.setLevel(Deflater.BEST_SPEED);
    }
}
