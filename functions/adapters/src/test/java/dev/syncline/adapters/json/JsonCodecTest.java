package dev.syncline.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonCodecTest {

    record Manifest(String name, String writeAccess, List<String> features, Boolean enabled, Integer retryBudget,
                    JsonNode configurationSchema) {
    }

    record Installation(String appId, String apiUrl, String uninstalledAt) {
    }

    private final JsonCodec json = JsonCodec.create();

    @Test
    void readThenWrite_keepsEveryNumberByteForByte() {
        String text = "{\"integer\":10,\"decimal\":1.50,\"negative\":-0.50,\"zero\":0,\"zeros\":0.00,"
                + "\"precise\":123456789012345678901234567890.123456789,\"huge\":98765432109876543210987654321,"
                + "\"tiny\":0.0000001,\"nested\":[{\"quantity\":2.50}]}";

        assertThat(json.write(json.read(text, Map.class))).isEqualTo(text);
        assertThat(json.write(json.readTree(text))).isEqualTo(text);
        assertThat(json.write(json.convert(json.readTree(text), Map.class))).isEqualTo(text);
    }

    @Test
    void write_whenABigDecimalHasANegativeScale_writesItPlainlyUnlessItIsAstronomical() {
        assertThat(json.write(Map.of("stock", new BigDecimal("1E+1")))).isEqualTo("{\"stock\":10}");
        assertThat(json.write(Map.of("mass", new BigDecimal("6E+500")))).isEqualTo("{\"mass\":6E+500}");
    }

    @Test
    void read_mapsSnakeCaseFieldsToRecordComponents() {
        Installation installation = json.read("{\"app_id\":\"shop-export\",\"api_url\":\"https://pim.example.com\"}",
                Installation.class);

        assertThat(installation).isEqualTo(new Installation("shop-export", "https://pim.example.com", null));
    }

    @Test
    void read_ignoresFieldsItDoesNotKnow() {
        Installation installation = json.read("{\"app_id\":\"shop-export\",\"future_field\":{\"x\":1}}",
                Installation.class);

        assertThat(installation.appId()).isEqualTo("shop-export");
    }

    @Test
    void read_keepsAnyJsonInATreeField() {
        Manifest manifest = json.read("{\"configuration_schema\":[{\"type\":\"object\"}]}", Manifest.class);

        assertThat(json.write(manifest.configurationSchema())).isEqualTo("[{\"type\":\"object\"}]");
    }

    @Test
    void write_usesSnakeCaseAndKeepsNulls() {
        String written = json.write(new Installation("shop-export", "https://pim.example.com", null));

        assertThat(written).isEqualTo(
                "{\"app_id\":\"shop-export\",\"api_url\":\"https://pim.example.com\",\"uninstalled_at\":null}");
    }

    @Test
    void write_escapesWhatItWrites() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("detail", "a \"quoted\"\nline");

        assertThat(json.write(value)).isEqualTo("{\"detail\":\"a \\\"quoted\\\"\\nline\"}");
    }

    @Test
    void read_whenNotJson_saysWhereItBroke() {
        assertThatThrownBy(() -> json.read("{\"app_id\": \"shop-export\",}", Installation.class))
                .isInstanceOf(MalformedJsonException.class)
                .hasMessageStartingWith("the body is not valid JSON at line 1, column 26: ")
                .hasMessageContaining("double-quote to start field name");
    }

    @Test
    void read_whenEmpty_asksForABody() {
        assertThatThrownBy(() -> json.read("  ", Installation.class))
                .isInstanceOf(MalformedJsonException.class)
                .hasMessage("the body is empty: send a JSON object");
    }

    @Test
    void read_whenTrailingGarbage_refusesIt() {
        assertThatThrownBy(() -> json.read("{\"app_id\":\"a\"} {}", Installation.class))
                .isInstanceOf(MalformedJsonException.class);
    }

    @Test
    void read_whenAKeyIsRepeated_refusesInsteadOfPickingOne() {
        assertThatThrownBy(() -> json.read("{\"app_id\":\"a\",\"app_id\":\"b\"}", Installation.class))
                .isInstanceOf(MalformedJsonException.class)
                .hasMessageContaining("Duplicate field 'app_id'");
    }

    @Test
    void read_whenTheBodyIsNotAnObject_saysSo() {
        assertThatThrownBy(() -> json.read("[1, 2]", Installation.class))
                .isInstanceOf(MalformedJsonException.class)
                .hasMessage("the body must be a JSON object, got an array");
    }

    @Test
    void read_whenAFieldHasTheWrongType_namesTheFieldInJsonTerms() {
        assertThatThrownBy(() -> json.read("{\"features\": \"synchronization\"}", Manifest.class))
                .isInstanceOf(MalformedJsonException.class)
                .hasMessage("features must be an array, got a string");
        assertThatThrownBy(() -> json.read("{\"features\": [\"synchronization\", {}]}", Manifest.class))
                .hasMessage("features[1] must be a string, got an object");
        assertThatThrownBy(() -> json.read("{\"retry_budget\": \"five\"}", Manifest.class))
                .hasMessage("retry_budget must be a whole number, got a string");
    }

    @Test
    void read_neverCoercesNumbersOrBooleansIntoText() {
        assertThatThrownBy(() -> json.read("{\"name\": 12}", Manifest.class))
                .hasMessage("name must be a string, got a number");
        assertThatThrownBy(() -> json.read("{\"write_access\": true}", Manifest.class))
                .hasMessage("write_access must be a string, got a boolean");
        assertThatThrownBy(() -> json.read("{\"enabled\": \"true\"}", Manifest.class))
                .hasMessage("enabled must be true or false, got a string");
    }
}
