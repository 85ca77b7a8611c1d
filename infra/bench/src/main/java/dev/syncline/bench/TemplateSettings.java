package dev.syncline.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The figures of template.yaml a cost estimate depends on, read from the file itself so that the estimate follows
 * the template: function memory sizes, the worker's maximum concurrency, the architecture and the planner's timeout.
 */
record TemplateSettings(int apiMemoryMb, int plannerMemoryMb, int workerMemoryMb, int workerMaximumConcurrency, String architecture,
        int plannerTimeoutSeconds) {

    private static final Pattern MEMORY = Pattern.compile("^\\s+MemorySize:\\s*(\\d+)\\s*$");
    private static final Pattern TIMEOUT = Pattern.compile("^\\s+Timeout:\\s*(\\d+)\\s*$");
    private static final Pattern DEFAULT = Pattern.compile("^\\s+Default:\\s*(\\d+)\\s*$");
    private static final Pattern ARCHITECTURES = Pattern.compile("^\\s+Architectures:\\s*\\[\\s*([a-z0-9_]+)\\s*]\\s*$");

    static TemplateSettings read(Path template) {
        List<String> lines;
        try {
            lines = Files.readAllLines(template);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the SAM template " + template, e);
        }
        return new TemplateSettings(
                number(lines, "ApiFunction", MEMORY, template),
                number(lines, "PlannerFunction", MEMORY, template),
                number(lines, "WorkerFunction", MEMORY, template),
                number(lines, "WorkerMaximumConcurrency", DEFAULT, template),
                text(lines, "Globals", ARCHITECTURES, template),
                number(lines, "PlannerFunction", TIMEOUT, template));
    }

    double workerMemoryGb() {
        return workerMemoryMb / 1024.0;
    }

    double plannerMemoryGb() {
        return plannerMemoryMb / 1024.0;
    }

    double apiMemoryGb() {
        return apiMemoryMb / 1024.0;
    }

    private static int number(List<String> lines, String block, Pattern pattern, Path template) {
        return Integer.parseInt(text(lines, block, pattern, template));
    }

    /** The first match of {@code pattern} inside the top-level or second-level block named {@code block}. */
    private static String text(List<String> lines, String block, Pattern pattern, Path template) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String name = line.strip();
            if (!name.equals(block + ":")) {
                continue;
            }
            int indent = line.indexOf(name);
            for (int j = i + 1; j < lines.size(); j++) {
                String inner = lines.get(j);
                if (!inner.isBlank() && !inner.stripLeading().startsWith("#") && inner.indexOf(inner.strip()) <= indent) {
                    break;
                }
                Matcher match = pattern.matcher(inner);
                if (match.matches()) {
                    return match.group(1);
                }
            }
        }
        throw new IllegalStateException(template + " has no " + pattern.pattern() + " under " + block
                + ": the benchmark reads the function settings from the template; update TemplateSettings");
    }
}
