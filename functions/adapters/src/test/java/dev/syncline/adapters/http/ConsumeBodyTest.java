package dev.syncline.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.adapters.jwt.JwtAppTokenSigner;
import dev.syncline.core.delivery.ConsumeRequest;
import dev.syncline.core.plan.ChangeEvent;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.ResourceType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The body of {@code PUT /consume/{event}}, written with the generator, reads as the protocol's JSON. */
class ConsumeBodyTest {

    private final HttpAppEndpoint endpoint = HttpAppEndpoint.create(AppUrlGuard.create(true), JwtAppTokenSigner.create(), JsonCodec.create(),
            Clock.systemUTC(), Duration.ofSeconds(1), Duration.ofSeconds(1));

    @Test
    void body_isTheProtocolsJson_inItsOrder_withExactNumbersNullsAndEscapes() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("sku", "SKU-1");
        payload.put("price", new BigDecimal("19.90"));
        payload.put("weight", new BigDecimal("1E+3"));
        payload.put("tags", Arrays.asList("a", null, Map.of("x", true)));
        payload.put("ean", null);
        payload.put("name", "żółw \"q\" \\ \t");
        ConsumeRequest request = new ConsumeRequest("product_created", new ResourceKey(ResourceType.PRODUCT, "SKU-1"),
                List.of(new ChangeEvent("product_created", payload), new ChangeEvent("product_category_added", Map.of("code", "shoes"))),
                Map.of("external_id", "shop-1"), "key");

        assertThat(new String(endpoint.body(request), StandardCharsets.UTF_8)).isEqualTo("""
                {"name":"product_created","resource_id":{"id":"SKU-1","type":"sku"},\
                "synchronization":{"resource_customs":{"external_id":"shop-1"},"events":[\
                {"type":"product_created","payload":{"sku":"SKU-1","price":19.90,"weight":1000,"tags":["a",null,{"x":true}],\
                "ean":null,"name":"żółw \\"q\\" \\\\ \\t"}},\
                {"type":"product_category_added","payload":{"code":"shoes"}}]}}""");
    }

    @Test
    void body_ofAResourceWithoutCustoms_sendsThemAsNull() {
        ConsumeRequest request = new ConsumeRequest("category_created", new ResourceKey(ResourceType.CATEGORY, "shoes"),
                List.of(new ChangeEvent("category_created", Map.of("code", "shoes"))), null, "key");

        assertThat(new String(endpoint.body(request), StandardCharsets.UTF_8)).isEqualTo("""
                {"name":"category_created","resource_id":{"id":"shoes","type":"category_code"},\
                "synchronization":{"resource_customs":null,"events":[{"type":"category_created","payload":{"code":"shoes"}}]}}""");
    }
}
