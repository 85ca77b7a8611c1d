package dev.syncline.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.management.OperatingSystemMXBean;
import dev.syncline.adapters.aws.AwsClientFactory;
import dev.syncline.adapters.config.Config;
import dev.syncline.adapters.disk.LocalDiskShardSpill;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.metrics.AwsCallCounter;
import dev.syncline.adapters.metrics.AwsCalls;
import dev.syncline.adapters.s3.S3DeliveredState;
import dev.syncline.adapters.s3.S3PlanWriter;
import dev.syncline.adapters.s3.S3SnapshotStore;
import dev.syncline.core.app.AppEvent;
import dev.syncline.core.plan.PlanRequest;
import dev.syncline.core.plan.PlanTotals;
import dev.syncline.core.plan.Planner;
import dev.syncline.core.sync.Phase;
import dev.syncline.core.sync.SyncMode;
import dev.syncline.testing.AwsStack;
import dev.syncline.testing.Emulators;
import dev.syncline.testing.catalog.CatalogGenerator;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Planner throughput and heap on a large generated catalog: the first run of an installation (empty delivered
 * state), planned by the real {@link Planner} on the real S3 and local-disk adapters against the S3 emulator,
 * next to a plain Jackson streaming read of the same snapshot object (the least any planner must do: fetch,
 * gunzip, tokenize) measured in the same run. Each pass runs in a child JVM limited to {@value #HEAP} of heap, the
 * planner's budget, and reports its own peak heap.
 *
 * <p>Usage: {@code PlannerBenchmark [products [template.yaml]]} (default 1 000 000 products; the template gives the
 * planner's memory and timeout, against which 10 million products are extrapolated). The catalog is generated once per size
 * under {@code target/planner-bench} and kept for later runs. To see where the planner's time goes, give the child
 * JVMs a flight recording: {@code -Dbench.childJvmOptions=-XX:StartFlightRecording=filename=target/{pass}.jfr}.
 */
public final class PlannerBenchmark {

    static final String HEAP = "-Xmx512m";
    static final long HEAP_TARGET_MB = 512;
    /** Planner resources/s against the plain Jackson read of the same snapshot. */
    static final double RATIO_TARGET = 0.33;
    static final long TEN_MILLION = 10_000_000;
    /** Lambda gives a function one full vCPU at 1 769 MB, and CPU in proportion to memory. */
    static final double MB_PER_VCPU = 1769;
    /** Extra options for the child JVMs, {pass} standing for the pass's name; for example a flight recording. */
    static final String CHILD_OPTIONS = "bench.childJvmOptions";
    private static final long SEED = 42;
    private static final Set<String> ALL_EVENTS = Arrays.stream(AppEvent.values()).map(AppEvent::wireName).collect(Collectors.toSet());

    private PlannerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("--child")) {
            child(args[1], UUID.fromString(args[2]), args[3], Config.from(System.getenv()));
            return;
        }
        int products = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        TemplateSettings template = TemplateSettings.read(Path.of(args.length > 1 ? args[1] : "template.yaml"));
        Path work = Path.of("target", "planner-bench").toAbsolutePath();
        Files.createDirectories(work);
        CatalogGenerator catalog = CatalogGenerator.create(SEED, products);
        Path snapshot = work.resolve("catalog-" + products + ".ndjson.gz");
        if (!Files.exists(snapshot)) {
            long started = System.nanoTime();
            Path partial = work.resolve(snapshot.getFileName() + ".partial.gz");
            catalog.writeTo(partial);
            Files.move(partial, snapshot);
            System.out.printf(Locale.ROOT, "Generated %s in %.1f s%n", snapshot, seconds(System.nanoTime() - started));
        }
        long lines = catalog.lineCount();
        long plainBytes = plainSize(snapshot);
        System.out.printf(Locale.ROOT, "Snapshot: %,d products, %,d lines, %.1f MB gzip (%.1f MB NDJSON)%n",
                products, lines, Files.size(snapshot) / 1e6, plainBytes / 1e6);

        Path emulatorData = work.resolve("emulators");
        deleteTree(emulatorData);
        // S3 on disk: the snapshot and the plan's chunks would otherwise sit in this JVM's heap.
        try (Emulators emulators = Emulators.start(new Emulators.Options(emulatorData, 0, 0, 0));
                AwsStack stack = AwsStack.create(emulators.endpoints(), "bench")) {
            UUID installation = UUID.randomUUID();
            String snapshotId = "bench-" + products;
            stack.s3().putObject(b -> b.bucket(stack.names().bucket()).key(S3SnapshotStore.key(installation, snapshotId)),
                    RequestBody.fromFile(snapshot));

            Map<String, String> jackson = runChild("jackson", installation, snapshotId, stack, work);
            Map<String, String> planner = runChild("planner", installation, snapshotId, stack, work);
            if (Long.parseLong(jackson.get("lines")) != lines) {
                throw new IllegalStateException("the baseline read " + jackson.get("lines") + " lines, the catalog has " + lines);
            }
            print(products, lines, jackson, planner);
            printTargets(lines, jackson, planner, template);
        } finally {
            deleteTree(emulatorData);
        }
    }

    private static Map<String, String> runChild(String mode, UUID installation, String snapshotId, AwsStack stack, Path work)
            throws IOException, InterruptedException {
        Path temporary = work.resolve("tmp-" + mode);
        Files.createDirectories(temporary);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, HEAP, "-Djava.io.tmpdir=" + temporary, "--enable-native-access=ALL-UNNAMED",
                "-Dsyncline.log.level=warn"));
        String extra = System.getProperty(CHILD_OPTIONS, "").strip();
        if (!extra.isEmpty()) {
            command.addAll(Arrays.asList(extra.replace("{pass}", mode).split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), PlannerBenchmark.class.getName(),
                "--child", mode, installation.toString(), snapshotId));
        ProcessBuilder child = new ProcessBuilder(command);
        child.environment().putAll(stack.environment());
        child.redirectErrorStream(true);
        Process process = child.start();
        Map<String, String> result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("result ")) {
                    result = parse(line);
                } else {
                    System.out.println("  [" + mode + "] " + line);
                }
            }
        }
        int exit = process.waitFor();
        deleteTree(temporary);
        if (exit != 0 || result == null) {
            throw new IllegalStateException("the " + mode + " pass failed (exit " + exit + ")");
        }
        return result;
    }

    // ---- the child JVM ------------------------------------------------------------------------------

    private static void child(String mode, UUID installation, String snapshotId, Config config) throws IOException {
        try (AwsClientFactory factory = AwsClientFactory.create(config)) {
            S3Client s3 = factory.s3();
            HeapWatch heap = HeapWatch.start();
            AwsCalls before = AwsCallCounter.shared().snapshot();
            long started = System.nanoTime();
            long cpuBefore = processCpuNanos();
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("mode", mode);
            switch (mode) {
                case "jackson" -> result.put("lines", readWithJackson(s3, config.bucket(), S3SnapshotStore.key(installation, snapshotId)));
                case "planner" -> {
                    JsonCodec json = JsonCodec.create();
                    Planner planner = new Planner(new S3SnapshotStore(s3, config.bucket(), config.snapshots()),
                            new S3DeliveredState(s3, config.bucket(), json, LocalDiskShardSpill.factory()),
                            LocalDiskShardSpill.factory(), new S3PlanWriter(s3, config.bucket(), json));
                    PlanTotals totals = planner.plan(new PlanRequest(UUID.randomUUID(), installation, snapshotId, SyncMode.INCREMENTAL, ALL_EVENTS));
                    result.put("entries", totals.entries());
                    result.put("chunks", Arrays.stream(Phase.values()).mapToInt(totals::chunks).sum());
                    result.put("rejected", totals.rejectedLines());
                }
                default -> throw new IllegalArgumentException("unknown pass " + mode);
            }
            result.put("millis", (System.nanoTime() - started) / 1_000_000);
            result.put("cpuMillis", (processCpuNanos() - cpuBefore) / 1_000_000);
            result.put("peak", heap.peakBytes());
            result.put("live", heap.collections() == 0 ? -1 : heap.maxLiveBytes());
            result.put("gcs", heap.collections());
            result.put("gc", HeapWatch.collector());
            result.put("xmx", HeapWatch.maxHeapBytes());
            AwsCalls calls = AwsCallCounter.shared().snapshot().minus(before);
            result.put("s3", calls.operations().entrySet().stream()
                    .map(entry -> entry.getKey().operation() + ":" + entry.getValue().calls())
                    .collect(Collectors.joining(",")));
            System.out.println("result " + result.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
        }
    }

    /** CPU time of the whole JVM (every thread, GC included): on a shared machine, what the pass really used. */
    private static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Every root-level JSON value of the snapshot, token by token, as the least a reader must do. */
    private static long readWithJackson(S3Client s3, String bucket, String key) throws IOException {
        JsonFactory factory = new JsonFactory();
        long values = 0;
        try (InputStream object = s3.getObject(b -> b.bucket(bucket).key(key));
                InputStream content = gunzipIfNeeded(object);
                JsonParser parser = factory.createParser(content)) {
            int depth = 0;
            for (JsonToken token; (token = parser.nextToken()) != null; ) {
                if (token.isStructStart()) {
                    if (depth == 0) {
                        values++;
                    }
                    depth++;
                } else if (token.isStructEnd()) {
                    depth--;
                }
            }
        }
        return values;
    }

    private static InputStream gunzipIfNeeded(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 64 * 1024);
        buffered.mark(2);
        int first = buffered.read();
        int second = buffered.read();
        buffered.reset();
        return first == 0x1f && second == 0x8b ? new GZIPInputStream(buffered, 64 * 1024) : buffered;
    }

    // ---- the table ----------------------------------------------------------------------------------

    private static void print(int products, long lines, Map<String, String> jackson, Map<String, String> planner) {
        double baselineRate = rate(lines, jackson);
        double baselineCpuRate = cpuRate(lines, jackson);
        System.out.println();
        System.out.printf(Locale.ROOT, "a. Planner, first run against empty state: %,d products (%,d resources), each pass in a child JVM with %s (%s GC)%n",
                products, lines, HEAP, planner.get("gc"));
        System.out.printf(Locale.ROOT, "%-24s %8s %12s %6s %8s %14s %6s %13s %12s%n", "pass", "seconds", "resources/s", "ratio",
                "CPU s", "resources/CPU s", "ratio", "peak heap MB", "max live MB");
        for (Map.Entry<String, Map<String, String>> pass : List.of(Map.entry("jackson read (baseline)", jackson), Map.entry("planner", planner))) {
            Map<String, String> r = pass.getValue();
            System.out.printf(Locale.ROOT, "%-24s %8.1f %,12.0f %6.3f %8.1f %,14.0f %6.3f %13s %12s%n", pass.getKey(),
                    Long.parseLong(r.get("millis")) / 1000.0, rate(lines, r), rate(lines, r) / baselineRate,
                    Long.parseLong(r.get("cpuMillis")) / 1000.0, cpuRate(lines, r), cpuRate(lines, r) / baselineCpuRate,
                    mb(r.get("peak")), mb(r.get("live")));
        }
        System.out.printf(Locale.ROOT, "Plan: %,d entries in %,d chunks, %s rejected lines; planner S3 calls: %s%n",
                Long.parseLong(planner.get("entries")), Long.parseLong(planner.get("chunks")), planner.get("rejected"), planner.get("s3"));
        System.out.println("CPU s: CPU time of the pass's whole JVM (all threads, GC included), telling the work from waiting on a busy machine.");
        System.out.println("Peak heap: the heap pools' peaks added up (an upper bound); max live: the most heap in use right after a collection.");
    }

    /**
     * Each figure next to its target. Ten million products are extrapolated from this run's CPU per resource (the
     * whole JVM's CPU, start-up and JIT included, so an upper bound per resource) on the planner function's share of
     * a vCPU; and, in case the work did not spread over more than one core at all, on one core.
     */
    private static void printTargets(long lines, Map<String, String> jackson, Map<String, String> planner, TemplateSettings template) {
        double ratio = rate(lines, planner) / rate(lines, jackson);
        double peakMb = Long.parseLong(planner.get("peak")) / (1024.0 * 1024.0);
        double cpuPerResource = Long.parseLong(planner.get("cpuMillis")) / 1000.0 / lines;
        double vcpu = template.plannerMemoryMb() / MB_PER_VCPU;
        double tenMillionCpu = TEN_MILLION * cpuPerResource;
        double tenMillionSeconds = tenMillionCpu / vcpu;
        int timeout = template.plannerTimeoutSeconds();
        System.out.println();
        System.out.println("b. Targets");
        System.out.printf(Locale.ROOT, "%-62s %14s %12s %s%n", "figure", "measured", "target", "");
        System.out.printf(Locale.ROOT, "%-62s %14.3f %12s %s%n", "planner resources/s vs plain Jackson read, " + HEAP, ratio,
                ">= " + RATIO_TARGET, verdict(ratio >= RATIO_TARGET));
        System.out.printf(Locale.ROOT, "%-62s %14.0f %12s %s%n", "planner peak heap MB", peakMb, "<= " + HEAP_TARGET_MB,
                verdict(peakMb <= HEAP_TARGET_MB));
        System.out.printf(Locale.ROOT, "%-62s %14.0f %12s %s%n", "10 M products planned (first run), one invocation, seconds",
                tenMillionSeconds, "<= " + timeout, verdict(tenMillionSeconds <= timeout));
        System.out.printf(Locale.ROOT, "  = %,d resources x %.1f us CPU per resource (this run: %.1f CPU s / %,d) = %.0f CPU s,%n",
                TEN_MILLION, cpuPerResource * 1e6, Long.parseLong(planner.get("cpuMillis")) / 1000.0, lines, tenMillionCpu);
        System.out.printf(Locale.ROOT, "    on the planner's %.2f vCPU (%d MB / %.0f MB per vCPU); %.0f s if it all ran on one core%n",
                vcpu, template.plannerMemoryMb(), MB_PER_VCPU, tenMillionCpu);
    }

    private static String verdict(boolean met) {
        return met ? "met" : "NOT MET";
    }

    private static double rate(long lines, Map<String, String> result) {
        return lines / (Long.parseLong(result.get("millis")) / 1000.0);
    }

    private static double cpuRate(long lines, Map<String, String> result) {
        return lines / (Long.parseLong(result.get("cpuMillis")) / 1000.0);
    }

    private static String mb(String bytes) {
        long value = Long.parseLong(bytes);
        return value < 0 ? "no GC ran" : String.format(Locale.ROOT, "%.0f", value / (1024.0 * 1024.0));
    }

    private static Map<String, String> parse(String line) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String field : line.substring("result ".length()).split(" ")) {
            int equals = field.indexOf('=');
            values.put(field.substring(0, equals), field.substring(equals + 1));
        }
        return values;
    }

    private static long plainSize(Path gzip) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gzip), 64 * 1024)) {
            return in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.forEach(paths::add);
        }
        paths.sort(Comparator.reverseOrder());
        for (Path path : paths) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot delete " + path, e);
            }
        }
    }
}
