package dev.syncline.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What a run did, in a few lines: entries per phase and status, how long it took, how fast it went. */
final class RunSummary {

    private static final String ROW = "  %-11s %9s %10s %8s %10s";

    private RunSummary() {
    }

    static List<String> lines(JsonNode run) {
        List<String> lines = new ArrayList<>();
        double seconds = RunProgress.seconds(run);
        long entries = RunProgress.terminal(run.path("totals"));
        lines.add(String.format(Locale.ROOT, "Synchronization %s %s (%s): %d entries in %.1f s, %.0f entries/s",
                run.path("id").asText(), run.path("status").asText(), run.path("mode").asText(), entries, seconds,
                seconds > 0 ? entries / seconds : 0.0));
        lines.add(String.format(Locale.ROOT, ROW, "phase", "planned", "succeeded", "failed", "cancelled"));
        for (String phase : RunProgress.PHASES) {
            lines.add(row(phase, run.path("phases").path(phase)));
        }
        lines.add(row("total", run.path("totals")));
        if (run.path("rejected_lines").asLong() > 0) {
            lines.add("  " + run.path("rejected_lines").asLong() + " snapshot lines rejected");
        }
        if (run.hasNonNull("reason")) {
            lines.add("  reason: " + run.path("reason").asText());
        }
        return lines;
    }

    private static String row(String name, JsonNode counts) {
        return String.format(Locale.ROOT, ROW, name, counts.path("planned").asLong(), counts.path("succeeded").asLong(),
                counts.path("failed").asLong(), counts.path("cancelled").asLong());
    }
}
