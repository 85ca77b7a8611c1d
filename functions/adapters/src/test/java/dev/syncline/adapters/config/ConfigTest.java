package dev.syncline.adapters.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {

    private static Map<String, String> lambdaEnvironment() {
        Map<String, String> environment = new HashMap<>();
        environment.put("AWS_REGION", "eu-central-1");
        environment.put("SYNCLINE_TABLE", "syncline-prod-Table-1");
        environment.put("SYNCLINE_CONTROL_QUEUE_URL", "https://sqs.eu-central-1.amazonaws.com/1/control");
        environment.put("SYNCLINE_WORK_QUEUE_URL", "https://sqs.eu-central-1.amazonaws.com/1/work");
        environment.put("SYNCLINE_BUCKET", "syncline-prod-bucket");
        return environment;
    }

    @Test
    void from_aLambdaEnvironment_usesAwsEndpointsAndTheDefaultCredentials() {
        Config config = Config.from(lambdaEnvironment());

        assertThat(config.table()).isEqualTo("syncline-prod-Table-1");
        assertThat(config.endpoints().anyOverridden()).isFalse();
        assertThat(config.credentials()).isEmpty();
    }

    @Test
    void prices_areKeptAsSet_forTheWiringToRead() {
        Map<String, String> environment = lambdaEnvironment();
        assertThat(Config.from(environment).prices()).isEmpty();

        environment.put("SYNCLINE_PRICES", "{\"as_of\": \"2027-03-01\"}");
        assertThat(Config.from(environment).prices()).contains("{\"as_of\": \"2027-03-01\"}");
    }

    @Test
    void logLevel_isInfoUnlessSet_andTakesAnyCase() {
        assertThat(Config.logLevel(Map.of())).isEqualTo("info");
        assertThat(Config.logLevel(Map.of("SYNCLINE_LOG_LEVEL", " DEBUG "))).isEqualTo("debug");
    }

    @Test
    void logLevel_whenNotALevel_namesTheVariableAndTheLevels() {
        assertThatThrownBy(() -> Config.logLevel(Map.of("SYNCLINE_LOG_LEVEL", "verbose")))
                .isInstanceOf(MissingConfigurationException.class)
                .hasMessage("Environment variable SYNCLINE_LOG_LEVEL must be one of error, warn, info, debug, trace; got 'verbose'.");
    }

    @Test
    void metrics_goToTheDefaultNamespace_andToNoFile_unlessSet() {
        Config plain = Config.from(lambdaEnvironment());
        assertThat(plain.metricsNamespace()).isEqualTo("Syncline");
        assertThat(plain.metricsFile()).isEmpty();

        Map<String, String> environment = lambdaEnvironment();
        environment.put("SYNCLINE_METRICS_NAMESPACE", "Syncline/prod");
        environment.put("SYNCLINE_METRICS_FILE", "/tmp/metrics.ndjson");
        Config local = Config.from(environment);
        assertThat(local.metricsNamespace()).isEqualTo("Syncline/prod");
        assertThat(local.metricsFile()).contains(java.nio.file.Path.of("/tmp/metrics.ndjson"));
    }

    @Test
    void from_whenAVariableIsMissing_namesIt() {
        Map<String, String> environment = lambdaEnvironment();
        environment.remove("SYNCLINE_WORK_QUEUE_URL");

        assertThatThrownBy(() -> Config.from(environment))
                .isInstanceOf(MissingConfigurationException.class)
                .hasMessageContaining("SYNCLINE_WORK_QUEUE_URL is not set");
    }

    @Test
    void from_blankCountsAsMissing() {
        Map<String, String> environment = lambdaEnvironment();
        environment.put("SYNCLINE_BUCKET", "  ");

        assertThatThrownBy(() -> Config.from(environment)).hasMessageContaining("SYNCLINE_BUCKET");
    }

    @Test
    void from_withEndpointOverrides_pointsEachServiceAtItsEmulator() {
        Map<String, String> environment = lambdaEnvironment();
        environment.put("SYNCLINE_DYNAMODB_ENDPOINT", "http://127.0.0.1:4567");
        environment.put("SYNCLINE_S3_ENDPOINT", "http://127.0.0.1:9000");

        Config config = Config.from(environment);

        assertThat(config.endpoints().dynamoDb()).isEqualTo(URI.create("http://127.0.0.1:4567"));
        assertThat(config.endpoints().s3()).isEqualTo(URI.create("http://127.0.0.1:9000"));
        assertThat(config.endpoints().sqs()).isNull();
    }

    @Test
    void credentials_neverShowTheirSecretParts() {
        Map<String, String> environment = lambdaEnvironment();
        environment.put("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE");
        environment.put("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI-super-secret");
        environment.put("AWS_SESSION_TOKEN", "session-token-value");

        Config config = Config.from(environment);

        assertThat(config.toString()).contains("AKIAEXAMPLE").doesNotContain("wJalrXUtnFEMI-super-secret").doesNotContain("session-token-value");
    }

    @Test
    void from_withoutTheApiSettings_usesSafeDefaultsAndRequiresThemOnlyWhenAsked() {
        Config config = Config.from(lambdaEnvironment());

        assertThat(config.allowPrivateAppUrls()).isFalse();
        assertThat(config.appCalls()).isEqualTo(Config.AppCalls.DEFAULT);
        assertThatThrownBy(config::requireApiKeyHashes)
                .isInstanceOf(MissingConfigurationException.class)
                .hasMessageContaining("SYNCLINE_API_KEY_HASHES is not set");
        assertThatThrownBy(config::requireSecretKey)
                .isInstanceOf(MissingConfigurationException.class)
                .hasMessageContaining("SYNCLINE_SECRETS_KMS_KEY_ID")
                .hasMessageContaining("SYNCLINE_SECRETS_LOCAL_KEY");
    }

    @Test
    void from_readsApiKeyDigestsCommaSeparated() {
        Map<String, String> environment = lambdaEnvironment();
        String first = "a".repeat(64);
        String second = "0123456789ABCDEF".repeat(4);
        environment.put("SYNCLINE_API_KEY_HASHES", first + " , " + second + ",");

        Config config = Config.from(environment);

        assertThat(config.requireApiKeyHashes()).containsExactly(first, second.toLowerCase(java.util.Locale.ROOT));
        assertThat(config.toString()).contains("apiKeyHashes=2 configured").doesNotContain(first);
    }

    @Test
    void from_whenAnApiKeyIsGivenInsteadOfItsDigest_refusesWithoutEchoingIt() {
        Map<String, String> environment = lambdaEnvironment();
        environment.put("SYNCLINE_API_KEY_HASHES", "a".repeat(64) + ",my-plain-api-key");

        assertThatThrownBy(() -> Config.from(environment))
                .isInstanceOf(MissingConfigurationException.class)
                .hasMessageContaining("SYNCLINE_API_KEY_HASHES entry 2 is not a hex SHA-256 digest")
                .message().doesNotContain("my-plain-api-key");
    }

    @Test
    void from_readsTheAllowPrivateFlagStrictly() {
        Map<String, String> environment = lambdaEnvironment();
        environment.put("SYNCLINE_ALLOW_PRIVATE_APP_URLS", "TRUE");
        assertThat(Config.from(environment).allowPrivateAppUrls()).isTrue();

        environment.put("SYNCLINE_ALLOW_PRIVATE_APP_URLS", "yes");
        assertThatThrownBy(() -> Config.from(environment))
                .hasMessage("Environment variable SYNCLINE_ALLOW_PRIVATE_APP_URLS must be true or false, got 'yes'.");
    }

    @Test
    void from_withAKmsKey_encryptsSecretsWithKms() {
        Map<String, String> environment = lambdaEnvironment();
        environment.put("SYNCLINE_SECRETS_KMS_KEY_ID", "alias/syncline-secrets");

        assertThat(Config.from(environment).requireSecretKey())
                .isEqualTo(new Config.SecretKey.Kms("alias/syncline-secrets"));
    }

    @Test
    void from_withALocalKey_readsItAndNeverShowsIt() {
        Map<String, String> environment = lambdaEnvironment();
        byte[] key = new byte[32];
        key[0] = 42;
        String encoded = java.util.Base64.getEncoder().encodeToString(key);
        environment.put("SYNCLINE_SECRETS_LOCAL_KEY", encoded);

        Config config = Config.from(environment);

        assertThat(config.requireSecretKey()).isEqualTo(new Config.SecretKey.Local(key));
        assertThat(config.toString()).doesNotContain(encoded).contains("Local[key=***]");
    }

    @Test
    void from_withALocalKeyOfTheWrongSize_saysWhatSizeIsNeeded() {
        Map<String, String> environment = lambdaEnvironment();
        environment.put("SYNCLINE_SECRETS_LOCAL_KEY", java.util.Base64.getEncoder().encodeToString(new byte[16]));

        assertThatThrownBy(() -> Config.from(environment))
                .hasMessageContaining("SYNCLINE_SECRETS_LOCAL_KEY holds 16 bytes; an AES-256 key is 32 bytes");
    }

    @Test
    void from_withBothKeys_refusesToGuess() {
        Map<String, String> environment = lambdaEnvironment();
        environment.put("SYNCLINE_SECRETS_KMS_KEY_ID", "alias/syncline-secrets");
        environment.put("SYNCLINE_SECRETS_LOCAL_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]));

        assertThatThrownBy(() -> Config.from(environment)).hasMessageContaining("Set only one of");
    }

    @Test
    void from_readsAppTimeoutsInMilliseconds() {
        Map<String, String> environment = lambdaEnvironment();
        environment.put("SYNCLINE_APP_CONNECT_TIMEOUT_MS", "750");
        environment.put("SYNCLINE_APP_REQUEST_TIMEOUT_MS", "5000");

        Config config = Config.from(environment);

        assertThat(config.appCalls()).isEqualTo(new Config.AppCalls(java.time.Duration.ofMillis(750),
                java.time.Duration.ofSeconds(5)));

        environment.put("SYNCLINE_APP_REQUEST_TIMEOUT_MS", "0");
        assertThatThrownBy(() -> Config.from(environment))
                .hasMessageContaining("SYNCLINE_APP_REQUEST_TIMEOUT_MS must be a positive number of milliseconds");
    }

    @Test
    void from_readsAwsCallTimeoutsInMilliseconds_andRefusesAnAttemptLongerThanItsCall() {
        Map<String, String> environment = lambdaEnvironment();
        assertThat(Config.from(environment).awsCalls()).isEqualTo(Config.AwsCalls.DEFAULT);

        environment.put("SYNCLINE_AWS_CALL_TIMEOUT_MS", "20000");
        environment.put("SYNCLINE_AWS_ATTEMPT_TIMEOUT_MS", "5000");
        environment.put("SYNCLINE_S3_CALL_TIMEOUT_MS", "90000");
        environment.put("SYNCLINE_S3_ATTEMPT_TIMEOUT_MS", "45000");

        assertThat(Config.from(environment).awsCalls()).isEqualTo(new Config.AwsCalls(Duration.ofSeconds(20),
                Duration.ofSeconds(5), Duration.ofSeconds(90), Duration.ofSeconds(45)));

        environment.put("SYNCLINE_AWS_ATTEMPT_TIMEOUT_MS", "25000");
        assertThatThrownBy(() -> Config.from(environment)).hasMessageContaining("an attempt timeout must not exceed its call timeout");
        environment.put("SYNCLINE_AWS_ATTEMPT_TIMEOUT_MS", "soon");
        assertThatThrownBy(() -> Config.from(environment))
                .hasMessageContaining("SYNCLINE_AWS_ATTEMPT_TIMEOUT_MS must be a positive number of milliseconds");
    }

    @Test
    void from_readsSnapshotLimits_withRoomForTenMillionProductsByDefault_andRefusesANonPositiveOne() {
        Map<String, String> environment = lambdaEnvironment();
        Config.Snapshots defaults = Config.from(environment).snapshots();
        assertThat(defaults.maxUploadBytes()).isEqualTo(5L << 30);
        assertThat(defaults.maxBytes()).isEqualTo(64L << 30);
        assertThat(defaults.maxLines()).isEqualTo(50_000_000L);

        environment.put("SYNCLINE_SNAPSHOT_MAX_UPLOAD_BYTES", "1000");
        environment.put("SYNCLINE_SNAPSHOT_MAX_BYTES", "20000");
        environment.put("SYNCLINE_SNAPSHOT_MAX_LINES", "30");
        assertThat(Config.from(environment).snapshots()).isEqualTo(new Config.Snapshots(1000, 20000, 30));

        environment.put("SYNCLINE_SNAPSHOT_MAX_LINES", "50M");
        assertThatThrownBy(() -> Config.from(environment))
                .hasMessage("Environment variable SYNCLINE_SNAPSHOT_MAX_LINES must be a positive whole number of lines, got '50M'.");
    }

    @Test
    void from_readsTheApiKeyCacheTime_30SecondsByDefault_andRefusesMoreThanAMinute() {
        Map<String, String> environment = lambdaEnvironment();
        assertThat(Config.from(environment).apiKeyCacheTime()).isEqualTo(Duration.ofSeconds(30));

        environment.put("SYNCLINE_API_KEY_CACHE_SECONDS", "1");
        assertThat(Config.from(environment).apiKeyCacheTime()).isEqualTo(Duration.ofSeconds(1));

        environment.put("SYNCLINE_API_KEY_CACHE_SECONDS", "61");
        assertThatThrownBy(() -> Config.from(environment)).hasMessage("Environment variable SYNCLINE_API_KEY_CACHE_SECONDS must be a"
                + " whole number of seconds from 0 to 60 (revoked keys must stop working within a minute), got '61'.");
    }
}
