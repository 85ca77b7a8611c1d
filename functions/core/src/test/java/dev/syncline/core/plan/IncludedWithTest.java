package dev.syncline.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncline.core.snapshot.Category;
import dev.syncline.core.snapshot.ResourceKey;
import dev.syncline.core.snapshot.ResourceType;
import dev.syncline.core.sync.Phase;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A planned request that breaks the "included with" table is a bug, refused where the request is made. */
class IncludedWithTest {

    private final Category shoes = new Category("shoes", new TreeMap<>(Map.of("en_GB", "Shoes")));
    private final ResourceKey key = new ResourceKey(ResourceType.CATEGORY, "shoes");

    @Test
    void plannedEntry_whenAnUpdateCarriesACreatedType_isRefusedNamingIt() {
        assertThatThrownBy(() -> new PlannedEntry(Phase.CATEGORIES, "category_updated", key,
                List.of(new ChangeEvent("category_created", Map.of("code", "shoes"))), PlanReason.fullRun(), shoes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("category_created may travel only in category_created requests, not in category_updated");
    }

    @Test
    void plannedEntry_whenACreationCarriesARemoval_isRefused() {
        assertThatThrownBy(() -> new PlannedEntry(Phase.PRODUCTS, "product_created", new ResourceKey(ResourceType.PRODUCT, "SKU-1"),
                List.of(new ChangeEvent("product_removed_from_category", Map.of("category_code", "shoes"))), PlanReason.created(), null))
                .hasMessage("product_removed_from_category may travel only in product_updated requests, not in product_created");
    }

    @Test
    void violation_whenAChangeBelongsToAnotherResource_orTheRequestIsADeletion_saysSo() {
        assertThat(IncludedWith.violation("category_updated", "attribute_name_changed"))
                .hasValue("attribute_name_changed is a change of another resource than category_updated's");
        assertThat(IncludedWith.violation("product_deleted", "product_value_removed"))
                .hasValue("product_deleted carries no change events, got product_value_removed");
        assertThat(IncludedWith.violation("product_updated", "product_renamed"))
                .hasValue("product_renamed is not a change type of the protocol");
        assertThat(IncludedWith.violation("category_created", "category_name_changed")).isEmpty();
    }
}
