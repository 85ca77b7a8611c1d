package dev.syncline.bench;

import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.wiring.FunctionLogging;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;

/**
 * What the logging setup adds to a function's cold start: in fresh JVMs, the time from the first
 * {@code FunctionLogging.logger} to the end of the first JSON line, the classes loaded for it, and the cost of a line
 * once warm. Each JVM first loads what every function has loaded before its first line (its {@link JsonCodec},
 * java.time, lambdas), so that the figure is logging's own.
 *
 * <pre>./mvnw -q -DskipTests -pl infra/bench -am -P bench-logging package</pre>
 */
public final class LoggingStartBenchmark {

    private static final int JVMS = 15;
    private static final int WARM_LINES = 20_000;

    private LoggingStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            probe();
            return;
        }
        List<double[]> runs = new ArrayList<>();
        for (int i = 0; i < JVMS; i++) {
            runs.add(child());
        }
        System.out.printf(Locale.ROOT, "Logging setup at cold start, %d fresh JVMs (%s)%n", JVMS, Runtime.version());
        System.out.printf(Locale.ROOT, "  %-34s %8s %8s %8s%n", "", "median", "min", "max");
        row("first logger + first line (ms)", runs, 0);
        row("classes loaded for it", runs, 1);
        row("one line once warm (us)", runs, 2);
    }

    private static void row(String name, List<double[]> runs, int column) {
        List<Double> values = runs.stream().map(run -> run[column]).sorted(Comparator.naturalOrder()).toList();
        System.out.printf(Locale.ROOT, "  %-34s %8.1f %8.1f %8.1f%n", name, values.get(values.size() / 2), values.getFirst(),
                values.getLast());
    }

    private static double[] child() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LoggingStartBenchmark.class.getName(), "--child").redirectErrorStream(true).start();
        double[] result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("result ")) {
                    String[] figures = line.substring("result ".length()).split(" ");
                    result = new double[] {Double.parseDouble(figures[0]), Double.parseDouble(figures[1]), Double.parseDouble(figures[2])};
                }
            }
        }
        if (process.waitFor() != 0 || result == null) {
            throw new IllegalStateException("a probe JVM failed");
        }
        return result;
    }

    // ---- the child JVM ------------------------------------------------------------------------------

    private static void probe() {
        JsonCodec json = JsonCodec.create();
        json.write(Map.of("at", Instant.now().toString(), "ids", List.of(UUID.randomUUID().toString())));
        PrintStream console = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
        ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        long loadedBefore = classes.getTotalLoadedClassCount();
        long start = System.nanoTime();
        Logger log = FunctionLogging.logger(LoggingStartBenchmark.class);
        log.info("event=run_started run_id={} mode={}", UUID.randomUUID(), "incremental");
        long firstLine = System.nanoTime();
        long loaded = classes.getTotalLoadedClassCount() - loadedBefore;
        String run = UUID.randomUUID().toString();
        long warmStart = System.nanoTime();
        for (int chunk = 0; chunk < WARM_LINES; chunk++) {
            log.info("event=chunk_delivered run_id={} chunk={} succeeded={} failed={}", run, chunk, 100, 0);
        }
        long warmEnd = System.nanoTime();
        System.setOut(console);
        System.out.printf(Locale.ROOT, "result %.2f %d %.2f%n", (firstLine - start) / 1e6, loaded,
                (warmEnd - warmStart) / 1e3 / WARM_LINES);
    }
}
