package dev.syncline.local.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.syncline.adapters.http.AppHttpClient;
import dev.syncline.adapters.http.AppUrlGuard;
import dev.syncline.adapters.http.HttpAppClient;
import dev.syncline.adapters.http.HttpAppEndpoint;
import dev.syncline.adapters.http.HttpFileDownload;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.json.JsonSchemaConfigurationSchemas;
import dev.syncline.adapters.jwt.JwtAppTokenSigner;
import dev.syncline.core.app.AppCallOutcome;
import dev.syncline.core.app.AppEvent;
import dev.syncline.core.app.AppFeature;
import dev.syncline.core.app.HttpUrl;
import dev.syncline.core.app.Manifest;
import dev.syncline.core.configuration.ConfigurationSchemas;
import dev.syncline.core.delivery.AppTarget;
import dev.syncline.core.delivery.ConsumeRequest;
import dev.syncline.core.delivery.DeliveryAttempt;
import dev.syncline.core.delivery.Notifier;
import dev.syncline.core.file.AppFileSource;
import dev.syncline.core.file.RunFile;
import dev.syncline.core.installation.AppTokenClaims;
import dev.syncline.core.installation.SharedSecret;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.sync.Phase;
import dev.syncline.local.conformance.CheckResult.Verdict;
import dev.syncline.local.conformance.ConformanceCatalog.Entry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Plays Syncline's side of the Apps protocol against one App and checks its answers: a handshake, two runs over a
 * generated catalog (every subscribed event, edge cases included), tokens the App must refuse, a repeated
 * idempotency key, {@code resource_customs}, configuration, dictionaries, the run's file, and how fast it all was.
 * Calls go through Syncline's own App clients ({@link HttpAppClient}, {@link HttpAppEndpoint},
 * {@link HttpFileDownload}, {@link AppHttpClient}) and token signer, so the App sees what Syncline sends.
 */
final class ConformanceKit {

    /** Requests in flight at once within a phase, as a run with a small window sends them. */
    static final int PARALLEL_REQUESTS = 8;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Longer than the timeout checked, so that a slow App is reported as slow and still checked otherwise. */
    static final Duration GRACE = Duration.ofSeconds(3);
    /** How old the expired token is: well past any leeway an App may allow. */
    static final Duration EXPIRED_BY = Duration.ofMinutes(10);

    static final String HANDSHAKE = "handshake";
    static final String BAD_SIGNATURE = "tokens: bad signature refused";
    static final String EXPIRED = "tokens: expired token refused";
    static final String UNKNOWN_INSTALLATION = "tokens: unknown installation refused";
    static final String IDEMPOTENCY = "idempotency: repeated key applied once";
    static final String CUSTOMS = "resource_customs shape";
    static final String CONFIGURATION = "configuration: steps accepted";
    static final String INVALID_STEP = "configuration: invalid step refused";
    static final String DICTIONARIES = "dictionaries";
    static final String DOWNLOAD_FILE = "download-file";
    static final String TIMEOUT = "answers within the timeout";
    /** Why the synchronization checks are not run when the App refuses {@code {}} and no configuration was given. */
    static final String REQUIRED = "configuration required: pass --configuration FILE";

    /**
     * What to check.
     *
     * @param appUrl where the App listens (the manifest's {@code url} unless told otherwise)
     * @param manifest the App's manifest, validated
     * @param timeout the longest an answer may take: Syncline's request timeout
     * @param stateUrl a URL of the App that shows what it holds for an installation, {@code {installation_id}}
     *     standing for the installation's id; null when the App has none
     * @param apiUrl the PIM's API base URL sent in every token
     * @param configuration the configuration to submit, one JSON object per step; null to submit {@code {}} to each
     *     step, which an App with required fields refuses: its events are then not checked
     */
    record Settings(HttpUrl appUrl, Manifest manifest, Duration timeout, String stateUrl, HttpUrl apiUrl,
                    JsonNode configuration) {
    }

    /**
     * The configuration checks, and why events cannot be sent when the installation is not configured.
     *
     * @param accepted the steps check
     * @param invalid the check that a step breaking the schema is refused
     * @param blocker null when the installation is configured (or has nothing to configure), else why the
     *     synchronization checks are not run
     */
    private record Configuration(CheckResult accepted, CheckResult invalid, String blocker) {
    }

