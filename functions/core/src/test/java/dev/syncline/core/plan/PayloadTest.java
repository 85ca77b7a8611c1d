package dev.syncline.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayloadTest {

    @Test
    void of_keepsTheFieldsInTheirOrder_withNullValues_andEqualsAnyMapOfTheSameFields() {
        Payload payload = Payload.of("sku", "A-1", "quantity", new BigDecimal("2"), "language", null);

        assertThat(payload.keySet()).containsExactly("sku", "quantity", "language");
        assertThat(payload.values()).containsExactly("A-1", new BigDecimal("2"), null);
        assertThat(payload.get("quantity")).isEqualTo(new BigDecimal("2"));
        assertThat(payload.containsKey("language")).isTrue();
        assertThat(payload.get("missing")).isNull();
        Map<String, Object> same = new LinkedHashMap<>();
        same.put("language", null);
        same.put("quantity", new BigDecimal("2"));
        same.put("sku", "A-1");
        assertThat(payload).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(same).isEqualTo(payload);
        assertThat(payload).hasToString("{sku=A-1, quantity=2, language=null}");
    }

    @Test
    void aPayload_cannotBeChanged() {
        Payload payload = Payload.of("sku", "A-1");

        assertThatThrownBy(() -> payload.put("sku", "B-2")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> payload.remove("sku")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(payload::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThat(payload).containsExactly(Map.entry("sku", "A-1"));
    }

    @Test
    void of_refusesKeysThatAreNotPairedNotStringsOrRepeated() {
        assertThatThrownBy(() -> Payload.of("sku")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pairs");
        assertThatThrownBy(() -> Payload.of(1, "A-1")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("string");
        assertThatThrownBy(() -> Payload.of("sku", "A-1", "sku", "B-2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key sku comes twice");
    }

    @Test
    void copyOf_keepsTheMapsOrder_andTakesAPayloadAsItIs() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("translations", List.of(Payload.of("language", null, "value", "x")));
        map.put("attribute_code", "name");
        Payload copy = Payload.copyOf(map);
        map.put("attribute_code", "changed afterwards");

        assertThat(copy.keySet()).containsExactly("translations", "attribute_code");
        assertThat(copy.get("attribute_code")).isEqualTo("name");
        assertThat(Payload.copyOf(copy)).isSameAs(copy);
        assertThat(Payload.copyOf(Map.of())).isEmpty();
    }

    @Test
    void aChangeEvent_keepsItsPayloadAsAPayload_copiedFromAnyOtherMap() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("option_code", "red");
        ChangeEvent event = new ChangeEvent("attribute_option_deleted", fields);
        fields.put("option_code", "blue");

        assertThat(event.payload()).isInstanceOf(Payload.class).isEqualTo(Map.of("option_code", "red"));
        Payload payload = Payload.of("sku", "A-1");
        assertThat(new ChangeEvent("product_child_removed", payload).payload()).isSameAs(payload);
    }
}
