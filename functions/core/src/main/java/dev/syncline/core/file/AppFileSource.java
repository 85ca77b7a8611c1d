package dev.syncline.core.file;

import dev.syncline.core.delivery.AppTarget;
import dev.syncline.core.delivery.DeliveryAttempt;
import java.io.InputStream;

/**
 * The App's {@code GET /download-file}, called with the run's token. Never throws for an App's failure: it
 * reports it, so that the caller retries the way deliveries are retried.
 */
public interface AppFileSource {

    /**
     * Fetches the run's file and hands its body to {@code sink} while the connection is open, so that the file is
     * streamed to storage and never held whole.
     */
    Fetch fetch(AppTarget target, FileSink sink);

    /** Stores a body as it arrives. */
    @FunctionalInterface
    interface FileSink {

        /**
         * @param contentType the App's {@code Content-Type}, {@code application/octet-stream} when it sent none
         * @param contentLength the App's {@code Content-Length}, or -1 when it sent none
         * @param suggestedName the file name of the App's {@code Content-Disposition}, or null
         * @throws java.io.UncheckedIOException when the body could not be read to its end
         */
        RunFile store(String contentType, long contentLength, String suggestedName, InputStream body);
    }

    /** How one fetch went. */
    sealed interface Fetch {

        record Stored(RunFile file) implements Fetch {
        }

        /** No file: the App's answer (status and excerpt, {@code Retry-After}) or why there was none. */
        record Failed(DeliveryAttempt attempt) implements Fetch {
        }
    }
}