    /** One call and how long it took. */
    private record Timing(String call, long millis) {
    }

    /** A plain answer to a configuration, dictionary or state call: a status and body, or why none came. */
    private record Answer(int status, String body, String unreachable) {

        boolean ok() {
            return unreachable == null && status / 100 == 2;
        }

        String describe() {
            return unreachable != null ? "no answer: " + unreachable
                    : "answered " + status + " " + CheckResult.excerpt(body);
        }
    }

    /** The outcome of one check's requests: how many were sent, the first failures. */
    private static final class Tally {
        private int sent;
        private final List<String> failures = new ArrayList<>();

        synchronized void record(String failure) {
            sent++;
            if (failure != null) {
                failures.add(failure);
            }
        }

        synchronized CheckResult result(String check) {
            if (failures.isEmpty()) {
                return CheckResult.pass(check, sent + (sent == 1 ? " request, answered 2xx" : " requests, all answered 2xx"));
            }
            return CheckResult.fail(check, failures.size() + " of " + sent + " not accepted; first: " + failures.getFirst());
        }
    }

    private final Settings settings;
    private final Manifest manifest;
    private final JsonCodec json = JsonCodec.create();
    private final ConfigurationSchemas schemas = JsonSchemaConfigurationSchemas.create(json);
    private final JwtAppTokenSigner signer = JwtAppTokenSigner.create();
    private final SecureRandom random = new SecureRandom();
    private final HttpAppClient appClient;
    private final HttpAppEndpoint endpoint;
    private final HttpAppEndpoint expiredEndpoint;
    private final HttpFileDownload download;
    private final HttpClient http;
    private final Duration callTimeout;
    private final ConformanceCatalog catalog;

    private final UUID installation = UUID.randomUUID();
    private final SharedSecret secret = SharedSecret.generate(random);
    private final Map<String, Tally> tallies = new ConcurrentHashMap<>();
    private final Map<ResourceKey, Map<String, Object>> customs = new ConcurrentHashMap<>();
    private final AtomicInteger customsSeen = new AtomicInteger();
    private final List<String> customsViolations = Collections.synchronizedList(new ArrayList<>());
    private final List<Timing> timings = Collections.synchronizedList(new ArrayList<>());

    ConformanceKit(Settings settings) {
        this.settings = settings;
        this.manifest = settings.manifest();
        this.callTimeout = settings.timeout().plus(GRACE);
        AppUrlGuard guard = AppUrlGuard.create(true);
        this.appClient = HttpAppClient.create(guard, signer, json, CONNECT_TIMEOUT, callTimeout);
        this.endpoint = HttpAppEndpoint.create(guard, signer, json, Clock.systemUTC(), CONNECT_TIMEOUT, callTimeout);
        // Syncline's endpoint signs each attempt afresh from its clock: a clock in the past makes an expired token.
        this.expiredEndpoint = HttpAppEndpoint.create(guard, signer, json,
                Clock.offset(Clock.systemUTC(), EXPIRED_BY.negated()), CONNECT_TIMEOUT, callTimeout);
        this.download = HttpFileDownload.create(guard, signer, Clock.systemUTC(), CONNECT_TIMEOUT, callTimeout);
        this.http = AppHttpClient.create(CONNECT_TIMEOUT);
        this.catalog = new ConformanceCatalog(json);
    }

