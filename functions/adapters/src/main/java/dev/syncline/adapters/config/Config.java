package dev.syncline.adapters.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything a function reads from its environment, read once at init. The SAM template sets these with
 * {@code !Ref}/{@code !GetAtt}; the local stack and tests pass the same names.
 *
 * <p>Settings only some functions need (API keys, the secret key) are read by every function but required
 * by the ones that use them, through the {@code require...} methods, which name the missing variable.
 *
 * @param endpoints service endpoint overrides, set only against emulators
 * @param credentials credentials taken from the environment, or empty for the SDK's default chain
 * @param apiKeyHashes hex SHA-256 digests of the API keys the api function accepts; empty when none are set
 * @param apiKeyCacheTime how long the api function trusts what it read of a tenant's API key (and its tenant):
 *     revoking a key or disabling a tenant takes effect within it
 * @param allowPrivateAppUrls whether Apps may live at loopback, private and other internal addresses: true
 *     only for the local stack and tests, where the App runs on the same machine
 * @param secretKey how installations' shared secrets are encrypted at rest, or empty when not set
 * @param appCalls how long the engine waits for an App
 * @param stalledAfter how long a run may sit idle before the reconciler moves it on: the work queue's visibility
 *     timeout on AWS, after which SQS would have redelivered anything that was merely slow
 * @param metricsFile a file the functions append their metric lines to, besides standard output, and that
 *     {@code GET /v1/metrics} reads: set by the local stack only
 * @param metricsNamespace the CloudWatch namespace of the metrics: one per stack, so that two stacks in one account
 *     keep their figures apart
 * @param awsCalls how long an AWS SDK call may take
 * @param files the cap and the deadline of fetching an App's generated file
 * @param snapshots how large a snapshot may be: as uploaded, and once decompressed, in bytes and in lines
 * @param tenantMaxActiveRuns how many runs one tenant may have active at once: a trigger beyond it is refused
 * @param prices the AWS prices runs' costs are estimated at, as {@value #PRICES} sets them (a JSON object, read by
 *     {@code JsonPrices}); empty for the defaults
 */
