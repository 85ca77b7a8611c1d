package dev.syncline.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.adapters.json.JsonCodec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the engine keeps of a consume answer's body: its {@code resource_customs} object, exactly, or nothing. */
class AnsweredCustomsTest {

    private final JsonCodec json = JsonCodec.create();

    @Test
    void theCustomsObject_isKeptWithItsNumbersExact_wherever_itStandsInTheAnswer() {
        Map<String, Object> customs = HttpAppEndpoint.customs(json, """
                {"status":"ok","details":[{"a":1},[2,3]],"resource_customs":{"id":7,"price":19.90,"big":12345678901234567890,\
                "tags":["x",null,true],"nested":{"shop":"eu-1"}},"after":{"ignored":[1,2]}}""");

        assertThat(customs).containsExactly(
                Map.entry("id", 7),
                Map.entry("price", new BigDecimal("19.90")),
                Map.entry("big", new BigInteger("12345678901234567890")),
                Map.entry("tags", Arrays.asList("x", null, true)),
                Map.entry("nested", Map.of("shop", "eu-1")));
        assertThat(((BigDecimal) customs.get("price")).scale()).isEqualTo(2);
    }

    @Test
    void anEmptyCustomsObject_isKeptAsEmpty() {
        assertThat(HttpAppEndpoint.customs(json, "{\"resource_customs\":{}}")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "   ",
            "OK",
            "[{\"resource_customs\":{\"id\":1}}]",
            "{\"resource_customs\":null}",
            "{\"resource_customs\":[1,2]}",
            "{\"resource_customs\":\"id-1\"}",
            "{\"other\":{\"resource_customs\":{\"id\":1}}}",
            "{\"resource_customs\":{\"id\":1}} trailing",
            "{\"resource_customs\":{\"id\":1}}{\"second\":true}",
            "{\"resource_customs\":{\"id\":1},\"resource_customs\":{\"id\":2}}",
            "{\"resource_customs\":{\"id\":1},\"broken\":",
            "{\"resource_customs\":{\"id\":1,}}"})
    void anythingElse_meansNoCustoms(String body) {
        assertThat(HttpAppEndpoint.customs(json, body)).isNull();
    }

    @Test
    void aNullBody_meansNoCustoms() {
        assertThat(HttpAppEndpoint.customs(json, null)).isNull();
    }
}
