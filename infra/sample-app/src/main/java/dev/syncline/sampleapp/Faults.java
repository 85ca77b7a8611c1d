package dev.syncline.sampleapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Misbehaviour the sample App injects into {@code PUT /consume/*} and {@code GET /download-file} (and
 * {@code POST /handshake} when {@link #includeHandshake()}), so that the engine's retries, throttling and
 * failure recording can be exercised. Never applied to {@code /_sample/*}.
 *
 * <p>Each faultable request draws one number from a {@link java.util.Random} seeded with {@link #seed()}
 * (re-seeded whenever faults are set) and falls, in this order, into the timeout share, the 503 share, the 429
 * share, or none; with the same seed and the same sequence of requests, the same requests fail. A request is
 * delayed by {@link #latency()} first, whatever it draws. A resource listed in {@link #resourceFaults()} is
 * answered with its status on every attempt. A faulted request is recorded with the status answered and never
 * changes the App's catalog.
 *
 * @param failureRate share of requests answered 503 Service Unavailable, 0 to 1
 * @param throttleRate share of requests answered 429 Too Many Requests with {@code Retry-After}, 0 to 1
 * @param retryAfterSeconds the {@code Retry-After} value sent with a 429
 * @param latency delay added before every faultable request is handled
 * @param timeoutRate share of requests that hang for {@link #timeoutHang()} and then answer 504
 * @param timeoutHang how long a timed-out request hangs; make it longer than the caller's timeout
 * @param resourceFaults resource id (a SKU, attribute code or category code) to the answer it always gets
 * @param seed seed of the random draws
 * @param includeHandshake whether {@code POST /handshake} is faulted too
 * @param defects protocol rules the App breaks on every request, each failing one check of the conformance kit
 */
public record Faults(
        double failureRate,
        double throttleRate,
        int retryAfterSeconds,
        Duration latency,
        double timeoutRate,
        Duration timeoutHang,
        Map<String, ResourceFault> resourceFaults,
        long seed,
        boolean includeHandshake,
        Set<Defect> defects) {

    private static final Set<String> JSON_FIELDS = Set.of(
            "failure_rate", "throttle_rate", "retry_after_seconds", "latency_ms", "timeout_rate", "timeout_ms",
            "resources", "seed", "handshake", "defects");

    /**
     * A protocol rule the App breaks, as careless Apps do; set by name in {@code "defects"}, for example
     * {@code ["accept_expired_tokens"]}.
     */
    public enum Defect {
        /** Accepts a token whose signature does not verify with the installation's secret. */
        ACCEPT_BAD_SIGNATURES,
        /** Accepts a token past its {@code exp}. */
        ACCEPT_EXPIRED_TOKENS,
        /** Answers 204 to a token naming an installation it never shook hands with, instead of 401. */
        ACCEPT_UNKNOWN_INSTALLATIONS,
        /** Applies a repeated {@code X-Idempotency-Key} again. */
        IGNORE_IDEMPOTENCY_KEYS,
        /** Answers {@code resource_customs} as a string instead of an object. */
        MALFORMED_RESOURCE_CUSTOMS,
        /** Answers {@code GET /download-file} with 500. */
        FAIL_DOWNLOAD_FILE;

        String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Faults {
        requireRate("the failure rate", failureRate);
        requireRate("the throttle rate", throttleRate);
        requireRate("the timeout rate", timeoutRate);
        if (failureRate + throttleRate + timeoutRate > 1.0) {
            throw new IllegalArgumentException("the failure, throttle and timeout rates add up to more than 1: "
                    + (failureRate + throttleRate + timeoutRate));
        }
        if (retryAfterSeconds < 0) {
            throw new IllegalArgumentException("retry-after seconds must be 0 or more, got " + retryAfterSeconds);
        }
        requireNonNegative("the latency", latency);
        requireNonNegative("the timeout hang", timeoutHang);
        if (timeoutRate > 0 && timeoutHang.isZero()) {
            throw new IllegalArgumentException("a timeout rate needs a timeout hang (timeout_ms) longer than zero");
        }
        resourceFaults = Map.copyOf(resourceFaults);
        defects = Set.copyOf(defects);
    }

    /** No faults: every request is handled normally. */
    public static Faults none() {
        return new Faults(0, 0, 0, Duration.ZERO, 0, Duration.ZERO, Map.of(), 0, false, Set.of());
    }

    /** Answers this share of requests with 503. */
    public Faults withFailureRate(double rate) {
        return new Faults(rate, throttleRate, retryAfterSeconds, latency, timeoutRate, timeoutHang, resourceFaults,
                seed, includeHandshake, defects);
    }

    /** Answers this share of requests with 429 and {@code Retry-After: retryAfterSeconds}. */
    public Faults withThrottleRate(double rate, int retryAfterSeconds) {
        return new Faults(failureRate, rate, retryAfterSeconds, latency, timeoutRate, timeoutHang, resourceFaults,
                seed, includeHandshake, defects);
    }

    /** Delays every faultable request by this much before handling it. */
    public Faults withLatency(Duration latency) {
        return new Faults(failureRate, throttleRate, retryAfterSeconds, latency, timeoutRate, timeoutHang,
                resourceFaults, seed, includeHandshake, defects);
    }

    /** Makes this share of requests hang for {@code hang} before answering 504, so the caller times out. */
    public Faults withTimeouts(double rate, Duration hang) {
        return new Faults(failureRate, throttleRate, retryAfterSeconds, latency, rate, hang, resourceFaults, seed,
                includeHandshake, defects);
    }

    /** Answers every event for this resource (SKU, attribute or category code) with this status and reason. */
    public Faults withResourceStatus(String resourceId, int status, String reason) {
        var merged = new LinkedHashMap<>(resourceFaults);
        merged.put(Objects.requireNonNull(resourceId, "resourceId"), new ResourceFault(status, reason));
        return new Faults(failureRate, throttleRate, retryAfterSeconds, latency, timeoutRate, timeoutHang, merged,
                seed, includeHandshake, defects);
    }

    public Faults withSeed(long seed) {
        return new Faults(failureRate, throttleRate, retryAfterSeconds, latency, timeoutRate, timeoutHang,
                resourceFaults, seed, includeHandshake, defects);
    }

    public Faults withHandshakeIncluded(boolean includeHandshake) {
        return new Faults(failureRate, throttleRate, retryAfterSeconds, latency, timeoutRate, timeoutHang,
                resourceFaults, seed, includeHandshake, defects);
    }

    /** Also breaks this protocol rule on every request. */
    public Faults withDefect(Defect defect) {
        EnumSet<Defect> more = defects.isEmpty() ? EnumSet.noneOf(Defect.class) : EnumSet.copyOf(defects);
        more.add(Objects.requireNonNull(defect, "defect"));
        return new Faults(failureRate, throttleRate, retryAfterSeconds, latency, timeoutRate, timeoutHang,
                resourceFaults, seed, includeHandshake, more);
    }

    public boolean has(Defect defect) {
        return defects.contains(defect);
    }

    /** The status a resource is always answered with, if one was chosen for it. */
    public Optional<ResourceFault> resourceFault(String resourceId) {
        return Optional.ofNullable(resourceId).map(resourceFaults::get);
    }

    /**
     * The permanent answer chosen for one resource.
     *
     * @param status the HTTP status, 400 to 599
     * @param reason why, sent back in the JSON error body
     */
    public record ResourceFault(int status, String reason) {
        public ResourceFault {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("a resource fault status must be 400 to 599, got " + status);
            }
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Reads the body of {@code PUT /_sample/faults}; absent fields take their {@link #none()} value.
     *
     * @throws IllegalArgumentException naming the field to fix
     */
    static Faults fromJson(JsonNode json) {
        if (!json.isObject()) {
            throw new IllegalArgumentException("faults must be a JSON object");
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!JSON_FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown field '" + name + "'; known fields: "
                        + JSON_FIELDS.stream().sorted().toList());
            }
        }
        var resources = new LinkedHashMap<String, ResourceFault>();
        JsonNode listed = json.path("resources");
        if (!listed.isMissingNode() && !listed.isObject()) {
            throw new IllegalArgumentException("'resources' must map a resource id to {\"status\": ..., \"reason\": ...}");
        }
        listed.properties().forEach(entry -> {
            JsonNode status = entry.getValue().path("status");
            if (!status.canConvertToInt()) {
                throw new IllegalArgumentException("resources." + entry.getKey() + ".status must be a number");
            }
            resources.put(entry.getKey(), new ResourceFault(status.asInt(),
                    entry.getValue().path("reason").asText("rejected by fault injection")));
        });
        return new Faults(
                number(json, "failure_rate"),
                number(json, "throttle_rate"),
                (int) number(json, "retry_after_seconds"),
                Duration.ofMillis((long) number(json, "latency_ms")),
                number(json, "timeout_rate"),
                Duration.ofMillis((long) number(json, "timeout_ms")),
                resources,
                seed(json),
                json.path("handshake").asBoolean(false),
                defects(json.path("defects")));
    }

    ObjectNode toJson() {
        ObjectNode json = Json.object()
                .put("failure_rate", failureRate)
                .put("throttle_rate", throttleRate)
                .put("retry_after_seconds", retryAfterSeconds)
                .put("latency_ms", latency.toMillis())
                .put("timeout_rate", timeoutRate)
                .put("timeout_ms", timeoutHang.toMillis())
                .put("seed", seed)
                .put("handshake", includeHandshake);
        var defectsJson = json.putArray("defects");
        defects.stream().sorted().forEach(defect -> defectsJson.add(defect.jsonName()));
        ObjectNode resources = json.putObject("resources");
        resourceFaults.forEach((id, fault) ->
                resources.putObject(id).put("status", fault.status()).put("reason", fault.reason()));
        return json;
    }

    private static Set<Defect> defects(JsonNode listed) {
        if (listed.isMissingNode() || listed.isNull()) {
            return Set.of();
        }
        List<String> known = Arrays.stream(Defect.values()).map(Defect::jsonName).toList();
        if (!listed.isArray()) {
            throw new IllegalArgumentException("'defects' must be a list of names; known: " + known);
        }
        EnumSet<Defect> defects = EnumSet.noneOf(Defect.class);
        for (JsonNode name : listed) {
            int at = known.indexOf(name.asText());
            if (!name.isTextual() || at < 0) {
                throw new IllegalArgumentException("unknown defect " + name + "; known: " + known);
            }
            defects.add(Defect.values()[at]);
        }
        return defects;
    }

    private static double number(JsonNode json, String field) {
        JsonNode value = json.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return 0;
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException("'" + field + "' must be a number, got " + value);
        }
        return value.asDouble();
    }

    private static long seed(JsonNode json) {
        JsonNode value = json.path("seed");
        if (value.isMissingNode() || value.isNull()) {
            return 0;
        }
        if (!value.canConvertToLong() || !value.isIntegralNumber()) {
            throw new IllegalArgumentException("'seed' must be a whole number, got " + value);
        }
        return value.asLong();
    }

    private static void requireRate(String name, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1, got " + rate);
        }
    }

    private static void requireNonNegative(String name, Duration duration) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + duration);
        }
    }
}