    /** Runs every check, in the report's order. */
    List<CheckResult> run() {
        List<CheckResult> results = new ArrayList<>();
        AppCallOutcome handshake = timed("POST /handshake",
                () -> appClient.handshake(settings.appUrl(), claims(null), secret));
        if (!handshake.succeeded()) {
            results.add(CheckResult.fail(HANDSHAKE, "sent POST /handshake {\"shared_secret\": \"…\"} for installation "
                    + installation + "; " + handshake.describe()));
            for (String check : laterChecks()) {
                results.add(CheckResult.notApplicable(check, "not checked: the handshake failed"));
            }
            return results;
        }
        results.add(CheckResult.pass(HANDSHAKE, "POST /handshake " + handshake.describe()));

        lifecycle(AppEvent.APP_INSTALLED);
        // As a PIM does: the installation is configured before any synchronization reaches it.
        Configuration configuration = configure();
        CheckResult dictionaries = dictionaries();
        String skipped = configuration.blocker();
        List<CheckResult> tokens = new ArrayList<>();
        CheckResult idempotency = null;
        CheckResult file = null;
        if (skipped == null) {
            synchronization(UUID.randomUUID(), catalog.firstRun());
            UUID secondRun = UUID.randomUUID();
            idempotency = synchronization(secondRun, catalog.secondRun(), tokens);
            file = downloadFile(secondRun);
        }
        lifecycle(AppEvent.APP_UNINSTALLED);

        for (AppEvent event : AppEvent.values()) {
            String check = "event " + event.wireName();
            results.add(!manifest.subscribes(event) ? CheckResult.notApplicable(check, "not subscribed in the manifest")
                    : tallies.containsKey(check) ? tallies.get(check).result(check)
                    : skipped != null ? CheckResult.notApplicable(check, skipped)
                    : CheckResult.notApplicable(check, "the conformance catalog planned no " + event.wireName()));
        }
        for (String check : List.of(ConformanceCatalog.EVERY_TYPE, ConformanceCatalog.NON_LATIN,
                ConformanceCatalog.LANGUAGE_NULL, ConformanceCatalog.LARGE, ConformanceCatalog.EMPTY_EVENTS)) {
            results.add(tallies.containsKey(check) ? tallies.get(check).result(check)
                    : CheckResult.notApplicable(check, skipped != null ? skipped
                            : "the App subscribes to none of the events it needs"));
        }
        if (skipped == null) {
            results.addAll(tokens);
            results.add(idempotency);
            results.add(customsShape());
        } else {
            for (String check : List.of(BAD_SIGNATURE, EXPIRED, UNKNOWN_INSTALLATION, IDEMPOTENCY, CUSTOMS)) {
                results.add(CheckResult.notApplicable(check, skipped));
            }
        }
        results.add(configuration.accepted());
        results.add(configuration.invalid());
        results.add(dictionaries);
        results.add(file != null ? file : CheckResult.notApplicable(DOWNLOAD_FILE, skipped));
        results.add(timeouts());
        return results;
    }

    private static List<String> laterChecks() {
        List<String> checks = new ArrayList<>();
        for (AppEvent event : AppEvent.values()) {
            checks.add("event " + event.wireName());
        }
        checks.addAll(List.of(ConformanceCatalog.EVERY_TYPE, ConformanceCatalog.NON_LATIN, ConformanceCatalog.LANGUAGE_NULL,
                ConformanceCatalog.LARGE, ConformanceCatalog.EMPTY_EVENTS, BAD_SIGNATURE, EXPIRED, UNKNOWN_INSTALLATION,
                IDEMPOTENCY, CUSTOMS, CONFIGURATION, INVALID_STEP, DICTIONARIES, DOWNLOAD_FILE, TIMEOUT));
        return checks;
    }

    // ---- runs -------------------------------------------------------------------------------------

    private void synchronization(UUID runId, ConformanceCatalog.Run run) {
        synchronization(runId, run, null);
    }

    /** One run: started, its phases in order, then (second run) the token and idempotency checks, then ended. */
    private CheckResult synchronization(UUID runId, ConformanceCatalog.Run run, List<CheckResult> tokens) {
        notice(runId, AppEvent.SYNCHRONIZATION_STARTED, Map.of("id", runId.toString(), "mode", "incremental",
                "status", "preparing"));
        Map<String, Object> counts = new LinkedHashMap<>();
        for (Map.Entry<Phase, List<Entry>> phase : run.phases().entrySet()) {
            List<Entry> subscribed = phase.getValue().stream().filter(this::subscribed).toList();
            int failed = deliver(runId, subscribed);
            counts.put(phase.getKey().wireName(), Map.of("planned", subscribed.size(),
                    "succeeded", subscribed.size() - failed, "failed", failed, "cancelled", 0));
        }
        CheckResult idempotency = null;
        if (tokens != null) {
            tokens.addAll(tokenChecks(runId, run));
            idempotency = idempotency(runId);
        }
        notice(runId, AppEvent.SYNCHRONIZATION_ENDED, Map.of("id", runId.toString(), "mode", "incremental",
                "status", "finished", "counts", counts));
        return idempotency;
    }

