package dev.syncline.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.adapters.config.Config;
import dev.syncline.adapters.config.MissingConfigurationException;
import dev.syncline.core.cost.AwsPrices;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonPricesTest {

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
    void prices_areTheUsEast1ListPrices_unlessSet() {
        assertThat(JsonPrices.read(Config.from(lambdaEnvironment()).prices())).isEqualTo(AwsPrices.US_EAST_1);
    }

    @Test
    void prices_whenSet_replaceTheNamedOnes_andKeepTheRest() {
        Map<String, String> environment = lambdaEnvironment();
        environment.put("SYNCLINE_PRICES", "{\"as_of\": \"2027-03-01\", \"dynamodb_per_million_write_units\": 0.7625, \"s3_per_thousand_puts\": 0.0054}");

        AwsPrices prices = JsonPrices.read(Config.from(environment).prices());

        assertThat(prices.asOf()).hasToString("2027-03-01");
        assertThat(prices.dynamoDbPerMillionWriteUnits()).isEqualTo(0.7625);
        assertThat(prices.s3PerThousandPuts()).isEqualTo(0.0054);
        assertThat(prices.dynamoDbPerMillionReadUnits()).isEqualTo(AwsPrices.US_EAST_1.dynamoDbPerMillionReadUnits());
    }

    @Test
    void prices_whenWrong_sayWhatToFix() {
        Map<String, String> environment = lambdaEnvironment();
        environment.put("SYNCLINE_PRICES", "{\"dynamodb_write\": 1, \"sqs_per_million_requests\": -2}");

        assertThatThrownBy(() -> JsonPrices.read(Config.from(environment).prices()))
                .isInstanceOf(MissingConfigurationException.class)
                .hasMessageStartingWith("Environment variable SYNCLINE_PRICES is not valid (")
                .hasMessageContaining("dynamodb_write is not a price")
                .hasMessageContaining("sqs_per_million_requests must be a price in dollars, zero or more; got -2.0")
                .hasMessageContaining("as_of is required with prices");

        environment.put("SYNCLINE_PRICES", "0.625");
        assertThatThrownBy(() -> JsonPrices.read(Config.from(environment).prices())).hasMessageStartingWith("Environment variable SYNCLINE_PRICES must be a JSON object");
    }
}
