package dev.syncline.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.adapters.aws.AwsClientFactory;
import dev.syncline.adapters.aws.EmulatorClients;
import dev.syncline.adapters.json.JsonCodec;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.ResourceType;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@AwsIntegrationTest
class DynamoDbResourceCustomsTest {

    private static final UUID INSTALLATION = UUID.randomUUID();

    private AwsClientFactory clients;
    private DynamoDbResourceCustoms customs;

    @BeforeEach
    void setUp(AwsStack stack) {
        clients = EmulatorClients.factory(stack);
        customs = new DynamoDbResourceCustoms(clients.dynamoDb(), stack.names().table(), JsonCodec.create());
    }

    @AfterEach
    void tearDown() {
        clients.close();
    }

    @Test
    void update_thenFind_returnsNestedCustomsAsTheAppSentThem_numbersWithTheirDigits() {
        Map<String, Object> nested = Map.of(
                "external_id", "shop-42",
                "variants", List.of(Map.of("id", 7, "price", new BigDecimal("19.90"),
                                "stock", new BigDecimal("123456789012345678901234567890.000")),
                        Map.of("id", 8, "tags", List.of(), "big", new BigInteger("98765432109876543210987654321"))),
                "synced", true,
                "note", "");
        ResourceKey boot = sku("BOOT-1");
        ResourceKey color = new ResourceKey(ResourceType.ATTRIBUTE, "color");

        customs.update(INSTALLATION, Map.of(boot, nested, color, Map.of("id", "attr#9")), List.of());

        assertThat(customs.find(INSTALLATION, List.of(boot, color, sku("never-delivered"))))
                .containsOnly(Map.entry(boot, nested), Map.entry(color, Map.of("id", "attr#9")));
        assertThat(customs.find(UUID.randomUUID(), List.of(boot))).as("another installation's").isEmpty();
    }

    @Test
    void update_replacesEarlierCustomsAndForgetsDeletedResources() {
        ResourceKey kept = sku("KEPT");
        ResourceKey deleted = sku("DELETED");
        ResourceKey emptied = sku("EMPTIED");
        customs.update(INSTALLATION, Map.of(kept, Map.of("v", 1), deleted, Map.of("v", 1), emptied, Map.of("v", 1)), List.of());

        customs.update(INSTALLATION, Map.of(kept, Map.of("v", 2), emptied, Map.of()), List.of(deleted));

        assertThat(customs.find(INSTALLATION, List.of(kept, deleted, emptied))).containsOnly(Map.entry(kept, Map.of("v", 2)));
    }

    @Test
    void update_aResourceBothAnsweredAndDeleted_endsDeleted() {
        ResourceKey sku = sku("GONE");

        customs.update(INSTALLATION, Map.of(sku, Map.of("v", 1)), List.of(sku));

        assertThat(customs.find(INSTALLATION, List.of(sku))).isEmpty();
    }

    @Test
    void findAndUpdate_moreThanOneBatchOfResources_roundTripEveryOne() {
        Map<ResourceKey, Map<String, Object>> many = new LinkedHashMap<>();
        IntStream.range(0, 260).forEach(i -> many.put(sku("SKU-" + i), Map.of("n", i)));
        List<ResourceKey> asked = new ArrayList<>(many.keySet());
        asked.add(sku("SKU-0"));
        asked.add(sku("unknown"));

        customs.update(INSTALLATION, many, List.of());
        Map<ResourceKey, Map<String, Object>> found = customs.find(INSTALLATION, asked);
        customs.update(INSTALLATION, Map.of(), many.keySet().stream().limit(130).toList());

        assertThat(found).isEqualTo(many);
        assertThat(customs.find(INSTALLATION, asked)).hasSize(130).containsKey(sku("SKU-259")).doesNotContainKey(sku("SKU-0"));
    }

    private static ResourceKey sku(String id) {
        return new ResourceKey(ResourceType.PRODUCT, id);
    }
}
