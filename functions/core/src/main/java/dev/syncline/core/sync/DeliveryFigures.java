package dev.syncline.core.sync;

import dev.syncline.core.delivery.ChunkResult;
import dev.syncline.core.delivery.EntryResult;
import dev.syncline.core.delivery.EntryStatus;
import dev.syncline.core.installation.Installation;
import dev.syncline.core.telemetry.Signal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What a delivered chunk tells an operator: its entries' fates, retries, give-ups and App latencies. */
final class DeliveryFigures {

    private static final String GAVE_UP = "gave up after";
    private static final String OUT_OF_TIME = "no time left for a request";

    private DeliveryFigures() {
    }

    static Signal.ChunkDelivered of(ChunkResult result, Installation installation, int window, Duration took) {
        int succeeded = 0;
        int failed = 0;
        int cancelled = 0;
        int retried = 0;
        int gaveUp = 0;
        int lastFailureStatus = 0;
        List<Duration> latencies = new ArrayList<>();
        for (EntryResult entry : result.entries()) {
            switch (entry.status()) {
                case SUCCEEDED -> succeeded++;
                case FAILED -> {
                    failed++;
                    lastFailureStatus = entry.lastHttpStatus();
                    if (entry.error() != null && (entry.error().startsWith(GAVE_UP) || entry.error().startsWith(OUT_OF_TIME))) {
                        gaveUp++;
                    }
                }
                case CANCELLED -> cancelled++;
                case PLANNED -> {
                    // Not recorded as such: a recorded chunk's entries are all terminal.
                }
            }
            if (entry.attempts() > 1) {
                retried++;
            }
            if (entry.attempts() > 0 && entry.status() != EntryStatus.CANCELLED) {
                latencies.add(Duration.ofMillis(entry.durationMillis()));
            }
        }
        return new Signal.ChunkDelivered(result.ref(), installation.id(), installation.appId().value(), succeeded, failed, cancelled,
                retried, gaveUp, latencies, took, window, lastFailureStatus);
    }
}
