package dev.syncline.sampleapp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/app-developer-guide.md} true: its JSON examples are sent to the sample App in the order
 * they appear (its configuration schema, dictionary and refusal must be exactly the App's), and its CSV example
 * must be exactly the file the App then serves.
 */
class AppDeveloperGuideTest {

    /** Tests run in the module directory. */
    private static final Path GUIDE = Path.of("../../docs/app-developer-guide.md");

    private record Block(String language, String text) {
    }

    private SampleApp app;
    private FakeEngine engine;

    @BeforeEach
    void start() throws IOException {
        app = SampleApp.start(0);
        engine = new FakeEngine(app);
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void guide_eventAndFaultExamplesAreAccepted_andItsCsvIsTheFileTheyProduce() throws IOException {
        var shop = engine.install("shop-1");
        int events = 0;
        int faults = 0;
        int files = 0;
        int configuration = 0;

        for (Block block : blocks()) {
            if (block.language().equals("csv")) {
                HttpResponse<byte[]> file = engine.download(shop.tokenForRun("run-1"));
                String expected = String.join("\r\n", block.text().lines().toList()) + "\r\n";
                assertThat(new String(file.body(), StandardCharsets.UTF_8)).isEqualTo(expected);
                files++;
            } else if (block.language().equals("json")) {
                JsonNode json = FakeEngine.json(block.text());
                if (Delivery.EVENTS.contains(json.path("name").asText())) {
                    var response = engine.consume(shop.token(), json);
                    assertThat(response.statusCode()).as(block.text() + "\nanswered " + response.body())
                            .isBetween(200, 299);
                    events++;
                } else if (json.has("configuration_schema")) {
                    assertThat(json.get("configuration_schema")).isEqualTo(FakeEngine.json(SampleConfiguration.SCHEMA));
                    configuration++;
                } else if (json.has("dictionary")) {
                    var response = engine.send(engine.request("/dictionary/channels", shop.token()).GET());
                    assertThat(FakeEngine.json(response.body())).isEqualTo(json);
                    configuration++;
                } else if (json.has("index") && json.has("configuration")) {
                    var response = engine.configure(shop.token(), json.get("index").asInt(), json.get("configuration"));
                    assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
                    configuration++;
                } else if (json.has("violations")) {
                    var refused = engine.configure(shop.token(), 0,
                            FakeEngine.json("{\"channel\":\"moon\",\"shop_url\":\"https://shop.example.com\"}"));
                    assertThat(refused.statusCode()).isEqualTo(422);
                    assertThat(FakeEngine.json(refused.body())).isEqualTo(json);
                    configuration++;
                } else if (json.has("failure_rate")) {
                    var response = engine.put("/_sample/faults", block.text());
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                    assertThat(FakeEngine.json(response.body())).isEqualTo(json);
                    app.reset();
                    faults++;
                }
            }
        }

        assertThat(events).as("event examples sent").isGreaterThanOrEqualTo(10);
        assertThat(faults).as("fault examples sent").isEqualTo(1);
        assertThat(files).as("CSV examples checked").isEqualTo(1);
        assertThat(configuration).as("configuration examples checked").isEqualTo(4);
    }

    /** Fenced code blocks in order; every {@code json} block must parse, so examples cannot rot into pseudo-JSON. */
    private static List<Block> blocks() throws IOException {
        List<Block> blocks = new ArrayList<>();
        String language = null;
        StringBuilder text = new StringBuilder();
        for (String line : Files.readAllLines(GUIDE, StandardCharsets.UTF_8)) {
            if (line.startsWith("```")) {
                if (language == null) {
                    language = line.substring(3).trim();
                    text.setLength(0);
                } else {
                    blocks.add(new Block(language, text.toString()));
                    language = null;
                }
            } else if (language != null) {
                text.append(line).append('\n');
            }
        }
        blocks.stream().filter(block -> block.language().equals("json"))
                .forEach(block -> FakeEngine.json(block.text()));
        return blocks;
    }
}
