package dev.syncline.adapters.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
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
}
