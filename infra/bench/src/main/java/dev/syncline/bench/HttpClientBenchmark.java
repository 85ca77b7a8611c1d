package dev.syncline.bench;

import dev.syncline.adapters.aws.AwsClientFactory;
import dev.syncline.adapters.config.Config;
import dev.syncline.testing.AwsStack;
import dev.syncline.testing.Emulators;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Compares the SDK's synchronous HTTP clients against the emulators: cold start (a fresh JVM building
 * its clients and making its first DynamoDB, SQS and S3 call, as a Lambda init would) and per-call
 * latency once warm. Prints a table; ratios are against the Apache 5 client, measured in the same run.
 */
public final class HttpClientBenchmark {

    private static final List<String> CLIENTS = List.of("apache5", "apache", "url-connection", "crt");
    private static final int COLD_STARTS = 5;
    private static final int WARM_CALLS = 1000;

    private HttpClientBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--cold")) {
            coldStart(args[1], System.getenv());
            return;
        }
        try (Emulators emulators = Emulators.start(Emulators.Options.inMemory());
                AwsStack stack = AwsStack.create(emulators.endpoints(), "bench")) {
            System.out.printf("Emulators started in %d ms%n", emulators.startupTime().toMillis());
            Map<String, double[]> cold = new HashMap<>();
            Map<String, Map<String, double[]>> warm = new HashMap<>();
            for (String client : CLIENTS) {
                cold.put(client, coldStarts(client, stack.environment()));
                warm.put(client, warmCalls(client, Config.from(stack.environment())));
            }
            print(cold, warm);
        }
    }

    private static double[] coldStarts(String client, Map<String, String> environment) throws IOException, InterruptedException {
        double[] millis = new double[COLD_STARTS];
        String java = ProcessHandle.current().info().command().orElse("java");
        for (int i = 0; i < COLD_STARTS; i++) {
            ProcessBuilder child = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    HttpClientBenchmark.class.getName(), "--cold", client);
            child.environment().putAll(environment);
            child.redirectErrorStream(true);
            Process process = child.start();
            String last = null;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    last = line;
                }
            }
            if (process.waitFor() != 0 || last == null || !last.startsWith("cold-ms ")) {
                throw new IllegalStateException(client + " cold start failed: " + last);
            }
            millis[i] = Double.parseDouble(last.substring("cold-ms ".length()));
        }
        return millis;
    }

    /** Runs in the child JVM: JVM start to first three calls answered, like a Lambda init plus first request. */
    private static void coldStart(String client, Map<String, String> environment) {
        long jvmStart = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
        Config config = Config.from(environment);
        try (AwsClientFactory factory = AwsClientFactory.create(config, httpClient(client))) {
            DynamoDbClient dynamoDb = factory.dynamoDb();
            SqsClient sqs = factory.sqs();
            S3Client s3 = factory.s3();
            dynamoDb.getItem(b -> b.tableName(config.table()).key(key("cold")));
            sqs.getQueueAttributes(b -> b.queueUrl(config.workQueueUrl()).attributeNamesWithStrings("ApproximateNumberOfMessages"));
            s3.listObjectsV2(b -> b.bucket(config.bucket()).maxKeys(1));
        }
        System.out.println("cold-ms " + (System.currentTimeMillis() - jvmStart));
    }

    private static Map<String, double[]> warmCalls(String client, Config config) {
        Map<String, double[]> results = new HashMap<>();
        try (AwsClientFactory factory = AwsClientFactory.create(config, httpClient(client))) {
            DynamoDbClient dynamoDb = factory.dynamoDb();
            SqsClient sqs = factory.sqs();
            S3Client s3 = factory.s3();
            dynamoDb.putItem(b -> b.tableName(config.table()).item(Map.of(
                    "pk", AttributeValue.fromS("bench"), "sk", AttributeValue.fromS("item"), "v", AttributeValue.fromS("x".repeat(200)))));
            // Warm-up: JIT and connection pools, not measured.
            for (int i = 0; i < 300; i++) {
                dynamoDb.getItem(b -> b.tableName(config.table()).key(key("item")));
            }
            results.put("DynamoDB GetItem", time(() -> dynamoDb.getItem(b -> b.tableName(config.table()).key(key("item")))));
            results.put("SQS SendMessage", time(() -> sqs.sendMessage(b -> b.queueUrl(config.workQueueUrl()).messageBody("{\"chunk\":1}"))));
            byte[] body = new byte[4096];
            results.put("S3 PutObject 4 KiB", time(() -> s3.putObject(b -> b.bucket(config.bucket()).key("bench/object"), RequestBody.fromBytes(body))));
            sqs.purgeQueue(b -> b.queueUrl(config.workQueueUrl()));
        }
        return results;
    }

    private static double[] time(Runnable call) {
        double[] micros = new double[WARM_CALLS];
        for (int i = 0; i < WARM_CALLS; i++) {
            long start = System.nanoTime();
            call.run();
            micros[i] = (System.nanoTime() - start) / 1000.0;
        }
        return micros;
    }

    private static Map<String, AttributeValue> key(String sk) {
        return Map.of("pk", AttributeValue.fromS("bench"), "sk", AttributeValue.fromS(sk));
    }

    // The Apache 4 client is deprecated in the SDK; it is measured because it was the usual choice.
    @SuppressWarnings("deprecation")
    private static SdkHttpClient httpClient(String name) {
        return switch (name) {
            case "apache5" -> Apache5HttpClient.builder().maxConnections(64).build();
            case "apache" -> ApacheHttpClient.builder().maxConnections(64).build();
            case "url-connection" -> UrlConnectionHttpClient.builder().build();
            case "crt" -> AwsCrtHttpClient.builder().maxConcurrency(64).build();
            default -> throw new IllegalArgumentException("Unknown HTTP client " + name);
        };
    }

    private static void print(Map<String, double[]> cold, Map<String, Map<String, double[]>> warm) {
        double baselineCold = median(cold.get("apache5"));
        System.out.println();
        System.out.printf("Cold start: fresh JVM to first DynamoDB+SQS+S3 calls answered, median of %d (ratio to apache5)%n", COLD_STARTS);
        System.out.printf("%-16s %10s %8s%n", "client", "ms", "ratio");
        for (String client : CLIENTS) {
            double ms = median(cold.get(client));
            System.out.printf("%-16s %10.0f %8.2f%n", client, ms, ms / baselineCold);
        }
        List<String> calls = new ArrayList<>(warm.get("apache5").keySet());
        calls.sort(null);
        for (String call : calls) {
            double baseline = median(warm.get("apache5").get(call));
            System.out.println();
            System.out.printf("Warm %s: %d calls, microseconds (ratio of medians to apache5)%n", call, WARM_CALLS);
            System.out.printf("%-16s %10s %10s %8s%n", "client", "median", "p99", "ratio");
            for (String client : CLIENTS) {
                double[] values = warm.get(client).get(call);
                System.out.printf("%-16s %10.0f %10.0f %8.2f%n", client, median(values), percentile(values, 0.99), median(values) / baseline);
            }
        }
    }

    private static double median(double[] values) {
        return percentile(values, 0.5);
    }

    private static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    }
}
