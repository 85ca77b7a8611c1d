package dev.syncline.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Shows a run's progress as {@code GET /v1/synchronizations/{id}} reports it: on a terminal, one bar per phase
 * redrawn in place; elsewhere (CI, a pipe) a plain line now and then, so that a log stays readable.
 */
final class RunProgress {

    static final List<String> PHASES = List.of("attributes", "categories", "products", "relations");
    private static final int BAR_WIDTH = 30;
    private static final long PLAIN_EVERY_MILLIS = 5_000;

    private final Terminal terminal;
    private int drawnLines;
    private long lastPlainAt = Long.MIN_VALUE;
    private String lastPlainState = "";
    private String lastPlainLine = "";

    RunProgress(Terminal terminal) {
        this.terminal = terminal;
    }

    /** Shows the run's latest state; on a plain output only when enough time passed or the state moved on. */
    void update(JsonNode run) {
        if (terminal.interactive()) {
            redraw(lines(run));
            return;
        }
        long now = System.currentTimeMillis();
        String state = run.path("status").asText() + "/" + run.path("current_phase").asText();
        if (!state.equals(lastPlainState) || now - lastPlainAt >= PLAIN_EVERY_MILLIS) {
            print(plainLine(run));
            lastPlainAt = now;
            lastPlainState = state;
        }
    }

    /** Shows the final state once more, whatever the interval. */
    void finish(JsonNode run) {
        if (terminal.interactive()) {
            redraw(lines(run));
        } else if (!plainLine(run).equals(lastPlainLine)) {
            print(plainLine(run));
        }
    }

    private void print(String line) {
        terminal.println(line);
        lastPlainLine = line;
    }

    private void redraw(List<String> lines) {
        StringBuilder text = new StringBuilder();
        if (drawnLines > 0) {
            // Back to the start of the first line drawn last time, then overwrite each line.
            text.append("\033[").append(drawnLines).append('F');
        }
        for (String line : lines) {
            text.append("\033[2K").append(line).append('\n');
        }
        terminal.write(text.toString());
        drawnLines = lines.size();
    }

    /** The terminal display: a bar per phase and a status line. */
    static List<String> lines(JsonNode run) {
        List<String> lines = new ArrayList<>();
        boolean planned = !run.path("status").asText().equals("preparing");
        for (String phase : PHASES) {
            JsonNode counts = run.path("phases").path(phase);
            long total = counts.path("planned").asLong();
            long done = terminal(counts);
            long failed = counts.path("failed").asLong();
            String figures = !planned ? "planning" : String.format(Locale.ROOT, "%3d%%  %7d/%d", percent(done, total), done, total);
            lines.add(String.format(Locale.ROOT, "  %-11s %s %s%s", phase, bar(done, total, planned), figures,
                    failed > 0 ? "  " + failed + " failed" : ""));
        }
        lines.add("  " + statusLine(run));
        return lines;
    }

    /** One line for logs: every phase's figures, the status and the time so far. */
    static String plainLine(JsonNode run) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  [%6.1f s] %s", seconds(run), run.path("status").asText()));
        if (run.hasNonNull("current_phase")) {
            line.append(" (").append(run.path("current_phase").asText()).append(')');
        }
        if (!run.path("status").asText().equals("preparing")) {
            line.append(':');
            for (String phase : PHASES) {
                JsonNode counts = run.path("phases").path(phase);
                line.append(' ').append(phase).append(' ').append(terminal(counts)).append('/').append(counts.path("planned").asLong());
                if (counts.path("failed").asLong() > 0) {
                    line.append(" (").append(counts.path("failed").asLong()).append(" failed)");
                }
                line.append(phase.equals("relations") ? "" : ",");
            }
            line.append(" - ").append(run.path("progress_percent").asInt()).append('%');
        }
        return line.toString();
    }

    private static String statusLine(JsonNode run) {
        String status = run.path("status").asText();
        String phase = run.hasNonNull("current_phase") ? ", " + run.path("current_phase").asText() + " phase" : "";
        double seconds = seconds(run);
        long done = terminal(run.path("totals"));
        String rate = seconds > 0 && done > 0 ? String.format(Locale.ROOT, ", %.0f entries/s", done / seconds) : "";
        String what = switch (status) {
            case "preparing" -> "preparing: reading the snapshot and planning what changed";
            case "execution" -> "delivering to the App" + phase;
            default -> status;
        };
        return String.format(Locale.ROOT, "%s, %.1f s%s", what, seconds, rate);
    }

    static String bar(long done, long total, boolean planned) {
        int filled = !planned ? 0 : total == 0 ? BAR_WIDTH : (int) (BAR_WIDTH * done / total);
        return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "]";
    }

    static long terminal(JsonNode counts) {
        return counts.path("succeeded").asLong() + counts.path("failed").asLong() + counts.path("cancelled").asLong();
    }

    private static int percent(long done, long total) {
        return total == 0 ? 100 : (int) (100 * done / total);
    }

    static double seconds(JsonNode run) {
        return run.path("duration_ms").asLong() / 1000.0;
    }
}
