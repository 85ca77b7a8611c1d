package dev.syncline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.syncline.sampleapp.Faults;
import dev.syncline.sampleapp.Faults.Defect;
import dev.syncline.sampleapp.ReceivedRequest;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.sampleapp.SampleConfiguration;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code ./syncline-local conformance} against the sample App: with its configuration it passes as it is, and each
 * of its fault switches fails the one check that switch is about, the others still passing.
 */
class ConformanceCommandTest {

    private static final Pattern LINE = Pattern.compile("^(PASS|FAIL|N/A)  +(\\S.*?)  +(\\S.*)$");
    private static final Path MANIFEST = LauncherTest.checkout().resolve("infra/sample-app/manifest.json");
    private static final Path CONFIGURATION = LauncherTest.checkout().resolve("infra/sample-app/configuration.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private SampleApp app;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws IOException {
        app = SampleApp.start(0);
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void theSampleApp_withItsConfiguration_passesEveryCheck() {
        assertThat(conformance()).as(output()).isZero();

        Map<String, String> verdicts = verdicts();
        assertThat(verdicts).hasSize(30);
        assertThat(verdicts).as(output()).allSatisfy((check, verdict) -> assertThat(verdict).isEqualTo("PASS"));
        assertThat(output()).contains("30 checks: 30 passed, 0 failed, 0 not applicable");
        assertThat(lineOf("configuration: steps accepted")).contains("each of 2 steps answered 2xx");
        assertThat(lineOf("configuration: invalid step refused")).contains("without the required 'channel'")
                .contains("answered 422 with 1 violation(s)").contains("(secret fields not shown)");
        // The shop's API key is a password field: sent to the App, never printed.
        assertThat(output()).doesNotContain("shop-key-1");
        assertThat(lineOf("dictionaries")).contains("channels");
        // The installation was configured with the file's values before the App accepted its first product.
        String installation = app.receivedRequestsForEvent("app_installed").getFirst().installationId().orElseThrow();
        assertThat(app.isConfigured(installation)).isTrue();
        assertThat(app.configuration(installation).orElseThrow().get(1).get("currency").asText()).isEqualTo("EUR");
        assertThat(app.receivedRequests(request -> request.reason() != null && request.reason().contains("not configured")))
                .isEmpty();
        // What the App received is what the report says was sent: the large product, and the repeated key.
        assertThat(app.receivedRequests(request -> request.resourceId().filter("CONFORMANCE-LARGE"::equals).isPresent()))
                .isNotEmpty();
        assertThat(app.receivedRequests(request -> request.outcome() == ReceivedRequest.Outcome.DUPLICATE))
                .hasSize(1);
    }

    @Test
    void withoutAConfiguration_theSampleApp_isNotSentEvents_andTheReportSaysWhatIsNeeded() {
        assertThat(run("conformance", "--manifest", MANIFEST.toString(), "--app-url", app.baseUri().toString()))
                .as(output()).isEqualTo(1);

        Map<String, String> verdicts = verdicts();
        assertThat(verdicts).hasSize(30).containsEntry("configuration: steps accepted", "FAIL")
                .containsEntry("configuration: invalid step refused", "PASS").containsEntry("dictionaries", "PASS");
        assertThat(lineOf("configuration: steps accepted")).contains("configuration required: pass --configuration FILE")
                .contains("answered 422");
        assertThat(lineOf("event product_created")).startsWith("N/A")
                .endsWith("configuration required: pass --configuration FILE");
        assertThat(lineOf("download-file")).startsWith("N/A").endsWith("configuration required: pass --configuration FILE");
        assertThat(output()).contains("1 failed");
        // Only the lifecycle events reached the App: no synchronization event was sent to be refused.
        assertThat(app.receivedRequests(ReceivedRequest::isConsume)).extracting(ReceivedRequest::event)
                .containsExactly("app_installed", "app_uninstalled");
    }

    @Test
    void theSampleAppsManifestAndConfiguration_areTheOnesTheAppServes() throws IOException {
        JsonNode manifest = JSON.readTree(Files.readString(MANIFEST));
        JsonNode configuration = JSON.readTree(Files.readString(CONFIGURATION));

        assertThat(manifest.get("configuration_schema")).isEqualTo(JSON.readTree(SampleConfiguration.SCHEMA));
        assertThat(configuration).hasSize(SampleConfiguration.EXAMPLE.size());
        for (int step = 0; step < SampleConfiguration.EXAMPLE.size(); step++) {
            assertThat(configuration.get(step)).isEqualTo(JSON.readTree(SampleConfiguration.EXAMPLE.get(step)));
        }
    }

    @ParameterizedTest(name = "{0} fails ''{1}''")
    @CsvSource({
        "ACCEPT_BAD_SIGNATURES, tokens: bad signature refused, answered 204",
        "ACCEPT_EXPIRED_TOKENS, tokens: expired token refused, with a token that expired 10 minutes ago",
        "ACCEPT_UNKNOWN_INSTALLATIONS, tokens: unknown installation refused, which never had a handshake",
        "IGNORE_IDEMPOTENCY_KEYS, idempotency: repeated key applied once, it was applied again",
        "MALFORMED_RESOURCE_CUSTOMS, resource_customs shape, carry resource_customs that is not a JSON object",
        "FAIL_DOWNLOAD_FILE, download-file, answered 500",
    })
    void eachDefectOfTheSampleApp_failsItsCheckAlone(Defect defect, String check, String detail) {
        app.setFaults(Faults.none().withDefect(defect));

        assertThat(conformance()).isEqualTo(1);

        assertOnlyFailure(check, detail);
    }

    @Test
    void theFailureTheGuideShows_isTheLineTheKitPrints() throws IOException {
        String guide = Files.readString(LauncherTest.checkout().resolve("docs/app-developer-guide.md"));
        Matcher shown = Pattern.compile("```text\n(FAIL  tokens: expired token refused .*)\n```").matcher(guide);
        assertThat(shown.find()).as("the guide's example of a failed check").isTrue();
        app.setFaults(Faults.none().withDefect(Defect.ACCEPT_EXPIRED_TOKENS));

        conformance();

        assertThat(lineOf("tokens: expired token refused")).isEqualTo(shown.group(1));
    }

    @ParameterizedTest(name = "a refused {0} fails ''{1}''")
    @CsvSource({
        "CONFORMANCE-EVERY-TYPE, edge case: every attribute type",
        "CONFORMANCE-NON-LATIN, edge case: non-Latin text",
        "CONFORMANCE-NOT-LOCALIZED, edge case: language null",
        "CONFORMANCE-LARGE, edge case: very large payload",
        "CONFORMANCE-EMPTY-EVENTS, edge case: empty events",
    })
    void anAppThatRefusesAnEdgeCase_failsThatEdgeCase(String sku, String check) {
        app.setFaults(Faults.none().withResourceStatus(sku, 422, "cannot handle this"));

        assertThat(conformance()).isEqualTo(1);

        assertOnlyFailure(check, "answered 422");
        assertThat(lineOf(check)).contains(sku).contains("cannot handle this");
    }

    @Test
    void aSlowApp_failsTheTimeoutCheck_andIsCheckedOtherwise() {
        app.setFaults(Faults.none().withLatency(Duration.ofMillis(150)));

        assertThat(conformance("--timeout", "100")).isEqualTo(1);

        assertOnlyFailure("answers within the timeout", "limit 100 ms");
    }

    @Test
    void anAppThatRefusesTheHandshake_failsIt_andNothingElseIsChecked() {
        app.setFaults(Faults.none().withFailureRate(1.0).withHandshakeIncluded(true));

        assertThat(conformance()).isEqualTo(1);

        Map<String, String> verdicts = verdicts();
        assertThat(verdicts).containsEntry("handshake", "FAIL").containsEntry("manifest", "PASS");
        assertThat(lineOf("handshake")).contains("answered 503");
        verdicts.remove("handshake");
        verdicts.remove("manifest");
        assertThat(verdicts).hasSize(28).allSatisfy((check, verdict) -> assertThat(verdict).isEqualTo("N/A"));
    }

    @Test
    void withoutAStateUrl_idempotencyIsReportedAsNotCheckable() {
        assertThat(run("conformance", "--manifest", MANIFEST.toString(), "--app-url", app.baseUri().toString(),
                "--configuration", CONFIGURATION.toString())).as(output()).isZero();

        assertThat(verdicts()).containsEntry("idempotency: repeated key applied once", "N/A");
        assertThat(lineOf("idempotency: repeated key applied once")).contains("not checkable").contains("--state-url");
    }

    @Test
    void aManifestThatBreaksRules_failsTheManifestCheck() throws IOException {
        Path manifest = Files.writeString(temp.resolve("manifest.json"),
                Files.readString(MANIFEST).replace("\"1.0.0\"", "\"1.0\""));

        assertThat(run("conformance", "--manifest", manifest.toString(), "--app-url", app.baseUri().toString()))
                .isEqualTo(1);

        assertThat(lineOf("manifest")).startsWith("FAIL").contains("version must be a semantic version");
        assertThat(app.receivedRequests()).isEmpty();
    }

    @Test
    void configurationAndDictionaries_areAskedOfAnAppThatDeclaresThem() throws IOException {
        List<String> asked = new ArrayList<>();
        HttpServer configurable = startConfigurableApp(asked);
        try {
            run("conformance", "--manifest", configurableManifest(configurable).toString());

            assertThat(lineOf("configuration: steps accepted")).startsWith("FAIL")
                    .contains("configuration required: pass --configuration FILE").contains("\"index\":1");
            assertThat(lineOf("configuration: invalid step refused")).startsWith("N/A").contains("no configuration_schema step");
            assertThat(lineOf("dictionaries")).startsWith("PASS").contains("channels");
            assertThat(lineOf("event product_created")).startsWith("N/A").contains("configuration required");
            assertThat(asked).contains("GET /configuration", "POST /configuration {\"index\":0,\"configuration\":{}}",
                    "POST /configuration {\"index\":1,\"configuration\":{}}", "GET /dictionary/channels");
        } finally {
            configurable.stop(0);
        }
    }

    @Test
    void aGivenConfiguration_mustBeAcceptedStepByStep() throws IOException {
        List<String> asked = new ArrayList<>();
        HttpServer configurable = startConfigurableApp(asked);
        try {
            Path manifest = configurableManifest(configurable);
            Path good = Files.writeString(temp.resolve("good.json"), "[{\"shop_url\": \"https://shop.example.com\"}, {\"channel\": \"web\"}]");
            Path incomplete = Files.writeString(temp.resolve("incomplete.json"), "[{\"shop_url\": \"https://shop.example.com\"}, {}]");

            run("conformance", "--manifest", manifest.toString(), "--configuration", good.toString());
            String accepted = lineOf("configuration: steps accepted");
            out.reset();
            run("conformance", "--manifest", manifest.toString(), "--configuration", incomplete.toString());

            assertThat(accepted).startsWith("PASS").contains("each of 2 steps answered 2xx");
            assertThat(lineOf("event product_created")).startsWith("N/A").contains("refused the configuration given");
            assertThat(lineOf("configuration: steps accepted")).startsWith("FAIL").contains("\"index\":1")
                    .contains("answered 422").contains("channel is required").endsWith("(expected 2xx)");
            assertThat(asked).contains("POST /configuration {\"index\":1,\"configuration\":{\"channel\":\"web\"}}");
        } finally {
            configurable.stop(0);
        }
    }

    @Test
    void theLauncher_runsTheConformanceCommand() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(LauncherTest.checkout().resolve("syncline-local").toString(), "conformance",
                "--manifest", MANIFEST.toString(), "--app-url", app.baseUri().toString(),
                "--state-url", app.baseUri() + "/_sample/catalog/{installation_id}",
                "--configuration", CONFIGURATION.toString()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("SYNCLINE_LOCAL_CLASSPATH", System.getProperty("java.class.path"));
        Process process = builder.start();
        byte[] printed = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        out.writeBytes(printed);

        assertThat(process.exitValue()).as(output()).isZero();
        assertThat(output()).contains("30 checks: 30 passed, 0 failed, 0 not applicable");
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static HttpServer startConfigurableApp(List<String> asked) throws IOException {
        HttpServer configurable = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        configurable.createContext("/", exchange -> answerConfiguration(exchange, asked));
        configurable.start();
        return configurable;
    }

    private Path configurableManifest(HttpServer configurable) throws IOException {
        return Files.writeString(temp.resolve("manifest.json"), """
                {"name": "Configurable", "description": "An App with a two-step configuration form.",
                 "version": "1.0.0", "compatible": "1.0.0", "url": "http://127.0.0.1:%d",
                 "features": ["synchronization"], "events": ["product_created"],
                 "configuration_schema": [
                   {"type": "object", "properties": {"shop_url": {"type": "string"}}},
                   {"type": "object", "properties": {"channel": {"type": "string", "enum": "app:channels"}}}]}
                """.formatted(configurable.getAddress().getPort()));
    }

    /**
     * A configurable App in a few lines: 204 to everything, its stored configuration, one dictionary, and a 422 for
     * a second step without a channel.
     */
    private static void answerConfiguration(HttpExchange exchange, List<String> asked) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String answer = switch (exchange.getRequestMethod() + " " + path) {
                case "GET /configuration" -> "[{\"shop_url\": \"https://shop.example.com\"}]";
                case "GET /dictionary/channels" -> "{\"dictionary\": [{\"id\": \"web\", \"label\": \"Web shop\"}]}";
                case "POST /configuration" -> refused(body) ? "{\"title\": \"Invalid\", \"detail\":"
                        + " \"channel is required\", \"violations\": [{\"propertyPath\": \"channel\", \"title\":"
                        + " \"required\", \"template\": \"required\", \"parameters\": {}}]}" : null;
                default -> null;
            };
            if (path.contains("configuration") || path.contains("dictionary")) {
                synchronized (asked) {
                    asked.add(exchange.getRequestMethod() + " " + path + (body.isEmpty() ? "" : " " + body));
                }
            }
            int status = answer == null ? 204 : refused(body) ? 422 : 200;
            if (answer == null) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private static boolean refused(String configurationBody) {
        return configurationBody.contains("\"index\":1") && !configurationBody.contains("channel");
    }

    private int conformance(String... extra) {
        List<String> args = new ArrayList<>(List.of("conformance", "--manifest", MANIFEST.toString(),
                "--app-url", app.baseUri().toString(),
                "--state-url", app.baseUri() + "/_sample/catalog/{installation_id}",
                "--configuration", CONFIGURATION.toString()));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    private int run(String... args) {
        return LocalStackCommand.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private void assertOnlyFailure(String check, String detail) {
        Map<String, String> verdicts = verdicts();
        assertThat(verdicts).as(output()).containsEntry(check, "FAIL");
        assertThat(lineOf(check)).contains(detail);
        verdicts.remove(check);
        assertThat(verdicts).as(output()).allSatisfy((name, verdict) -> assertThat(verdict).isIn("PASS", "N/A"));
    }

    /** Check name to PASS, FAIL or N/A, in the report's order. */
    private Map<String, String> verdicts() {
        Map<String, String> verdicts = new LinkedHashMap<>();
        for (String line : output().split("\n")) {
            Matcher matcher = LINE.matcher(line);
            if (matcher.matches()) {
                verdicts.put(matcher.group(2).strip(), matcher.group(1));
            }
        }
        return verdicts;
    }

    private String lineOf(String check) {
        for (String line : output().split("\n")) {
            Matcher matcher = LINE.matcher(line);
            if (matcher.matches() && matcher.group(2).strip().equals(check)) {
                return line;
            }
        }
        throw new AssertionError("no line for '" + check + "' in:\n" + output());
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }
}
