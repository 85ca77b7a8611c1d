package dev.syncline.sampleapp;

import static dev.syncline.sampleapp.Events.attribute;
import static dev.syncline.sampleapp.Events.category;
import static dev.syncline.sampleapp.Events.change;
import static dev.syncline.sampleapp.Events.created;
import static dev.syncline.sampleapp.Events.in;
import static dev.syncline.sampleapp.Events.lifecycle;
import static dev.syncline.sampleapp.Events.product;
import static dev.syncline.sampleapp.Events.productWithCustoms;
import static dev.syncline.sampleapp.Events.run;
import static dev.syncline.sampleapp.Events.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.sampleapp.ReceivedRequest.Outcome;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConsumeTest {

    private SampleApp app;
    private FakeEngine engine;
    private FakeEngine.Installed shop;

    @BeforeEach
    void start() throws IOException {
        app = SampleApp.start(0);
        engine = new FakeEngine(app);
        shop = engine.install("shop-1");
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void productCreated_answersResourceCustomsWithAnExternalIdThatStaysTheSameForThatSku() {
        var createdOne = engine.consume(shop.token(), product("product_created", "SKU-1", created("SKU-1", "SIMPLE")));
        var updatedOne = engine.consume(shop.token(), product("product_updated", "SKU-1",
                value("product_value_added", "name", in("en_GB", "Chair"))));
        var createdTwo = engine.consume(shop.token(), product("product_created", "SKU-2", created("SKU-2", "SIMPLE")));

        assertThat(createdOne.statusCode()).isEqualTo(200);
        assertThat(createdOne.headers().firstValue("Content-Type")).hasValue("application/json");
        String externalId = externalId(createdOne);
        assertThat(externalId).isNotBlank();
        assertThat(externalId(updatedOne)).isEqualTo(externalId);
        assertThat(externalId(createdTwo)).isNotBlank().isNotEqualTo(externalId);
        assertThat(app.catalog("shop-1").orElseThrow().at("/products/SKU-1/external_id").asText())
                .isEqualTo(externalId);
    }

    @Test
    void productUpdated_withResourceCustomsSentBack_keepsTheExternalIdItWasGiven() {
        var customs = FakeEngine.JSON.createObjectNode().put("external_id", "shop-product-42");

        var response = engine.consume(shop.token(), productWithCustoms("product_updated", "SKU-1", customs,
                value("product_value_changed", "name", in("en_GB", "Table"))));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(externalId(response)).isEqualTo("shop-product-42");
    }

    @Test
    void attributeAndCategoryEvents_answer204WithoutCustoms_andBuildTheModel() {
        var attributeCreated = engine.consume(shop.token(), attribute("attribute_created", "color",
                change("attribute_created", "code", "color", "type", "SELECT", "scope", "global",
                        "name", List.of(in("en_GB", "Colour"), in("de_DE", "Farbe"))),
                change("attribute_option_created", "option_code", "red", "option_name", List.of(in("en_GB", "Red"))),
                change("attribute_option_created", "option_code", "blu", "option_name", List.of(in("en_GB", "Blue")))));
        var attributeUpdated = engine.consume(shop.token(), attribute("attribute_updated", "color",
                change("attribute_name_changed", "name", List.of(in("en_GB", "Color"))),
                change("attribute_option_code_changed", "option_code", "blue", "previous_option_code", "blu"),
                change("attribute_option_deleted", "option_code", "red")));
        var categoryCreated = engine.consume(shop.token(), category("category_created", "chairs",
                change("category_created", "code", "chairs", "name", List.of(in("en_GB", "Chairs")))));
        var categoryRenamed = engine.consume(shop.token(), category("category_updated", "chairs",
                change("category_name_changed", "name", List.of(in("en_GB", "Seating")))));

        assertThat(List.of(attributeCreated, attributeUpdated, categoryCreated, categoryRenamed))
                .allSatisfy(response -> {
                    assertThat(response.statusCode()).isEqualTo(204);
                    assertThat(response.body()).isEmpty();
                });
        JsonNode catalog = app.catalog("shop-1").orElseThrow();
        assertThat(catalog.at("/attributes/color/type").asText()).isEqualTo("SELECT");
        assertThat(catalog.at("/attributes/color/name").toString())
                .isEqualTo("[{\"language\":\"de_DE\",\"value\":\"Farbe\"},{\"language\":\"en_GB\",\"value\":\"Color\"}]");
        assertThat(catalog.at("/attributes/color/options").toString())
                .isEqualTo("{\"blue\":[{\"language\":\"en_GB\",\"value\":\"Blue\"}]}");
        assertThat(catalog.at("/categories/chairs/name/0/value").asText()).isEqualTo("Seating");
    }

    @Test
    void attributeAndCategoryDeleted_removeThemFromTheModel() {
        engine.consume(shop.token(), attribute("attribute_created", "color",
                change("attribute_created", "code", "color", "type", "TEXT", "scope", "local", "name", List.of())));
        engine.consume(shop.token(), category("category_created", "chairs",
                change("category_created", "code", "chairs", "name", List.of())));

        var attributeDeleted = engine.consume(shop.token(), attribute("attribute_deleted", "color"));
        var categoryDeleted = engine.consume(shop.token(), category("category_deleted", "chairs"));

        assertThat(attributeDeleted.statusCode()).isEqualTo(204);
        assertThat(categoryDeleted.statusCode()).isEqualTo(204);
        JsonNode catalog = app.catalog("shop-1").orElseThrow();
        assertThat(catalog.path("attributes").isEmpty()).isTrue();
        assertThat(catalog.path("categories").isEmpty()).isTrue();
    }

    @Test
    void relationEvents_updateCategoriesBindingsVariantsAndChildren() {
        engine.consume(shop.token(), product("product_created", "SKU-1", created("SKU-1", "VARIABLE_PRODUCT"),
                change("product_added_to_category", "category_code", "chairs"),
                change("product_added_to_category", "category_code", "sale"),
                change("product_binding_added", "attribute_code", "color")));

        var relations = engine.consume(shop.token(), product("product_updated", "SKU-1",
                change("product_removed_from_category", "category_code", "sale"),
                change("product_variant_added", "sku", "SKU-1-RED"),
                change("product_variant_added", "sku", "SKU-1-BLUE"),
                change("product_variant_removed", "sku", "SKU-1-RED"),
                change("product_child_added", "sku", "SKU-9", "quantity", 2),
                change("product_child_added", "sku", "SKU-8", "quantity", 1),
                change("product_child_quantity_changed", "sku", "SKU-9", "quantity", 5),
                change("product_child_removed", "sku", "SKU-8"),
                change("product_binding_removed", "attribute_code", "color")));

        assertThat(relations.statusCode()).isEqualTo(200);
        JsonNode held = app.catalog("shop-1").orElseThrow().at("/products/SKU-1");
        assertThat(held.path("type").asText()).isEqualTo("VARIABLE_PRODUCT");
        assertThat(held.path("categories").toString()).isEqualTo("[\"chairs\"]");
        assertThat(held.path("bindings").isEmpty()).isTrue();
        assertThat(held.path("variants").toString()).isEqualTo("[\"SKU-1-BLUE\"]");
        assertThat(held.path("children").toString()).isEqualTo("{\"SKU-9\":5}");
    }

    @Test
    void productCreatedAgain_replacesWhatWasHeld_asAFullRunSendsTheWholeState() {
        engine.consume(shop.token(), product("product_created", "SKU-1", created("SKU-1", "SIMPLE"),
                value("product_value_added", "name", in("en_GB", "Chair")),
                value("product_value_added", "ean", in(null, "400"))));

        engine.consume(shop.token(), product("product_created", "SKU-1", created("SKU-1", "SIMPLE"),
                value("product_value_added", "name", in("en_GB", "Chair"))));

        assertThat(app.catalog("shop-1").orElseThrow().at("/products/SKU-1/values").toString())
                .isEqualTo("{\"name\":[{\"language\":\"en_GB\",\"value\":\"Chair\"}]}");
    }

    @Test
    void lifecycleEvents_installThenUninstallForgetsTheTenantsData() {
        engine.consume(shop.token(), product("product_created", "SKU-1", created("SKU-1", "SIMPLE")));

        var installed = engine.consume(shop.token(), lifecycle("app_installed"));
        var uninstalled = engine.consume(shop.token(), lifecycle("app_uninstalled"));
        var uninstalledAgain = engine.consume(shop.token(), lifecycle("app_uninstalled"));

        assertThat(installed.statusCode()).isEqualTo(204);
        assertThat(uninstalled.statusCode()).isEqualTo(204);
        assertThat(uninstalledAgain.statusCode()).as("a retried uninstall is still acknowledged").isEqualTo(204);
        JsonNode catalog = app.catalog("shop-1").orElseThrow();
        assertThat(catalog.path("status").asText()).isEqualTo("uninstalled");
        assertThat(catalog.path("products").isEmpty()).isTrue();
    }

    @Test
    void synchronizationStartedAndEnded_areAcknowledgedAndRemembered() {
        var started = engine.consume(shop.token(), run("synchronization_started", "run-1", "preparing"));
        var ended = engine.consume(shop.token(), run("synchronization_ended", "run-1", "finished"));

        assertThat(started.statusCode()).isEqualTo(204);
        assertThat(ended.statusCode()).isEqualTo(204);
        assertThat(app.catalog("shop-1").orElseThrow().at("/synchronizations/run-1/status").asText())
                .isEqualTo("finished");
    }

    @Test
    void consume_whenBodyNameDiffersFromThePathEvent_answers400() {
        var response = engine.consumeRaw(shop.token(), "product_created",
                product("product_updated", "SKU-1").toString());

        assertInvalid(response, 400, "name");
    }

    @Test
    void consume_whenResourceIdTypeDoesNotFitTheEvent_answers400() {
        var body = Events.resource("product_created", "SKU-1", "attribute_code", null, created("SKU-1", "SIMPLE"));

        assertInvalid(engine.consume(shop.token(), body), 400, "resource_id.type");
    }

    @Test
    void consume_whenOneChangeIsMalformed_answers400AndAppliesNoneOfTheChanges() {
        var body = product("product_created", "SKU-1", created("SKU-1", "SIMPLE"),
                change("product_child_added", "sku", "SKU-2"));

        assertInvalid(engine.consume(shop.token(), body), 400, "quantity");
        assertThat(app.catalog("shop-1").orElseThrow().path("products").isEmpty()).isTrue();
    }

    @Test
    void consume_whenChangeTypeBelongsToAnotherResource_answers400() {
        var body = product("product_updated", "SKU-1", change("category_name_changed", "name", List.of()));

        assertInvalid(engine.consume(shop.token(), body), 400, "does not apply to a product");
    }

    @Test
    void consume_whenDeletedEventCarriesChanges_answers400() {
        var body = product("product_deleted", "SKU-1", created("SKU-1", "SIMPLE"));

        assertInvalid(engine.consume(shop.token(), body), 400, "[]");
    }

    @Test
    void consume_whenBodyIsNotJson_answers400() {
        assertInvalid(engine.consumeRaw(shop.token(), "product_created", "sku=SKU-1"), 400, "not JSON");
    }

    @Test
    void consume_forAnEventOutsideTheProtocol_answers404() {
        assertInvalid(engine.consumeRaw(shop.token(), "order_created", "{\"name\":\"order_created\"}"), 404,
                "order_created");
    }

    @Test
    void consume_withPost_answers405NamingPut() {
        var response = engine.send(engine.request("/consume/app_installed", shop.token())
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"app_installed\"}")));

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("PUT");
    }

    private void assertInvalid(HttpResponse<String> response, int status, String messageMentions) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(FakeEngine.json(response.body()).path("message").asText()).contains(messageMentions);
        assertThat(app.receivedRequests().getLast().outcome()).isEqualTo(Outcome.INVALID);
    }

    private static String externalId(HttpResponse<String> response) {
        return FakeEngine.json(response.body()).path("resource_customs").path("external_id").asText();
    }
}
