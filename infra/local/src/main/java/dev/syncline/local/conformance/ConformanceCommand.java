package dev.syncline.local.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.adapters.http.AppUrlGuard;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.json.MalformedJsonException;
import dev.syncline.core.SynclineException;
import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.app.Manifest;
import dev.syncline.core.app.ManifestDocument;
import dev.syncline.core.app.ManifestValidator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./syncline-local conformance}: checks an App against the Apps protocol as Syncline speaks it, printing one
 * line per check; exits 1 when a check failed.
 */
@Command(name = "conformance", sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Checks an App against the Apps protocol as Syncline speaks it: plays Syncline's side on a generated catalog"
                    + " (handshake, every subscribed event with edge cases, tokens it must refuse, a repeated idempotency key,"
                    + " resource_customs, configuration, dictionaries, the run's file, answer times) and prints one line per"
                    + " check: PASS, FAIL with what was sent and answered, or N/A with why. Exits 1 when a check failed.",
            ""})
public final class ConformanceCommand implements Callable<Integer> {

    /** The id the checked App is known by in the report; the manifest itself carries none. */
    static final String APP_ID = "app-under-test";

    @Option(names = "--manifest", paramLabel = "FILE", required = true,
            description = "The App's manifest (JSON, as registered with PUT /v1/apps/{app_id}).")
    Path manifestFile;

    @Option(names = "--app-url", paramLabel = "URL",
            description = "Where the App listens, e.g. http://localhost:5000 (default: the manifest's url).")
    String appUrl;

    @Option(names = "--timeout", paramLabel = "MS", defaultValue = "10000",
            description = "The longest an answer may take, in milliseconds (default: ${DEFAULT-VALUE}, Syncline's default).")
    long timeoutMillis;

    @Option(names = "--state-url", paramLabel = "URL",
            description = "A URL of the App that shows what it holds for an installation, {installation_id} standing for"
                    + " its id; lets the kit check that a repeated X-Idempotency-Key is not applied twice.")
    String stateUrl;

    @Option(names = "--configuration", paramLabel = "FILE",
            description = "A JSON array of the values to submit for the configuration steps, one object per step; each must be"
                    + " accepted with 2xx before any synchronization event is sent. Without it, {} is submitted to each"
                    + " step; an App that refuses it is not sent synchronization events.")
    Path configurationFile;

    @Option(names = "--api-url", paramLabel = "URL", defaultValue = "https://pim.example.com/api",
            description = "The PIM API base URL sent in the tokens' api_url claim (default: ${DEFAULT-VALUE}).")
    String apiUrl;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Spec
    CommandSpec spec;

    private final PrintStream out;

    public ConformanceCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        long started = System.nanoTime();
        List<CheckResult> results = new ArrayList<>();
        Manifest manifest;
        try {
            manifest = readManifest();
        } catch (SynclineException.Invalid e) {
            results.add(CheckResult.fail("manifest", e.getMessage()));
            print(results, started);
            return 1;
        }
        results.add(CheckResult.pass("manifest", "'" + manifest.name() + "' " + manifest.version() + ": "
                + manifest.events().size() + " events, features " + manifest.features().stream()
                        .map(feature -> feature.wireName()).sorted().toList()));
        HttpUrl url = appUrl == null ? manifest.url() : parseUrl("--app-url", appUrl);
        out.println("Checking the App at " + url + " as Syncline would call it ...");
        results.addAll(new ConformanceKit(new ConformanceKit.Settings(url, manifest, Duration.ofMillis(timeoutMillis),
                stateUrl, parseUrl("--api-url", apiUrl), configuration())).run());
        print(results, started);
        return ConformanceKit.failed(results) ? 1 : 0;
    }

    private void print(List<CheckResult> results, long started) {
        results.forEach(result -> out.println(result.line()));
        long failed = results.stream().filter(r -> r.verdict() == CheckResult.Verdict.FAIL).count();
        long passed = results.stream().filter(r -> r.verdict() == CheckResult.Verdict.PASS).count();
        out.printf("%d checks: %d passed, %d failed, %d not applicable (%.1f s)%n", results.size(), passed, failed,
                results.size() - passed - failed, (System.nanoTime() - started) / 1e9);
    }

    private Manifest readManifest() {
        if (timeoutMillis < 1) {
            throw new ParameterException(spec.commandLine(), "--timeout must be 1 ms or more, got " + timeoutMillis);
        }
        String text;
        try {
            text = Files.readString(manifestFile);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read the manifest " + manifestFile + ": " + e);
        }
        JsonCodec json = JsonCodec.create();
        JsonNode manifest;
        try {
            manifest = json.readTree(text);
        } catch (MalformedJsonException e) {
            throw new ParameterException(spec.commandLine(), "the manifest " + manifestFile + " is not JSON: "
                    + e.getMessage());
        }
        JsonNode schema = manifest.path("configuration_schema");
        ManifestDocument document = new ManifestDocument(text(manifest, "name"), text(manifest, "description"),
                text(manifest, "version"), text(manifest, "compatible"),
                appUrl != null && !manifest.hasNonNull("url") ? appUrl : text(manifest, "url"),
                texts(manifest.path("features")), texts(manifest.path("events")),
                schema.isMissingNode() || schema.isNull() ? null : json.write(schema),
                manifest.path("write_access").isBoolean() ? manifest.get("write_access").asBoolean() : null,
                text(manifest, "icon"));
        return ManifestValidator.validate(APP_ID, document, Instant.now(), AppUrlGuard.create(true));
    }

    private JsonNode configuration() {
        if (configurationFile == null) {
            return null;
        }
        try {
            return JsonCodec.create().readTree(Files.readString(configurationFile));
        } catch (IOException | MalformedJsonException e) {
            throw new ParameterException(spec.commandLine(), "cannot read --configuration " + configurationFile + ": "
                    + e.getMessage());
        }
    }

    private HttpUrl parseUrl(String option, String text) {
        var problem = HttpUrl.problemWith(text);
        if (problem.isPresent()) {
            throw new ParameterException(spec.commandLine(), option + " " + problem.get());
        }
        return HttpUrl.parse(text);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : null;
    }

    private static List<String> texts(JsonNode list) {
        if (!list.isArray()) {
            return null;
        }
        List<String> texts = new ArrayList<>();
        list.forEach(item -> texts.add(item.isTextual() ? item.asText() : null));
        return texts;
    }
}