    private boolean subscribed(Entry entry) {
        return AppEvent.fromWireName(entry.event()).filter(manifest::subscribes).isPresent();
    }

    /** A phase's entries, a few in flight at once, each counted for its check; returns how many were not accepted. */
    private int deliver(UUID runId, List<Entry> entries) {
        Semaphore window = new Semaphore(PARALLEL_REQUESTS);
        AtomicInteger failed = new AtomicInteger();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                Entry entry = entries.get(i);
                String key = idempotencyKey(runId, entry, i);
                sent.add(executor.submit(() -> {
                    window.acquireUninterruptibly();
                    try {
                        DeliveryAttempt attempt = consume(runId, entry, key);
                        if (!accepted(attempt)) {
                            failed.incrementAndGet();
                        }
                        tally(entry.check()).record(accepted(attempt) ? null : entry.describe() + "; " + describe(attempt));
                    } finally {
                        window.release();
                    }
                }));
            }
            for (Future<?> request : sent) {
                // Each call is bounded by its own timeout; this bounds the wait for the whole phase as well.
                request.get(callTimeout.multipliedBy(entries.size() + 1L).toMillis(), TimeUnit.MILLISECONDS);
            }
            return failed.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while delivering", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("a delivery failed unexpectedly", e);
        }
    }

    /** Sends one entry as Syncline does, with the App's stored {@code resource_customs}, and keeps what it answers. */
    private DeliveryAttempt consume(UUID runId, Entry entry, String key) {
        ConsumeRequest request = new ConsumeRequest(entry.event(), entry.resource(), entry.events(),
                customs.get(entry.resource()), key);
        DeliveryAttempt attempt = timed(entry.describe(), () -> endpoint.consume(target(runId), request));
        if (accepted(attempt)) {
            inspectCustoms(entry, (DeliveryAttempt.Answered) attempt);
        }
        return attempt;
    }

    private void notice(UUID runId, AppEvent event, Map<String, Object> synchronization) {
        if (!manifest.subscribes(event)) {
            return;
        }
        String what = "PUT /consume/" + event.wireName() + " for run " + runId;
        DeliveryAttempt attempt = timed(what, () -> endpoint.notify(target(runId), event.wireName(),
                Map.of("name", event.wireName(), "synchronization", synchronization), Notifier.idempotencyKey(runId, event.wireName())));
        tally("event " + event.wireName()).record(accepted(attempt) ? null : what + "; " + describe(attempt));
    }

    private void lifecycle(AppEvent event) {
        if (!manifest.subscribes(event)) {
            return;
        }
        String what = "PUT /consume/" + event.wireName() + " {\"name\": \"" + event.wireName() + "\"}";
        AppCallOutcome outcome = timed(what, () -> appClient.sendLifecycleEvent(settings.appUrl(), event, claims(null),
                secret));
        tally("event " + event.wireName()).record(outcome.succeeded() ? null : what + "; " + outcome.describe());
    }

    // ---- tokens, idempotency, resource_customs ----------------------------------------------------

    /** Three requests the App must refuse: a token signed with another secret, an expired one, an unknown installation. */
    private List<CheckResult> tokenChecks(UUID runId, ConformanceCatalog.Run run) {
        Optional<Entry> probe = run.phases().values().stream().flatMap(List::stream).filter(this::subscribed).findFirst();
        if (probe.isEmpty()) {
            String why = "the App subscribes to no resource event to send a token with";
            return List.of(CheckResult.notApplicable(BAD_SIGNATURE, why), CheckResult.notApplicable(EXPIRED, why),
                    CheckResult.notApplicable(UNKNOWN_INSTALLATION, why));
        }
        Entry entry = probe.get();
        SharedSecret otherSecret = SharedSecret.generate(random);
        UUID stranger = UUID.randomUUID();
        return List.of(
                refusal(BAD_SIGNATURE, entry, "a token signed with another secret", endpoint,
                        new AppTarget(settings.appUrl(), claims(runId), otherSecret)),
                refusal(EXPIRED, entry, "a token that expired " + EXPIRED_BY.toMinutes() + " minutes ago "
                        + "(iat " + EXPIRED_BY.plus(AppTokenClaims.LIFETIME).toMinutes() + " minutes ago)",
                        expiredEndpoint, target(runId)),
                refusal(UNKNOWN_INSTALLATION, entry, "a token for installation " + stranger
                        + ", which never had a handshake", endpoint,
                        new AppTarget(settings.appUrl(), claims(stranger, runId), otherSecret)));
    }

    private CheckResult refusal(String check, Entry entry, String token, HttpAppEndpoint sender, AppTarget target) {
        ConsumeRequest request = new ConsumeRequest(entry.event(), entry.resource(), entry.events(),
                customs.get(entry.resource()), UUID.randomUUID().toString());
        DeliveryAttempt attempt = timed(entry.describe(), () -> sender.consume(target, request));
        String sent = "sent " + entry.describe() + " with " + token;
        if (attempt instanceof DeliveryAttempt.Answered answered && (answered.status() == 401 || answered.status() == 403)) {
            return CheckResult.pass(check, "refused with " + answered.status());
        }
        return CheckResult.fail(check, sent + "; " + describe(attempt) + " (expected 401 or 403)");
    }

    /**
     * Two updates of one product, then the first again with its idempotency key: what the App holds, read through
     * its state URL, must not change.
     */
    private CheckResult idempotency(UUID runId) {
        List<Entry> updates = catalog.idempotencyUpdates();
        if (!manifest.subscribes(AppEvent.PRODUCT_UPDATED)) {
            return CheckResult.notApplicable(IDEMPOTENCY, "not checkable: the App does not subscribe to product_updated");
        }
        if (settings.stateUrl() == null) {
            return CheckResult.notApplicable(IDEMPOTENCY, "not checkable: the App exposes no follow-up read"
                    + " (give --state-url with a URL that shows what the App holds for {installation_id})");
        }
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < updates.size(); i++) {
            keys.add(idempotencyKey(runId, updates.get(i), 1_000_000 + i));
            DeliveryAttempt attempt = consume(runId, updates.get(i), keys.get(i));
            if (!accepted(attempt)) {
                return CheckResult.fail(IDEMPOTENCY, "sent " + updates.get(i).describe() + "; " + describe(attempt));
            }
        }
        Answer before = readState();
        if (!before.ok()) {
            return CheckResult.fail(IDEMPOTENCY, "the state read GET " + stateUri() + " " + before.describe());
        }
        DeliveryAttempt repeated = consume(runId, updates.getFirst(), keys.getFirst());
        String sent = "repeated " + updates.getFirst().describe() + " with X-Idempotency-Key " + keys.getFirst();
        if (!accepted(repeated)) {
            return CheckResult.fail(IDEMPOTENCY, sent + "; " + describe(repeated) + " (a repeat must be acknowledged with 2xx)");
        }
        Answer after = readState();
        if (!after.ok()) {
            return CheckResult.fail(IDEMPOTENCY, "the state read GET " + stateUri() + " " + after.describe());
        }
        Optional<String> difference = JsonDifference.first(json.readTree(before.body()), json.readTree(after.body()));
        return difference.map(change -> CheckResult.fail(IDEMPOTENCY, sent + "; it was applied again: GET "
                        + stateUri() + " changed at " + change))
                .orElseGet(() -> CheckResult.pass(IDEMPOTENCY, sent + "; GET " + stateUri() + " unchanged"));
    }

    private void inspectCustoms(Entry entry, DeliveryAttempt.Answered answered) {
        if (answered.customs() != null) {
            customs.put(entry.resource(), answered.customs());
        }
        String body = answered.bodyExcerpt();
        if (body == null || body.isBlank()) {
            return;
        }
        JsonNode answer;
        try {
            answer = json.readTree(body);
        } catch (RuntimeException notJson) {
            return; // Syncline ignores a body that is not JSON
        }
        if (!answer.isObject() || !answer.has("resource_customs")) {
            return;
        }
        customsSeen.incrementAndGet();
        JsonNode value = answer.get("resource_customs");
        if (!value.isObject() && !value.isNull()) {
            customsViolations.add(entry.describe() + "; answered " + answered.status() + " " + CheckResult.excerpt(body));
        }
    }

    private CheckResult customsShape() {
        if (!customsViolations.isEmpty()) {
            return CheckResult.fail(CUSTOMS, customsViolations.size() + " answers carry resource_customs that is not a"
                    + " JSON object (Syncline ignores it); first: " + customsViolations.getFirst());
        }
        if (customsSeen.get() == 0) {
            return CheckResult.notApplicable(CUSTOMS, "no answer carried resource_customs (it is optional)");
        }
        return CheckResult.pass(CUSTOMS, customsSeen.get() + " answers carried resource_customs, each an object; sent"
                + " back with the resource's later events");
    }

    // ---- configuration, dictionaries, file --------------------------------------------------------

    /**
     * Configures the installation as a PIM would before its first synchronization: first a step with a required
     * field left out, which must be refused with 422 violations, then every step with the values given (or
     * {@code {}} for each without {@code --configuration}), each of which must be accepted.
     */
    private Configuration configure() {
        JsonNode steps = schema();
        if (!steps.isArray() || steps.isEmpty()) {
            String why = "the manifest has no configuration_schema steps";
            return new Configuration(CheckResult.notApplicable(CONFIGURATION, why),
                    CheckResult.notApplicable(INVALID_STEP, why), null);
        }
        JsonNode given = settings.configuration();
        if (given != null && !givenFits(given, steps.size())) {
            String problem = "--configuration must be a JSON array of " + steps.size() + " objects, one per"
                    + " configuration_schema step; got " + CheckResult.excerpt(given.toString());
            return new Configuration(CheckResult.fail(CONFIGURATION, problem),
                    CheckResult.notApplicable(INVALID_STEP, "not checked: " + problem),
                    "not checked: --configuration does not fit the configuration_schema");
        }
        CheckResult invalid = invalidStep(steps, given);
        Answer stored = call("GET", "configuration", null);
        if (!stored.ok() || !isJsonArray(stored.body())) {
            return new Configuration(CheckResult.fail(CONFIGURATION, "sent GET /configuration; " + stored.describe()
                    + " (expected 2xx with a JSON array of the stored steps)"), invalid,
                    "not checked: the installation could not be configured");
        }
        for (int index = 0; index < steps.size(); index++) {
            Map<String, Object> body = step(index, given == null ? json.readTree("{}") : given.get(index));
            Answer answer = call("POST", "configuration", body);
            if (answer.ok()) {
                continue;
            }
            String sent = "sent POST /configuration " + shown(body) + "; " + answer.describe();
            if (given == null) {
                return new Configuration(CheckResult.fail(CONFIGURATION, REQUIRED + " (a JSON array of " + steps.size()
                        + " objects, one per configuration_schema step): " + sent), invalid, REQUIRED);
            }
            return new Configuration(CheckResult.fail(CONFIGURATION, sent + " (expected 2xx)"), invalid,
                    "not checked: the App refused the configuration given with --configuration");
        }
        return new Configuration(CheckResult.pass(CONFIGURATION, "GET /configuration answered an array; POST"
                + " /configuration of each of " + steps.size() + " steps answered 2xx"
                + (given == null ? " to {}" : "")), invalid, null);
    }

    /** The first step that requires a field, sent without it: the App must answer 422 with violations. */
    private CheckResult invalidStep(JsonNode steps, JsonNode given) {
        for (int index = 0; index < steps.size(); index++) {
            JsonNode required = steps.get(index).path("required");
            if (!required.isArray() || required.isEmpty() || !required.get(0).isTextual()) {
                continue;
            }
            String field = required.get(0).asText();
            ObjectNode values = given == null ? (ObjectNode) json.readTree("{}") : ((ObjectNode) given.get(index)).deepCopy();
            values.remove(field);
            Map<String, Object> body = step(index, values);
            Answer answer = call("POST", "configuration", body);
            String sent = "sent POST /configuration " + shown(body) + " without the required '"
                    + field + "'";
            if (answer.unreachable() == null && answer.status() == 422 && violationsShape(answer.body())) {
                return CheckResult.pass(INVALID_STEP, sent + "; answered 422 with "
                        + json.readTree(answer.body()).get("violations").size() + " violation(s)");
            }
            return CheckResult.fail(INVALID_STEP, sent + "; " + answer.describe() + " (expected 422 with {title, detail,"
                    + " violations: [{propertyPath, title, template, parameters}]})");
        }
        return CheckResult.notApplicable(INVALID_STEP, "no configuration_schema step has a required field to leave out");
    }

    /**
     * A {@code POST /configuration} body as a report line quotes it: the values of the step's secret fields
     * ({@code "widget": "password"}) left out, as Syncline's API leaves them out.
     */
    private String shown(Map<String, Object> body) {
        int index = (Integer) body.get("index");
        ArrayNode steps = (ArrayNode) json.readTree("[]");
        for (int step = 0; step < index; step++) {
            steps.addObject();
        }
        steps.add(((JsonNode) body.get("configuration")).deepCopy());
        JsonNode values = json.readTree(schemas.withoutSecrets(manifest.configurationSchema(), json.write(steps)));
        Map<String, Object> shown = step(index, values.get(index));
        String text = CheckResult.excerpt(json.write(shown));
        return values.get(index).equals(body.get("configuration")) ? text : text + " (secret fields not shown)";
    }

    /** A {@code POST /configuration} body, in the protocol's order for App authors reading their logs. */
    private static Map<String, Object> step(int index, JsonNode values) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("index", index);
        body.put("configuration", values);
        return body;
    }

    private static boolean givenFits(JsonNode given, int steps) {
        if (!given.isArray() || given.size() != steps) {
            return false;
        }
        for (JsonNode step : given) {
            if (!step.isObject()) {
                return false;
            }
        }
        return true;
    }

    private CheckResult dictionaries() {
        Set<String> names = new LinkedHashSet<>();
        collectDictionaries(schema(), names);
        if (names.isEmpty()) {
            return CheckResult.notApplicable(DICTIONARIES, "the configuration_schema names no app: dictionary");
        }
        for (String name : names) {
            Answer answer = call("GET", "dictionary/" + name, null);
            if (!answer.ok() || !dictionaryShape(answer.body())) {
                return CheckResult.fail(DICTIONARIES, "sent GET /dictionary/" + name + "; " + answer.describe()
                        + " (expected 200 with {\"dictionary\": [{\"id\", \"label\", ...}]})");
            }
        }
        return CheckResult.pass(DICTIONARIES, "GET /dictionary/<name> answered a dictionary for " + String.join(", ", names));
    }

    private CheckResult downloadFile(UUID runId) {
        if (!manifest.enables(AppFeature.SYNCHRONIZATION_FILE_DOWNLOAD)
                && !manifest.enables(AppFeature.SYNCHRONIZATION_FILE_DOWNLOAD_LATEST)) {
            return CheckResult.notApplicable(DOWNLOAD_FILE, "the manifest declares no file feature");
        }
        AppFileSource.Fetch fetch = timed("GET /download-file", () -> download.fetch(target(runId),
                (type, length, name, body) -> measure(runId, type, name, body)));
        return switch (fetch) {
            case AppFileSource.Fetch.Stored stored -> CheckResult.pass(DOWNLOAD_FILE, "GET /download-file for run " + runId
                    + " answered " + stored.file().contentType() + ", " + stored.file().sizeBytes() + " bytes");
            case AppFileSource.Fetch.Failed failed -> CheckResult.fail(DOWNLOAD_FILE, "sent GET /download-file with"
                    + " synchronization_id " + runId + " after synchronization_ended; " + describe(failed.attempt()));
        };
    }

    private RunFile measure(UUID runId, String contentType, String name, InputStream body) {
        try (DigestInputStream in = new DigestInputStream(body, MessageDigest.getInstance("SHA-256"))) {
            long size = in.transferTo(java.io.OutputStream.nullOutputStream());
            String fileName = name == null ? "file" : name;
            return new RunFile(runId, installation, RunFile.key(installation, runId, fileName), fileName, size,
                    HexFormat.of().formatHex(in.getMessageDigest().digest()), contentType, Instant.now());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private CheckResult timeouts() {
        List<Timing> all;
        synchronized (timings) {
            all = List.copyOf(timings);
        }
        long limit = settings.timeout().toMillis();
        List<Timing> slow = all.stream().filter(t -> t.millis() > limit).toList();
        Timing slowest = all.stream().max((a, b) -> Long.compare(a.millis(), b.millis())).orElseThrow();
        String figures = all.size() + " calls; slowest " + slowest.millis() + " ms (" + slowest.call() + "); limit "
                + limit + " ms";
        if (slow.isEmpty()) {
            return CheckResult.pass(TIMEOUT, figures);
        }
        return CheckResult.fail(TIMEOUT, slow.size() + " of " + figures + "; Syncline gives up after the limit and"
                + " retries");
    }

    // ---- plumbing ---------------------------------------------------------------------------------

    private JsonNode schema() {
        return manifest.configurationSchema() == null ? json.readTree("[]") : json.readTree(manifest.configurationSchema());
    }

    private static void collectDictionaries(JsonNode node, Set<String> names) {
        if (node.isTextual() && node.asText().startsWith("app:")) {
            names.add(node.asText().substring("app:".length()));
        }
        node.forEach(child -> collectDictionaries(child, names));
    }

    private boolean isJsonArray(String body) {
        try {
            return json.readTree(body).isArray();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean violationsShape(String body) {
        try {
            JsonNode problem = json.readTree(body);
            if (!problem.path("violations").isArray()) {
                return false;
            }
            for (JsonNode violation : problem.get("violations")) {
                if (!violation.path("propertyPath").isTextual() || !violation.path("title").isTextual()) {
                    return false;
                }
            }
            return problem.has("title") && problem.has("detail");
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean dictionaryShape(String body) {
        try {
            JsonNode entries = json.readTree(body).path("dictionary");
            if (!entries.isArray()) {
                return false;
            }
            for (JsonNode entry : entries) {
                if (!entry.has("id") || !entry.path("label").isTextual()) {
                    return false;
                }
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Answer readState() {
        return send("GET " + stateUri(), HttpRequest.newBuilder(stateUri()).GET());
    }

    private URI stateUri() {
        return URI.create(settings.stateUrl().replace("{installation_id}", installation.toString()));
    }

    /** A configuration or dictionary call, with a token as for the handshake. */
    private Answer call(String method, String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(settings.appUrl().resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(json.writeBytes(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return send(method + " /" + path, request);
    }

    private Answer send(String what, HttpRequest.Builder request) {
        HttpRequest built = request.timeout(callTimeout)
                .header("Accept", "application/json")
                .header("User-Agent", "Syncline")
                .header("X-APP-TOKEN", signer.sign(claims(null), secret))
                .build();
        return timed(what, () -> {
            try {
                HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                return new Answer(response.statusCode(), response.body(), null);
            } catch (IOException e) {
                return new Answer(0, null, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Answer(0, null, "interrupted");
            }
        });
    }

    /** Runs a call and notes how long it took; one that timed out took longer than the limit by construction. */
    private <T> T timed(String call, Supplier<T> action) {
        long started = System.nanoTime();
        T result = action.get();
        timings.add(new Timing(call, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
        return result;
    }

    private Tally tally(String check) {
        return tallies.computeIfAbsent(check, name -> new Tally());
    }

    private AppTarget target(UUID runId) {
        return new AppTarget(settings.appUrl(), claims(runId), secret);
    }

    private AppTokenClaims claims(UUID runId) {
        return claims(installation, runId);
    }

    private AppTokenClaims claims(UUID installationId, UUID runId) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new AppTokenClaims(installationId, settings.apiUrl(), now, now, now.plus(AppTokenClaims.LIFETIME), runId);
    }

    private static String idempotencyKey(UUID runId, Entry entry, int index) {
        return UUID.nameUUIDFromBytes((runId + "/" + entry.event() + "/" + index + "/" + entry.resource())
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static boolean accepted(DeliveryAttempt attempt) {
        return attempt instanceof DeliveryAttempt.Answered answered && answered.status() / 100 == 2;
    }

    private static String describe(DeliveryAttempt attempt) {
        return switch (attempt) {
            case DeliveryAttempt.Answered answered -> "answered " + answered.status() + " "
                    + CheckResult.excerpt(answered.bodyExcerpt());
            case DeliveryAttempt.Unreachable unreachable -> "no answer: " + unreachable.detail();
        };
    }

    static boolean failed(List<CheckResult> results) {
        return results.stream().anyMatch(result -> result.verdict() == Verdict.FAIL);
    }
}
