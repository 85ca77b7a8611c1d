package dev.syncline.sampleapp;

import static dev.syncline.sampleapp.Events.change;
import static dev.syncline.sampleapp.Events.created;
import static dev.syncline.sampleapp.Events.in;
import static dev.syncline.sampleapp.Events.product;
import static dev.syncline.sampleapp.Events.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProductFeedTest {

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
    void downloadFile_reflectsCreatedUpdatedAndDeletedProducts_withAColumnPerAttributeAndLanguage() {
        send(product("product_created", "SKU-2", created("SKU-2", "SIMPLE"),
                value("product_value_added", "name", in("en_GB", "Table"), in("de_DE", "Tisch")),
                value("product_value_added", "ean", in(null, "4000000000002")),
                change("product_added_to_category", "category_code", "tables")));
        send(product("product_created", "SKU-1", created("SKU-1", "SIMPLE"),
                value("product_value_added", "name", in("en_GB", "Chair"), in("de_DE", "Stuhl")),
                value("product_value_added", "ean", in(null, "4000000000001")),
                value("product_value_added", "price", in(null, Map.of("EUR", 49.9)))));
        send(product("product_created", "SKU-3", created("SKU-3", "SIMPLE"),
                value("product_value_added", "name", in("en_GB", "Lamp"))));
        send(product("product_updated", "SKU-1",
                value("product_value_changed", "name", in("de_DE", "Sessel")),
                value("product_value_removed", "ean"),
                change("product_added_to_category", "category_code", "chairs"),
                change("product_added_to_category", "category_code", "sale")));
        send(product("product_deleted", "SKU-3"));

        HttpResponse<byte[]> file = engine.download(shop.tokenForRun("run-1"));

        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(text(file)).isEqualTo(String.join("\r\n",
                "sku,type,categories,variants,children,ean,name[de_DE],name[en_GB],price",
                "SKU-1,SIMPLE,chairs|sale,,,,Sessel,Chair,\"{\"\"EUR\"\":49.9}\"",
                "SKU-2,SIMPLE,tables,,,4000000000002,Tisch,Table,",
                ""));
    }

    @Test
    void downloadFile_quotesFieldsWithCommasQuotesAndLineBreaks() {
        send(product("product_created", "SKU-1", created("SKU-1", "SIMPLE"),
                value("product_value_added", "name", in("en_GB", "Chair, \"deluxe\"")),
                value("product_value_added", "description", in("en_GB", "Line one\nLine two"))));

        String csv = text(engine.download(shop.tokenForRun("run-1")));

        assertThat(csv).isEqualTo("sku,type,categories,variants,children,description[en_GB],name[en_GB]\r\n"
                + "SKU-1,SIMPLE,,,,\"Line one\nLine two\",\"Chair, \"\"deluxe\"\"\"\r\n");
    }

    @Test
    void downloadFile_listsVariantsAndChildrenOfRelatedProducts() {
        send(product("product_created", "SKU-1", created("SKU-1", "GROUPING_PRODUCT")));
        send(product("product_updated", "SKU-1",
                change("product_variant_added", "sku", "SKU-1-B"),
                change("product_variant_added", "sku", "SKU-1-A"),
                change("product_child_added", "sku", "SKU-7", "quantity", 3),
                change("product_child_added", "sku", "SKU-5", "quantity", 1)));

        String csv = text(engine.download(shop.tokenForRun("run-1")));

        assertThat(csv.lines().toList()).containsExactly(
                "sku,type,categories,variants,children",
                "SKU-1,GROUPING_PRODUCT,,SKU-1-A|SKU-1-B,SKU-5:1|SKU-7:3");
    }

    @Test
    void downloadFile_answersCsvWithContentTypeAndLengthInBytes() {
        send(product("product_created", "SKU-1", created("SKU-1", "SIMPLE"),
                value("product_value_added", "name", in("de_DE", "Größe ßü"))));

        HttpResponse<byte[]> file = engine.download(shop.tokenForRun("run-1"));

        assertThat(file.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");
        assertThat(file.headers().firstValueAsLong("Content-Length")).hasValue(file.body().length);
        assertThat(text(file)).contains("Größe ßü");
        assertThat(file.body().length).isGreaterThan(text(file).length());
    }

    @Test
    void downloadFile_withNoProducts_answersTheHeaderLineAlone() {
        HttpResponse<byte[]> file = engine.download(shop.tokenForRun("run-1"));

        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(text(file)).isEqualTo("sku,type,categories,variants,children\r\n");
    }

    @Test
    void downloadFile_servesOnlyTheProductsOfTheTokensInstallation() {
        var other = engine.install("shop-2");
        send(product("product_created", "SKU-1", created("SKU-1", "SIMPLE")));

        String otherFeed = text(engine.download(other.tokenForRun("run-9")));

        assertThat(otherFeed).isEqualTo("sku,type,categories,variants,children\r\n");
    }

    @Test
    void downloadFile_whenTokenCarriesNoSynchronizationId_answers400() {
        String withoutRun = FakeEngine.claims("shop-1").withClaim("synchronization_id", (String) null)
                .sign(Algorithm.HMAC256(shop.secret()));

        HttpResponse<byte[]> response = engine.download(withoutRun);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(text(response)).contains("synchronization_id");
    }

    @Test
    void downloadFile_whenTokenDoesNotVerify_answers401() {
        String forged = FakeEngine.claims("shop-1").sign(Algorithm.HMAC256(FakeEngine.newSecret()));

        assertThat(engine.download(forged).statusCode()).isEqualTo(401);
    }

    @Test
    void downloadFile_isRecordedWithTheRunOfTheToken() {
        engine.download(shop.tokenForRun("run-7"));

        ReceivedRequest recorded = app.receivedRequests(request -> request.path().equals("/download-file")).getFirst();
        assertThat(recorded.synchronizationId()).hasValue("run-7");
        assertThat(recorded.status()).isEqualTo(200);
    }

    @Test
    void productFeed_fromJavaAndSampleEndpoint_isWhatTheDownloadAnswers() {
        send(product("product_created", "SKU-1", created("SKU-1", "SIMPLE"),
                value("product_value_added", "tags", in(null, List.of("a", "b")))));

        String downloaded = text(engine.download(shop.tokenForRun("run-1")));
        assertThat(app.productFeed("shop-1")).hasValue(downloaded);
        assertThat(engine.get("/_sample/feed/shop-1").body()).isEqualTo(downloaded);
        assertThat(app.productFeed("shop-1").orElseThrow()).contains("\"[\"\"a\"\",\"\"b\"\"]\"");
    }

    private void send(JsonNode body) {
        var response = engine.consume(shop.token(), body);
        assertThat(response.statusCode()).as(response.body()).isIn(200, 204);
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
