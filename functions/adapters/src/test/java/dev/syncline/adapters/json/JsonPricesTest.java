package dev.syncline.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.adapters.config.MissingConfigurationException;
import dev.syncline.core.cost.AwsPrices;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonPricesTest {

    @Test
    void read_unset_isTheUsEast1ListPrices() {
        assertThat(JsonPrices.read(Optional.empty())).isEqualTo(AwsPrices.US_EAST_1);
    }

    @Test
    void read_replacesTheNamedPrices_andKeepsTheRest() {
        AwsPrices prices = JsonPrices.read(Optional.of(
                "{\"as_of\": \"2027-03-01\", \"dynamodb_per_million_write_units\": 0.7625, \"s3_per_thousand_puts\": 0.0054}"));

        assertThat(prices.asOf()).hasToString("2027-03-01");
        assertThat(prices.dynamoDbPerMillionWriteUnits()).isEqualTo(0.7625);
        assertThat(prices.s3PerThousandPuts()).isEqualTo(0.0054);
        assertThat(prices.dynamoDbPerMillionReadUnits()).isEqualTo(AwsPrices.US_EAST_1.dynamoDbPerMillionReadUnits());
    }

    @Test
    void read_whenWrong_saysWhatToFix() {
        assertThatThrownBy(() -> JsonPrices.read(Optional.of("{\"dynamodb_write\": 1, \"sqs_per_million_requests\": -2}")))
                .isInstanceOf(MissingConfigurationException.class)
                .hasMessageStartingWith("Environment variable SYNCLINE_PRICES is not valid (")
                .hasMessageContaining("dynamodb_write is not a price")
                .hasMessageContaining("sqs_per_million_requests must be a price in dollars, zero or more; got -2.0")
                .hasMessageContaining("as_of is required with prices");
        assertThatThrownBy(() -> JsonPrices.read(Optional.of("0.625")))
                .hasMessageStartingWith("Environment variable SYNCLINE_PRICES must be a JSON object");
        assertThatThrownBy(() -> JsonPrices.read(Optional.of("{\"as_of\": \"yesterday\"}")))
                .hasMessageContaining("as_of must be a day, YYYY-MM-DD; got 'yesterday'");
    }
}
