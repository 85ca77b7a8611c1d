package dev.syncline.worker;

import static dev.syncline.adapters.wiring.TestDeployment.RUN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.adapters.wiring.TestDeployment;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import dev.syncline.testing.http.UpgradeRefusingServer;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Numbers reach the App byte for byte as the PIM wrote them, through the whole path (snapshot, plan, chunk files,
 * delivery, {@code resource_customs} stored and sent back), and a number the PIM only writes differently is not
 * sent again. The App is a plain HTTP/1.1 server that keeps each body as it arrived.
 */
@AwsIntegrationTest
class ExactValuesDeliveryTest {

    private static final String CATALOG = """
            {"type":"product","sku":"SET-1","product_type":"GROUPING","values":{"stock":{"":10},"weight":{"":1.50},\
            "price":{"":{"EUR":19.90,"PLN":80}},"precise":{"":123456789012345678901234567890.123456789},\
            "serial":{"":98765432109876543210987654321},"delta":{"":-0.50},"zero":{"":0},"nought":{"":0.00},\
            "tiny":{"":0.0000001}},"children":[{"sku":"SKU-2","quantity":10},{"sku":"SKU-3","quantity":2.50}]}
            {"type":"product","sku":"SKU-2","product_type":"SIMPLE"}
            {"type":"product","sku":"SKU-3","product_type":"SIMPLE"}
            """;
    /** The same catalog with every number written differently but equal, and one number changed: stock. */
    private static final String REFORMATTED = """
            {"type":"product","sku":"SET-1","product_type":"GROUPING","values":{"stock":{"":11},"weight":{"":1.5},\
            "price":{"":{"EUR":19.9,"PLN":80.0}},"precise":{"":123456789012345678901234567890.1234567890},\
            "serial":{"":98765432109876543210987654321.0},"delta":{"":-0.5},"zero":{"":0.0},"nought":{"":0},\
            "tiny":{"":1E-7}},"children":[{"sku":"SKU-2","quantity":10.0},{"sku":"SKU-3","quantity":2.5}]}
            {"type":"product","sku":"SKU-2","product_type":"SIMPLE"}
            {"type":"product","sku":"SKU-3","product_type":"SIMPLE"}
            """;
    /** What the App answers for SET-1, to be sent back to it exactly. */
    private static final String CUSTOMS = "{\"shop_id\":1000,\"price\":19.90,\"big\":123456789012345678901234567890,\"ratio\":0.50}";

    private UpgradeRefusingServer app;
    private TestDeployment deployment;

    @BeforeEach
    void start(AwsStack stack) {
        app = UpgradeRefusingServer.start(request -> request.bodyText().contains("\"id\":\"SET-1\"")
                ? UpgradeRefusingServer.Response.json(200, "{\"resource_customs\":" + CUSTOMS + "}")
                : UpgradeRefusingServer.Response.json(200, "{}"));
        deployment = TestDeployment.start(stack);
    }

    @AfterEach
    void stop() {
        deployment.close();
        app.close();
    }

    @Test
    void numbers_reachTheAppAsThePimWroteThem_andAReformattedNumberIsNotSentAgain() {
        UUID installation = deployment.install(URI.create(app.baseUrl()), "[]", List.of());

        run(installation, RUN, CATALOG);

        String created = body("/consume/product_created", "SET-1");
        assertThat(created)
                .contains(value("stock", "10"), value("weight", "1.50"), value("price", "{\"EUR\":19.90,\"PLN\":80}"),
                        value("precise", "123456789012345678901234567890.123456789"),
                        value("serial", "98765432109876543210987654321"), value("delta", "-0.50"), value("zero", "0"),
                        value("nought", "0.00"), value("tiny", "0.0000001"))
                .doesNotContain("E+", "E-", "e+", "e-");
        String relations = body("/consume/product_updated", "SET-1");
        assertThat(relations)
                .contains("{\"sku\":\"SKU-2\",\"quantity\":10}", "{\"sku\":\"SKU-3\",\"quantity\":2.50}")
                .contains("\"resource_customs\":" + CUSTOMS);

        UUID second = UUID.randomUUID();
        int before = app.received().size();
        run(installation, second, REFORMATTED);

        List<UpgradeRefusingServer.Request> resent = app.received().subList(before, app.received().size()).stream()
                .filter(request -> request.path().startsWith("/consume/product_")).toList();
        assertThat(resent).singleElement().satisfies(request -> {
            assertThat(request.path()).isEqualTo("/consume/product_updated");
            assertThat(request.bodyText())
                    .contains("\"events\":[{\"type\":\"product_value_changed\",\"payload\":" + value("stock", "11") + "}]")
                    .contains("\"resource_customs\":" + CUSTOMS);
        });
    }

    private void run(UUID installation, UUID run, String catalog) {
        DeliveredRuns.run(deployment, installation, run, catalog);
    }

    /** The one body the App received at {@code path} for {@code sku}, as its bytes came. */
    private String body(String path, String sku) {
        List<String> bodies = app.received().stream()
                .filter(request -> request.path().equals(path) && request.bodyText().contains("\"id\":\"" + sku + "\""))
                .map(UpgradeRefusingServer.Request::bodyText)
                .toList();
        assertThat(bodies).as("requests to %s for %s", path, sku).hasSize(1);
        return bodies.getFirst();
    }

    /** A value event's payload for a value that is not localized, as JSON text. */
    private static String value(String attribute, String json) {
        return "{\"attribute_code\":\"" + attribute + "\",\"translations\":[{\"language\":null,\"value\":" + json + "}]}";
    }
}
