package dev.syncline.api;

import static dev.syncline.api.Manifests.valid;
import static dev.syncline.api.Manifests.with;
import static dev.syncline.api.Manifests.without;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code PUT} and {@code GET /v1/apps/{app_id}} through the handler, stored in the emulated table. */
@AwsIntegrationTest
class AppRegistrationTest {

    private static final URI APP_URL = URI.create("https://shop-export.example.com/app");

    private TestDeployment api;

    @BeforeEach
    void deploy(AwsStack stack) {
        api = TestDeployment.allowingLocalApps(stack);
    }

    @AfterEach
    void undeploy() {
        api.close();
    }

    @Test
    void register_theFirstTime_answers201WithTheStoredManifest() {
        TestDeployment.Response response = api.put("/v1/apps/shop-export", valid(APP_URL, "1.0.0"));

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.header("Location")).isEqualTo("/v1/apps/shop-export");
        JsonNode body = response.json();
        assertThat(body.path("app_id").asText()).isEqualTo("shop-export");
        assertThat(body.path("version").asText()).isEqualTo("1.0.0");
        assertThat(body.path("url").asText()).isEqualTo(APP_URL.toString());
        assertThat(body.path("features")).hasSize(2);
        assertThat(body.path("configuration_schema").get(0).path("properties").has("shop_url")).isTrue();
        assertThat(body.path("previous_version").isNull()).isTrue();
        assertThat(body.path("configuration_required_installations")).isEmpty();
        assertThat(api.get("/v1/apps/shop-export").json().path("name").asText()).isEqualTo("Shop export");
    }

    @Test
    void list_pagesEveryAppsLatestVersionByAppId() {
        api.register("shop-export", valid(APP_URL, "1.0.0"));
        api.register("shop-export", valid(APP_URL, "1.1.0"));
        api.register("b-export", valid(APP_URL, "2.0.0"));
        api.register("mail-export", valid(APP_URL, "3.0.0"));

        JsonNode first = api.get("/v1/apps?limit=2").json();
        JsonNode second = api.get("/v1/apps?limit=2&cursor=" + first.path("next_cursor").asText()).json();

        assertThat(first.path("apps").findValuesAsText("app_id")).containsExactly("b-export", "mail-export");
        assertThat(second.path("apps")).singleElement().satisfies(app -> {
            assertThat(app.path("app_id").asText()).isEqualTo("shop-export");
            assertThat(app.path("name").asText()).isEqualTo("Shop export");
            assertThat(app.path("version").asText()).isEqualTo("1.1.0");
            assertThat(app.path("registered_at").asText()).isNotEmpty();
            assertThat(app.path("retired").asBoolean()).isFalse();
            assertThat(app.path("retired_at").isNull()).isTrue();
        });
        assertThat(second.path("next_cursor").isNull()).as("the last page").isTrue();
        // A page the size of what is left is the last one too, and says so.
        assertThat(api.get("/v1/apps?limit=3").json().path("next_cursor").isNull()).isTrue();
    }

    @Test
    void list_withABadLimitOrCursor_answers422() {
        assertThat(api.get("/v1/apps?limit=0").status()).isEqualTo(422);
        TestDeployment.Response forged = api.get("/v1/apps?cursor=bm9wZQ");
        assertThat(forged.status()).isEqualTo(422);
        assertThat(forged.json().path("violations").findValuesAsText("field")).containsExactly("cursor");
    }

    @Test
    void retire_answersTheAppRetiredTheSameEachTimeAndRefusesItsNextVersion() {
        api.register("shop-export", valid(APP_URL, "1.0.0"));

        TestDeployment.Response retired = api.delete("/v1/apps/shop-export");
        TestDeployment.Response again = api.delete("/v1/apps/shop-export");
        TestDeployment.Response update = api.put("/v1/apps/shop-export", valid(APP_URL, "1.1.0"));

        assertThat(retired.status()).isEqualTo(200);
        assertThat(retired.json().path("retired").asBoolean()).isTrue();
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(retired.json());
        assertThat(update.status()).isEqualTo(409);
        assertThat(update.json().path("detail").asText()).isEqualTo("app 'shop-export' was retired at "
                + retired.json().path("retired_at").asText() + " and takes no new versions; its existing installations keep working");
        assertThat(api.get("/v1/apps/shop-export").json().path("version").asText()).isEqualTo("1.0.0");
        assertThat(api.get("/v1/apps").json().path("apps").get(0).path("retired").asBoolean()).isTrue();
        assertThat(api.delete("/v1/apps/nobody-here").status()).isEqualTo(404);
    }

    @Test
    void register_aHigherVersion_answers200AndKeepsThePreviousOne() {
        api.register("shop-export", valid(APP_URL, "1.0.0"));

        TestDeployment.Response response = api.put("/v1/apps/shop-export",
                with(valid(APP_URL, "1.1.0"), "description", "Exports the catalog to the shop, faster."));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("previous_version").asText()).isEqualTo("1.0.0");
        assertThat(api.get("/v1/apps/shop-export").json().path("version").asText()).isEqualTo("1.1.0");
        JsonNode previous = api.get("/v1/apps/shop-export?version=1.0.0").json();
        assertThat(previous.path("version").asText()).isEqualTo("1.0.0");
        assertThat(previous.path("description").asText()).isEqualTo("Exports the catalog to the shop.");
    }

    @Test
    void register_theSameVersionAgain_answers409NamingTheStoredVersion() {
        api.register("shop-export", valid(APP_URL, "1.2.0"));

        TestDeployment.Response response = api.put("/v1/apps/shop-export", valid(APP_URL, "1.2.0"));

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(response.json().path("type").asText()).isEqualTo("https://syncline.dev/problems/conflict");
        assertThat(response.json().path("detail").asText()).isEqualTo("app 'shop-export' is at version 1.2.0 and"
                + " manifest version 1.2.0 is not higher (same precedence): a manifest takes effect only with a"
                + " higher version, so raise version to apply it");
    }

    @Test
    void register_aLowerVersion_answers409AndKeepsTheStoredManifest() {
        api.register("shop-export", valid(APP_URL, "2.0.0"));

        TestDeployment.Response response = api.put("/v1/apps/shop-export",
                with(valid(APP_URL, "1.9.9"), "name", "Renamed"));

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.json().path("detail").asText()).contains("is at version 2.0.0", "is below it");
        assertThat(api.get("/v1/apps/shop-export").json().path("name").asText()).isEqualTo("Shop export");
    }

    static Stream<Arguments> brokenRules() {
        Map<String, Object> manifest = valid(APP_URL, "1.0.0");
        return Stream.of(
                Arguments.of("name too short", with(manifest, "name", "ab"), "name",
                        "name must be 3–30 characters, got 2"),
                Arguments.of("name too long", with(manifest, "name", "x".repeat(31)), "name",
                        "name must be 3–30 characters, got 31"),
                Arguments.of("name missing", without(manifest, "name"), "name",
                        "name is required: 3–30 characters"),
                Arguments.of("description too short", with(manifest, "description", "Too short."), "description",
                        "description must be 20–200 characters, got 10"),
                Arguments.of("description too long", with(manifest, "description", "d".repeat(201)), "description",
                        "description must be 20–200 characters, got 201"),
                Arguments.of("version not semver", with(manifest, "version", "v1.0"), "version",
                        "version must be a semantic version MAJOR.MINOR.PATCH such as 1.4.0 or 2.0.0-beta.1 (numbers"
                                + " without leading zeros, no 'v' prefix), got 'v1.0'"),
                Arguments.of("compatible missing", without(manifest, "compatible"), "compatible",
                        "compatible is required: a semantic version MAJOR.MINOR.PATCH such as 1.4.0 or 2.0.0-beta.1"
                                + " (numbers without leading zeros, no 'v' prefix)"),
                Arguments.of("compatible above version", with(manifest, "compatible", "1.1.0"), "compatible",
                        "compatible must not be above version: it names the oldest version whose installations keep"
                                + " working, got compatible 1.1.0 and version 1.0.0"),
                Arguments.of("url not http", with(manifest, "url", "ftp://shop-export.example.com"), "url",
                        "url must be an absolute URL starting with http:// or https://, got"
                                + " 'ftp://shop-export.example.com'"),
                Arguments.of("unknown feature", with(manifest, "features", List.of("synchronization", "teleport")),
                        "features[1]", "features[1] 'teleport' is not one of: synchronization, synchronization_full,"
                                + " synchronization_file_download, synchronization_file_download_latest,"
                                + " synchronization_scheduler"),
                Arguments.of("unknown event", with(manifest, "events", List.of("product_exploded")), "events[0]",
                        "events[0] 'product_exploded' is not one of: app_installed, app_uninstalled,"
                                + " attribute_created, attribute_updated, attribute_deleted, category_created,"
                                + " category_updated, category_deleted, product_created, product_updated,"
                                + " product_deleted, synchronization_started, synchronization_ended"),
                Arguments.of("configuration_schema not a list", with(manifest, "configuration_schema",
                        Map.of("type", "object")), "configuration_schema", "configuration_schema must be a JSON array"
                        + " with one JSON Schema per configuration step"),
                Arguments.of("icon not a data URI", with(manifest, "icon", "https://cdn.example.com/icon.png"), "icon",
                        "icon must be a data URI such as data:image/png;base64,iVBORw0..., got"
                                + " 'https://cdn.example.com/icon.png'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenRules")
    void register_whenARuleIsBroken_answers422WithItsMessage(String rule, Map<String, Object> manifest, String field,
                                                              String message) {
        TestDeployment.Response response = api.put("/v1/apps/shop-export", manifest);

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.path("type").asText()).isEqualTo("https://syncline.dev/problems/validation-failed");
        assertThat(problem.path("violations")).singleElement().satisfies(violation -> {
            assertThat(violation.path("field").asText()).isEqualTo(field);
            assertThat(violation.path("message").asText()).isEqualTo(message);
        });
        assertThat(problem.path("detail").asText()).isEqualTo("manifest of app 'shop-export' is invalid: " + message);
        assertThat(api.get("/v1/apps/shop-export").status()).isEqualTo(404);
    }

    @Test
    void register_withAnAppIdBreakingTheRule_answers422NamingTheRule() {
        TestDeployment.Response response = api.put("/v1/apps/Shop_Export", valid(APP_URL, "1.0.0"));

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().path("violations").get(0).path("field").asText()).isEqualTo("app_id");
        assertThat(response.json().path("violations").get(0).path("message").asText())
                .startsWith("app_id must be 3–64 characters of lowercase letters, digits and dashes");
    }

    @Test
    void register_whenManyRulesAreBroken_listsEveryOneInOneAnswer() {
        Map<String, Object> manifest = with(with(with(valid(APP_URL, "1.0.0"), "name", "x"), "version", "1"),
                "url", "shop.example.com");

        TestDeployment.Response response = api.put("/v1/apps/shop-export", manifest);

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().path("violations").findValuesAsText("field"))
                .containsExactly("name", "version", "url");
    }

    @Test
    void register_withAFieldOfTheWrongType_answers400NamingTheField() {
        TestDeployment.Response response = api.put("/v1/apps/shop-export",
                with(valid(APP_URL, "1.0.0"), "features", "synchronization"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("type").asText()).isEqualTo("https://syncline.dev/problems/malformed-request");
        assertThat(response.json().path("detail").asText())
                .isEqualTo("The body cannot be read: features must be an array, got a string.");
    }

    @Test
    void register_withMalformedJson_answers400SayingWhere() {
        TestDeployment.Response response = api.put("/v1/apps/shop-export", "{\"name\": \"Shop export\",");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("detail").asText())
                .isEqualTo("The body cannot be read: the body is not valid JSON at line 1, column 24: Unexpected"
                        + " end-of-input within/between Object entries.");
    }

    @Test
    void register_withoutAJsonContentType_answers415() {
        TestDeployment.Response response = api.send(TestDeployment.event("PUT", "/v1/apps/shop-export",
                Map.of("authorization", "Bearer " + TestDeployment.API_KEY, "content-type", "text/plain"),
                TestDeployment.JSON.write(valid(APP_URL, "1.0.0"))));

        assertThat(response.status()).isEqualTo(415);
        assertThat(response.json().path("detail").asText())
                .isEqualTo("Content-Type must be application/json, got 'text/plain'.");
    }

    @Test
    void register_withAHugeBody_answers413() {
        TestDeployment.Response response = api.put("/v1/apps/shop-export",
                with(valid(APP_URL, "1.0.0"), "icon", "data:image/png;base64," + "A".repeat(2_000_000)));

        assertThat(response.status()).isEqualTo(413);
    }

    @Test
    void get_whenTheAppIsUnknown_answers404SayingHowToRegisterIt() {
        TestDeployment.Response response = api.get("/v1/apps/nobody-here");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().path("detail").asText()).isEqualTo("no App is registered as 'nobody-here';"
                + " register its manifest with PUT /v1/apps/nobody-here first");
    }

    @Test
    void get_anUnknownVersion_answers404ListingTheRegisteredOnes() {
        api.register("shop-export", valid(APP_URL, "1.0.0"));
        api.register("shop-export", valid(APP_URL, "1.1.0"));

        TestDeployment.Response response = api.get("/v1/apps/shop-export?version=1.0.5");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().path("detail").asText())
                .isEqualTo("app 'shop-export' has no version 1.0.5; registered versions: [1.0.0, 1.1.0]");
    }

    @Test
    void get_withAVersionThatIsNotSemver_answers422() {
        api.register("shop-export", valid(APP_URL, "1.0.0"));

        TestDeployment.Response response = api.get("/v1/apps/shop-export?version=latest");

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().path("violations").get(0).path("field").asText()).isEqualTo("version");
    }
}