public record Config(
        String region,
        String table,
        String controlQueueUrl,
        String workQueueUrl,
        String bucket,
        Endpoints endpoints,
        Optional<Credentials> credentials,
        List<String> apiKeyHashes,
        Duration apiKeyCacheTime,
        boolean allowPrivateAppUrls,
        Optional<SecretKey> secretKey,
        AppCalls appCalls,
        Duration stalledAfter,
        Optional<Path> metricsFile,
        String metricsNamespace,
        Optional<Scheduling> scheduling,
        AwsCalls awsCalls,
        Files files,
        Snapshots snapshots,
        int tenantMaxActiveRuns,
        Optional<String> prices) {

    public static final String REGION = "AWS_REGION";
    public static final String TABLE = "SYNCLINE_TABLE";
    public static final String CONTROL_QUEUE_URL = "SYNCLINE_CONTROL_QUEUE_URL";
    public static final String WORK_QUEUE_URL = "SYNCLINE_WORK_QUEUE_URL";
    public static final String BUCKET = "SYNCLINE_BUCKET";
    public static final String DYNAMODB_ENDPOINT = "SYNCLINE_DYNAMODB_ENDPOINT";
    public static final String SQS_ENDPOINT = "SYNCLINE_SQS_ENDPOINT";
    public static final String S3_ENDPOINT = "SYNCLINE_S3_ENDPOINT";
    /** Comma-separated hex SHA-256 digests of the accepted API keys (never the keys themselves). */
    public static final String API_KEY_HASHES = "SYNCLINE_API_KEY_HASHES";
    /** Seconds a tenant key lookup is trusted, 0 to 60; default 30. */
    public static final String API_KEY_CACHE_SECONDS = "SYNCLINE_API_KEY_CACHE_SECONDS";
    static final Duration DEFAULT_API_KEY_CACHE_TIME = Duration.ofSeconds(30);
    static final long MAX_API_KEY_CACHE_SECONDS = 60;
    /** {@code true} lets Apps live at internal addresses; anything else but {@code false} is refused. */
    public static final String ALLOW_PRIVATE_APP_URLS = "SYNCLINE_ALLOW_PRIVATE_APP_URLS";
    /** The KMS key (id, ARN or alias) that envelope-encrypts shared secrets on AWS. */
    public static final String SECRETS_KMS_KEY_ID = "SYNCLINE_SECRETS_KMS_KEY_ID";
    /** A base64 256-bit AES key that encrypts shared secrets where there is no KMS (local stack, tests). */
    public static final String SECRETS_LOCAL_KEY = "SYNCLINE_SECRETS_LOCAL_KEY";
    public static final String APP_CONNECT_TIMEOUT_MS = "SYNCLINE_APP_CONNECT_TIMEOUT_MS";
    public static final String APP_REQUEST_TIMEOUT_MS = "SYNCLINE_APP_REQUEST_TIMEOUT_MS";
    /** Seconds a run may be idle before the reconciler moves it; default 720, the work queue's visibility timeout. */
    public static final String STALLED_AFTER_SECONDS = "SYNCLINE_STALLED_AFTER_SECONDS";
    static final Duration DEFAULT_STALLED_AFTER = Duration.ofSeconds(720);
    /** The functions' log level: error, warn, info (the default), debug or trace. */
    public static final String LOG_LEVEL = "SYNCLINE_LOG_LEVEL";
    /** Longest DynamoDB, SQS, KMS or Scheduler call, retries included, in milliseconds. */
    public static final String AWS_CALL_TIMEOUT_MS = "SYNCLINE_AWS_CALL_TIMEOUT_MS";
    /** Longest single attempt of such a call, in milliseconds. */
    public static final String AWS_ATTEMPT_TIMEOUT_MS = "SYNCLINE_AWS_ATTEMPT_TIMEOUT_MS";
    /** Longest S3 call, retries included, in milliseconds (reading a body S3 streams back is not part of it). */
    public static final String S3_CALL_TIMEOUT_MS = "SYNCLINE_S3_CALL_TIMEOUT_MS";
    /** Longest single attempt of an S3 call, in milliseconds. */
    public static final String S3_ATTEMPT_TIMEOUT_MS = "SYNCLINE_S3_ATTEMPT_TIMEOUT_MS";
    static final List<String> LOG_LEVELS = List.of("error", "warn", "info", "debug", "trace");
    /** A file the metric lines are appended to as well (the local stack's), read by {@code GET /v1/metrics}. */
    public static final String METRICS_FILE = "SYNCLINE_METRICS_FILE";
    /** The CloudWatch namespace of the metrics; default {@value #DEFAULT_METRICS_NAMESPACE}. */
    public static final String METRICS_NAMESPACE = "SYNCLINE_METRICS_NAMESPACE";
    static final String DEFAULT_METRICS_NAMESPACE = "Syncline";
    /** The EventBridge Scheduler schedule group that holds one schedule per installation. */
    public static final String SCHEDULE_GROUP = "SYNCLINE_SCHEDULE_GROUP";
    /** The function (alias ARN) a schedule invokes to start a scheduled run. */
    public static final String SCHEDULE_TARGET_ARN = "SYNCLINE_SCHEDULE_TARGET_ARN";
    /** The role EventBridge Scheduler assumes to invoke that function. */
    public static final String SCHEDULE_ROLE_ARN = "SYNCLINE_SCHEDULE_ROLE_ARN";
    /** EventBridge Scheduler endpoint override, for tests that speak its wire protocol. */
    public static final String SCHEDULER_ENDPOINT = "SYNCLINE_SCHEDULER_ENDPOINT";

    /** The largest App file stored, in bytes; default 5 GiB. A larger file ends {@code too_large}. */
    public static final String FILE_MAX_BYTES = "SYNCLINE_FILE_MAX_BYTES";
    /** Seconds one fetch of an App's file may take in all; default 840, the control queue function's 900 less a margin. */
    public static final String FILE_FETCH_TIMEOUT_SECONDS = "SYNCLINE_FILE_FETCH_TIMEOUT_SECONDS";

    /** The largest snapshot file read, in bytes, as uploaded (gzip-compressed or not); default 5 GiB. */
    public static final String SNAPSHOT_MAX_UPLOAD_BYTES = "SYNCLINE_SNAPSHOT_MAX_UPLOAD_BYTES";
    /** The most bytes a snapshot may hold once decompressed; default 64 GiB. */
    public static final String SNAPSHOT_MAX_BYTES = "SYNCLINE_SNAPSHOT_MAX_BYTES";
    /** The most lines a snapshot may hold, blank ones included; default 50 million. */
    public static final String SNAPSHOT_MAX_LINES = "SYNCLINE_SNAPSHOT_MAX_LINES";

    /** How many runs one tenant may have active at once; default 20. A trigger beyond it is refused (429). */
    public static final String TENANT_MAX_ACTIVE_RUNS = "SYNCLINE_TENANT_MAX_ACTIVE_RUNS";
    static final int DEFAULT_TENANT_MAX_ACTIVE_RUNS = 20;

    /**
     * The AWS prices runs' costs are estimated at, as one JSON object: {@code as_of} (the day they were read,
     * {@code YYYY-MM-DD}) and any of the prices by name, in dollars; the rest keep their defaults, the us-east-1
     * list prices (docs/operations.md, "Cost of every run").
     */
    public static final String PRICES = "SYNCLINE_PRICES";

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public Config {
        Objects.requireNonNull(region, REGION);
        Objects.requireNonNull(table, TABLE);
        Objects.requireNonNull(controlQueueUrl, CONTROL_QUEUE_URL);
        Objects.requireNonNull(workQueueUrl, WORK_QUEUE_URL);
        Objects.requireNonNull(bucket, BUCKET);
        Objects.requireNonNull(endpoints, "endpoints");
        Objects.requireNonNull(credentials, "credentials");
        apiKeyHashes = List.copyOf(apiKeyHashes);
        Objects.requireNonNull(apiKeyCacheTime, "apiKeyCacheTime");
        Objects.requireNonNull(secretKey, "secretKey");
        Objects.requireNonNull(appCalls, "appCalls");
        Objects.requireNonNull(stalledAfter, "stalledAfter");
        Objects.requireNonNull(metricsFile, "metricsFile");
        Objects.requireNonNull(metricsNamespace, "metricsNamespace");
        Objects.requireNonNull(scheduling, "scheduling");
        Objects.requireNonNull(awsCalls, "awsCalls");
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(snapshots, "snapshots");
        Objects.requireNonNull(prices, "prices");
    }

    /** Reads the process environment; fails naming the first missing variable. */
    public static Config fromEnvironment() {
        return from(System.getenv());
    }

    /** Reads the given environment, for the local stack, which runs several functions in one process. */
    public static Config from(Map<String, String> environment) {
        Optional<Credentials> credentials = optional(environment, "AWS_ACCESS_KEY_ID").map(accessKeyId -> new Credentials(
                accessKeyId,
                required(environment, "AWS_SECRET_ACCESS_KEY"),
                optional(environment, "AWS_SESSION_TOKEN").orElse(null)));
        return new Config(
                required(environment, REGION),
                required(environment, TABLE),
                required(environment, CONTROL_QUEUE_URL),
                required(environment, WORK_QUEUE_URL),
                required(environment, BUCKET),
                new Endpoints(
                        optional(environment, DYNAMODB_ENDPOINT).map(URI::create).orElse(null),
                        optional(environment, SQS_ENDPOINT).map(URI::create).orElse(null),
                        optional(environment, S3_ENDPOINT).map(URI::create).orElse(null)),
                credentials,
                apiKeyHashes(environment),
                apiKeyCacheTime(environment),
                flag(environment, ALLOW_PRIVATE_APP_URLS),
                secretKey(environment),
                new AppCalls(
                        millis(environment, APP_CONNECT_TIMEOUT_MS, AppCalls.DEFAULT.connectTimeout()),
                        millis(environment, APP_REQUEST_TIMEOUT_MS, AppCalls.DEFAULT.requestTimeout())),
                optional(environment, STALLED_AFTER_SECONDS).map(Config::seconds).orElse(DEFAULT_STALLED_AFTER),
                optional(environment, METRICS_FILE).map(Path::of),
                optional(environment, METRICS_NAMESPACE).orElse(DEFAULT_METRICS_NAMESPACE),
                scheduling(environment),
                new AwsCalls(
                        millis(environment, AWS_CALL_TIMEOUT_MS, AwsCalls.DEFAULT.callTimeout()),
                        millis(environment, AWS_ATTEMPT_TIMEOUT_MS, AwsCalls.DEFAULT.attemptTimeout()),
                        millis(environment, S3_CALL_TIMEOUT_MS, AwsCalls.DEFAULT.s3CallTimeout()),
                        millis(environment, S3_ATTEMPT_TIMEOUT_MS, AwsCalls.DEFAULT.s3AttemptTimeout())),

                new Files(
                        optional(environment, FILE_MAX_BYTES).map(value -> positive(FILE_MAX_BYTES, value, "bytes"))
                                .orElse(Files.DEFAULT.maxBytes()),
                        optional(environment, FILE_FETCH_TIMEOUT_SECONDS)
                                .map(value -> Duration.ofSeconds(positive(FILE_FETCH_TIMEOUT_SECONDS, value, "seconds")))
                                .orElse(Files.DEFAULT.fetchTimeout())),
                new Snapshots(
                        positive(environment, SNAPSHOT_MAX_UPLOAD_BYTES, "bytes", Snapshots.DEFAULT.maxUploadBytes()),
                        positive(environment, SNAPSHOT_MAX_BYTES, "bytes", Snapshots.DEFAULT.maxBytes()),
                        positive(environment, SNAPSHOT_MAX_LINES, "lines", Snapshots.DEFAULT.maxLines())),
                Math.toIntExact(Math.min(Integer.MAX_VALUE,
                        positive(environment, TENANT_MAX_ACTIVE_RUNS, "runs", DEFAULT_TENANT_MAX_ACTIVE_RUNS))),
                optional(environment, PRICES));
    }

    private static Duration apiKeyCacheTime(Map<String, String> environment) {
        return optional(environment, API_KEY_CACHE_SECONDS).map(value -> {
            try {
                long seconds = Long.parseLong(value.trim());
                if (seconds >= 0 && seconds <= MAX_API_KEY_CACHE_SECONDS) {
                    return Duration.ofSeconds(seconds);
                }
            } catch (NumberFormatException e) {
                // Answered below.
            }
            throw new MissingConfigurationException("Environment variable " + API_KEY_CACHE_SECONDS + " must be a whole"
                    + " number of seconds from 0 to " + MAX_API_KEY_CACHE_SECONDS + " (revoked keys must stop working"
                    + " within a minute), got '" + value + "'.");
        }).orElse(DEFAULT_API_KEY_CACHE_TIME);
    }

    private static long positive(Map<String, String> environment, String name, String unit, long fallback) {
        return optional(environment, name).map(value -> positive(name, value, unit)).orElse(fallback);
    }

    private static long positive(String name, String value, String unit) {
        try {
            long number = Long.parseLong(value);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // Answered below.
        }
        throw new MissingConfigurationException("Environment variable " + name + " must be a positive whole number of " + unit
                + ", got '" + value + "'.");
    }

    /**
     * The log level {@value #LOG_LEVEL} asks for, lower case; {@code info} when it is not set. Read on its own,
     * before the rest, because the logging library must know it before the first logger exists.
     *
     * @throws MissingConfigurationException naming the levels when the value is none of them
     */
    public static String logLevel(Map<String, String> environment) {
        String level = optional(environment, LOG_LEVEL).map(value -> value.trim().toLowerCase(Locale.ROOT)).orElse("info");
        if (!LOG_LEVELS.contains(level)) {
            throw new MissingConfigurationException("Environment variable " + LOG_LEVEL + " must be one of "
                    + String.join(", ", LOG_LEVELS) + "; got '" + level + "'.");
        }
        return level;
    }

    private static Duration seconds(String value) {
        try {
            long seconds = Long.parseLong(value);
            if (seconds > 0) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // Answered below.
        }
        throw new MissingConfigurationException("Environment variable " + STALLED_AFTER_SECONDS
                + " must be a positive whole number of seconds, got '" + value + "'.");
    }

    /**
     * The API key digests, for the function that serves the API.
     *
     * @throws MissingConfigurationException naming {@value #API_KEY_HASHES} when none is set
     */
    public List<String> requireApiKeyHashes() {
        if (apiKeyHashes.isEmpty()) {
            throw new MissingConfigurationException("Environment variable " + API_KEY_HASHES + " is not set: give the"
                    + " hex SHA-256 digest of each accepted API key, comma-separated (for example the output of"
                    + " `printf %s \"$KEY\" | sha256sum`).");
        }
        return apiKeyHashes;
    }

    /**
     * The key that encrypts shared secrets, for the functions that store or use them.
     *
     * @throws MissingConfigurationException naming both variables when neither is set
     */
    public SecretKey requireSecretKey() {
        return secretKey.orElseThrow(() -> new MissingConfigurationException("Neither " + SECRETS_KMS_KEY_ID + " nor "
                + SECRETS_LOCAL_KEY + " is set: on AWS the SAM template sets the KMS key; locally set "
                + SECRETS_LOCAL_KEY + " to a base64 256-bit key (for example `openssl rand -base64 32`)."));
    }

    // Digests are not keys, but a printed digest of a weak key is one dictionary attack away from it.
    @Override
    public String toString() {
        return "Config[region=" + region + ", table=" + table + ", controlQueueUrl=" + controlQueueUrl
                + ", workQueueUrl=" + workQueueUrl + ", bucket=" + bucket + ", endpoints=" + endpoints
                + ", credentials=" + credentials + ", apiKeyHashes=" + apiKeyHashes.size() + " configured"
                + ", allowPrivateAppUrls=" + allowPrivateAppUrls + ", secretKey=" + secretKey
                + ", appCalls=" + appCalls + ", stalledAfter=" + stalledAfter + ", metricsFile=" + metricsFile
                + ", metricsNamespace=" + metricsNamespace + ", scheduling=" + scheduling + ", awsCalls=" + awsCalls + ", files=" + files
                + ", snapshots=" + snapshots + ", tenantMaxActiveRuns=" + tenantMaxActiveRuns + "]";
    }

    private static List<String> apiKeyHashes(Map<String, String> environment) {
        List<String> hashes = optional(environment, API_KEY_HASHES)
                .map(value -> Arrays.stream(value.split(","))
                        .map(String::trim)
                        .filter(hash -> !hash.isEmpty())
                        .map(hash -> hash.toLowerCase(Locale.ROOT))
                        .toList())
                .orElse(List.of());
        for (int i = 0; i < hashes.size(); i++) {
            if (!SHA256_HEX.matcher(hashes.get(i)).matches()) {
                // The position, not the value: someone may have pasted a key instead of its digest.
                throw new MissingConfigurationException("Environment variable " + API_KEY_HASHES + " entry "
                        + (i + 1) + " is not a hex SHA-256 digest (64 hexadecimal characters); give digests of the"
                        + " keys, never the keys themselves.");
            }
        }
        return hashes;
    }

    private static Optional<Scheduling> scheduling(Map<String, String> environment) {
        Optional<String> group = optional(environment, SCHEDULE_GROUP);
        Optional<String> target = optional(environment, SCHEDULE_TARGET_ARN);
        Optional<String> role = optional(environment, SCHEDULE_ROLE_ARN);
        if (group.isEmpty() && target.isEmpty() && role.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Scheduling(required(environment, SCHEDULE_GROUP), required(environment, SCHEDULE_TARGET_ARN),
                required(environment, SCHEDULE_ROLE_ARN), optional(environment, SCHEDULER_ENDPOINT).map(URI::create).orElse(null)));
    }

    private static boolean flag(Map<String, String> environment, String name) {
        return optional(environment, name).map(value -> switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new MissingConfigurationException(
                    "Environment variable " + name + " must be true or false, got '" + value + "'.");
        }).orElse(false);
    }

    private static Optional<SecretKey> secretKey(Map<String, String> environment) {
        Optional<String> kmsKeyId = optional(environment, SECRETS_KMS_KEY_ID);
        Optional<String> localKey = optional(environment, SECRETS_LOCAL_KEY);
        if (kmsKeyId.isPresent() && localKey.isPresent()) {
            throw new MissingConfigurationException("Set only one of " + SECRETS_KMS_KEY_ID + " and " + SECRETS_LOCAL_KEY
                    + ": secrets are encrypted with exactly one key.");
        }
        if (kmsKeyId.isPresent()) {
            return Optional.of(new SecretKey.Kms(kmsKeyId.get()));
        }
        return localKey.map(Config::localKey);
    }

    private static SecretKey.Local localKey(String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new MissingConfigurationException(
                    "Environment variable " + SECRETS_LOCAL_KEY + " is not base64; give a base64 256-bit key.");
        }
        if (key.length != SecretKey.Local.KEY_BYTES) {
            throw new MissingConfigurationException("Environment variable " + SECRETS_LOCAL_KEY + " holds "
                    + key.length + " bytes; an AES-256 key is " + SecretKey.Local.KEY_BYTES + " bytes (44 base64"
                    + " characters).");
        }
        return new SecretKey.Local(key);
    }

    private static Duration millis(Map<String, String> environment, String name, Duration fallback) {
        return optional(environment, name).map(value -> {
            long millis;
            try {
                millis = Long.parseLong(value);
            } catch (NumberFormatException e) {
                millis = -1;
            }
            if (millis <= 0) {
                throw new MissingConfigurationException(
                        "Environment variable " + name + " must be a positive number of milliseconds, got '" + value + "'.");
            }
            return Duration.ofMillis(millis);
        }).orElse(fallback);
    }

    private static String required(Map<String, String> environment, String name) {
        return optional(environment, name).orElseThrow(() -> new MissingConfigurationException(
                "Environment variable " + name + " is not set; the SAM template sets it, and locally the stack does."));
    }

    private static Optional<String> optional(Map<String, String> environment, String name) {
        return Optional.ofNullable(environment.get(name)).map(String::trim).filter(value -> !value.isEmpty());
    }

    /**
     * EventBridge Scheduler settings: all three set on AWS (the template does), none locally.
     *
     * @param endpoint an endpoint override, or null for the region's
     */
    public record Scheduling(String group, String targetArn, String roleArn, URI endpoint) {
        public Scheduling {
            Objects.requireNonNull(group, SCHEDULE_GROUP);
            Objects.requireNonNull(targetArn, SCHEDULE_TARGET_ARN);
            Objects.requireNonNull(roleArn, SCHEDULE_ROLE_ARN);
        }
    }

    /** Endpoint overrides; a null one means the service's public AWS endpoint. */
    public record Endpoints(URI dynamoDb, URI sqs, URI s3) {

        public static final Endpoints AWS = new Endpoints(null, null, null);

        public boolean anyOverridden() {
            return dynamoDb != null || sqs != null || s3 != null;
        }
    }

    /** Static credentials; {@link #toString()} never shows the secret parts. */
    public record Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {

        public Credentials {
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        }

        @Override
        public String toString() {
            return "Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=***, sessionToken="
                    + (sessionToken == null ? "none" : "***") + "]";
        }
    }

    /** The key that encrypts installations' shared secrets at rest. */
    public sealed interface SecretKey {

        /** A KMS key: envelope encryption with a data key per secret. */
        record Kms(String keyId) implements SecretKey {
            public Kms {
                Objects.requireNonNull(keyId, "keyId");
            }
        }

        /**
         * An AES-256 key held by the function itself, for the local stack and tests where there is no KMS.
         * {@link #toString()} never shows it.
         */
        record Local(byte[] key) implements SecretKey {

            public static final int KEY_BYTES = 32;

            public Local {
                if (key == null || key.length != KEY_BYTES) {
                    throw new IllegalArgumentException("an AES-256 key is " + KEY_BYTES + " bytes");
                }
                key = key.clone();
            }

            @Override
            public byte[] key() {
                return key.clone();
            }

            // Records compare arrays by reference; a key is a value.
            @Override
            public boolean equals(Object other) {
                return other instanceof Local that && java.security.MessageDigest.isEqual(key, that.key);
            }

            @Override
            public int hashCode() {
                return Arrays.hashCode(key);
            }

            @Override
            public String toString() {
                return "Local[key=***]";
            }
        }
    }

    /**
     * How long the engine waits for an App.
     *
     * @param connectTimeout to open a connection
     * @param requestTimeout for the whole answer, once connected
     */
    public record AppCalls(Duration connectTimeout, Duration requestTimeout) {

        /**
         * A healthy App connects in milliseconds; ten seconds leaves room for a slow handshake while a hung
         * App cannot hold an API request near API Gateway's 30-second limit.
         */
        public static final AppCalls DEFAULT = new AppCalls(Duration.ofSeconds(2), Duration.ofSeconds(10));

        public AppCalls {
            requirePositive("connectTimeout", connectTimeout);
            requirePositive("requestTimeout", requestTimeout);
        }

        private static void requirePositive(String name, Duration duration) {
            Objects.requireNonNull(duration, name);
            if (duration.isZero() || duration.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive, got " + duration);
            }
        }
    }

    /**
     * How long an AWS SDK call may take before the SDK gives up on it: a hung call fails with an
     * {@code ApiCallTimeoutException} (or is retried after an {@code ApiCallAttemptTimeoutException}) well within the
     * function's own time limit, instead of holding the invocation until Lambda ends it.
     *
     * @param callTimeout a DynamoDB, SQS, KMS or Scheduler call, retries included
     * @param attemptTimeout one attempt of such a call
     * @param s3CallTimeout an S3 call, retries included; every S3 request body is at most one 8 MiB part held in
     *     memory, so that the time an upload takes never depends on how fast its source is read
     * @param s3AttemptTimeout one attempt of an S3 call
     */
    public record AwsCalls(Duration callTimeout, Duration attemptTimeout, Duration s3CallTimeout, Duration s3AttemptTimeout) {

        /**
         * DynamoDB and SQS answer in milliseconds: 10 s per attempt leaves room for throttling, 30 s in all for the
         * SDK's retries. S3 moves parts of 8 MiB: 30 s per attempt, 60 s in all.
         */
        public static final AwsCalls DEFAULT = new AwsCalls(Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofSeconds(60), Duration.ofSeconds(30));

        public AwsCalls {
            AppCalls.requirePositive("callTimeout", callTimeout);
            AppCalls.requirePositive("attemptTimeout", attemptTimeout);
            AppCalls.requirePositive("s3CallTimeout", s3CallTimeout);
            AppCalls.requirePositive("s3AttemptTimeout", s3AttemptTimeout);
            if (attemptTimeout.compareTo(callTimeout) > 0 || s3AttemptTimeout.compareTo(s3CallTimeout) > 0) {
                throw new IllegalArgumentException("an attempt timeout must not exceed its call timeout (" + AWS_ATTEMPT_TIMEOUT_MS
                        + " <= " + AWS_CALL_TIMEOUT_MS + ", " + S3_ATTEMPT_TIMEOUT_MS + " <= " + S3_CALL_TIMEOUT_MS + "), got "
                        + attemptTimeout + " of " + callTimeout + " and " + s3AttemptTimeout + " of " + s3CallTimeout);
            }
        }
    }

    /**
     * Fetching an App's generated file.
     *
     * @param maxBytes the largest file stored
     * @param fetchTimeout how long one fetch may take in all: attempts, waits between them and the transfer
     */
    public record Files(long maxBytes, Duration fetchTimeout) {

        public static final Files DEFAULT = new Files(5L * 1024 * 1024 * 1024, Duration.ofSeconds(840));

        public Files {
            if (maxBytes <= 0) {
                throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
            }
            Objects.requireNonNull(fetchTimeout, "fetchTimeout");
        }
    }

    /**
     * How large a snapshot may be, so that one catalog cannot hold the planner for hours or fill its disk. A snapshot
     * past a limit fails its run at once, with a reason that names the limit; nothing is sent.
     *
     * @param maxUploadBytes the largest file stored, as uploaded (gzip-compressed or not): checked before it is read
     * @param maxBytes the most bytes once decompressed, counted as the snapshot is read (a small gzip file can
     *     unpack to terabytes)
     * @param maxLines the most lines, blank ones included, counted as the snapshot is read
     */
    public record Snapshots(long maxUploadBytes, long maxBytes, long maxLines) {

        /**
         * Room for ten million products: about 1 KiB to 4 KiB a product in NDJSON, a tenth of that gzip-compressed,
         * plus attributes and categories. 5 GiB is also the most one S3 {@code PUT} stores, so by default the upload
         * limit only bounds files that came another way; a deployment lowers it to bound what one PIM may upload.
         */
        public static final Snapshots DEFAULT = new Snapshots(5L * 1024 * 1024 * 1024, 64L * 1024 * 1024 * 1024, 50_000_000L);

        public Snapshots {
            if (maxUploadBytes <= 0 || maxBytes <= 0 || maxLines <= 0) {
                throw new IllegalArgumentException("snapshot limits must be positive, got maxUploadBytes=" + maxUploadBytes
                        + ", maxBytes=" + maxBytes + ", maxLines=" + maxLines);
            }
        }
    }
}
