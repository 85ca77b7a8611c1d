package dev.syncline.adapters.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.core.SynclineException;
import dev.syncline.core.configuration.ConfigurationViolation;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonSchemaConfigurationSchemasTest {

    private static final String SCHEMA = """
            [
              {"type": "object", "required": ["channel"],
               "properties": {"channel": {"type": "string"}, "api_key": {"type": "string", "widget": "password"}}},
              {"type": "object",
               "properties": {
                 "max": {"type": "integer", "minimum": 1},
                 "columns": {"type": "array", "items": {"type": "object", "required": ["header"],
                   "properties": {"header": {"type": "string"}, "token": {"type": "string", "widget": "password"}}}}}}
            ]""";

    private final JsonCodec json = JsonCodec.create();
    private final JsonSchemaConfigurationSchemas schemas = JsonSchemaConfigurationSchemas.create(json);

    @Test
    void steps_countsTheSchemasOfTheList() {
        assertThat(schemas.steps(SCHEMA)).isEqualTo(2);
        assertThat(schemas.steps("[]")).isZero();
    }

    @Test
    void validate_aValidStep_findsNothing() {
        assertThat(schemas.validate(SCHEMA, 0, "{\"channel\":\"web\"}")).isEmpty();
    }

    @Test
    void validate_namesEachRefusedFieldByItsPropertyPath() {
        List<ConfigurationViolation> missing = schemas.validate(SCHEMA, 0, "{\"api_key\":7}");
        List<ConfigurationViolation> nested = schemas.validate(SCHEMA, 1,
                "{\"max\":0,\"columns\":[{\"header\":\"A\"},{\"header\":5}]}");

        assertThat(missing).extracting(ConfigurationViolation::propertyPath).containsExactlyInAnyOrder("channel", "api_key");
        assertThat(nested).extracting(ConfigurationViolation::propertyPath).containsExactlyInAnyOrder("max", "columns[1].header");
        assertThat(nested).allSatisfy(violation -> {
            assertThat(violation.title()).isNotBlank().endsWith(".");
            assertThat(json.readTree(violation.parameters()).path("keyword").asText()).isNotBlank();
        });
    }

    @Test
    void validate_aConfigurationThatIsNoObject_isRefusedAsAWhole() {
        assertThat(schemas.validate(SCHEMA, 0, "[1]")).extracting(ConfigurationViolation::propertyPath).containsExactly("");
    }

    @Test
    void validate_neverFetchesARemoteReference() {
        String remote = "[{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"http://127.0.0.1:9/schema.json\"}}}]";

        assertThatThrownBy(() -> schemas.validate(remote, 0, "{\"a\":1}"))
                .isInstanceOf(SynclineException.Conflict.class)
                .hasMessageContaining("step 0 of the App's configuration_schema cannot be used");
    }

    @Test
    void withoutSecrets_dropsPasswordFieldsAtTheTopAndInsideLists() {
        String stored = "[{\"channel\":\"web\",\"api_key\":\"k-1\"},{\"columns\":[{\"header\":\"A\",\"token\":\"t-1\"}]}]";

        String shown = schemas.withoutSecrets(SCHEMA, stored);

        assertThat(json.readTree(shown)).isEqualTo(json.readTree("[{\"channel\":\"web\"},{\"columns\":[{\"header\":\"A\"}]}]"));
    }

    @Test
    void keepingSecrets_fillsALeftOutSecretFromTheStoredStep_butNeverOverridesOneGiven() {
        String stored = "{\"channel\":\"web\",\"api_key\":\"k-1\"}";

        assertThat(json.readTree(schemas.keepingSecrets(SCHEMA, 0, "{\"channel\":\"retail\"}", stored)))
                .isEqualTo(json.readTree("{\"channel\":\"retail\",\"api_key\":\"k-1\"}"));
        assertThat(json.readTree(schemas.keepingSecrets(SCHEMA, 0, "{\"channel\":\"retail\",\"api_key\":\"k-2\"}", stored)))
                .isEqualTo(json.readTree("{\"channel\":\"retail\",\"api_key\":\"k-2\"}"));
        assertThat(schemas.keepingSecrets(SCHEMA, 0, "{\"channel\":\"retail\"}", null)).isEqualTo("{\"channel\":\"retail\"}");
    }
}
