package dev.syncline.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard's static files: served without a key, typed, cached by version, and nothing else. */
@AwsIntegrationTest
class DashboardEndpointTest {

    private static final Pattern ASSET_URL = Pattern.compile("\"(assets/[0-9a-f]+)/app\\.js\"");

    private TestDeployment api;

    @BeforeEach
    void deploy(AwsStack stack) {
        api = TestDeployment.allowingLocalApps(stack);
    }

    @AfterEach
    void undeploy() {
        api.close();
    }

    private TestDeployment.Response anonymous(String path, Map<String, String> headers) {
        return api.send(TestDeployment.event("GET", path, headers, null));
    }

    private String assetsFolder() {
        Matcher matcher = ASSET_URL.matcher(anonymous("/", Map.of()).body());
        assertThat(matcher.find()).as("the page links its script under a versioned folder").isTrue();
        return matcher.group(1);
    }

    @Test
    void theRoot_servesThePageWithoutAKey_revalidatedOnEveryLoad() {
        TestDeployment.Response page = anonymous("/", Map.of());

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(page.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(page.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
        assertThat(page.header("Content-Security-Policy")).as("scripts from the assets folder only, never from a feed path")
                .containsPattern("script-src https://[a-z0-9.-]+/assets/;").doesNotContain("script-src 'self'");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.body()).contains("<title>Syncline</title>").doesNotContain("{{assets}}");
    }

    @Test
    void assets_underTheCurrentVersion_areTypedAndCachedForAYear() {
        String folder = assetsFolder();

        TestDeployment.Response script = anonymous("/" + folder + "/app.js", Map.of());
        TestDeployment.Response style = anonymous("/" + folder + "/style.css", Map.of());

        assertThat(script.status()).isEqualTo(200);
        assertThat(script.header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(script.header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
        assertThat(script.body()).contains("import");
        assertThat(style.header("Content-Type")).isEqualTo("text/css; charset=utf-8");
    }

    @Test
    void assets_underAnEarlierVersion_areServedUncached() {
        TestDeployment.Response script = anonymous("/assets/0123456789ab/app.js", Map.of());

        assertThat(script.status()).isEqualTo(200);
        assertThat(script.header("Cache-Control")).isEqualTo("no-cache");
    }

    @Test
    void anAssetTheBrowserHolds_answers304() {
        String path = "/" + assetsFolder() + "/api.js";
        String etag = anonymous(path, Map.of()).header("ETag");

        TestDeployment.Response again = anonymous(path, Map.of("if-none-match", etag));

        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void pathsOutsideTheDashboardsFiles_answer404() {
        for (String path : new String[] {"/assets/v/..%2F..%2Fpom.xml", "/assets/v/%2e%2e%2findex.html", "/assets/v/Api.class",
                "/assets/../dashboard/index.html", "/assets/v/dashboard/app.js", "/dashboard/index.html"}) {
            TestDeployment.Response response = anonymous(path, Map.of());
            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(response.header("Content-Type")).as(path).isEqualTo("application/problem+json");
        }
    }

    @Test
    void theApi_stillNeedsAKey() {
        assertThat(anonymous("/v1/installations", Map.of()).status()).isEqualTo(401);
    }

    @Test
    void everyFileOfTheDashboardFolder_isServed() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/dashboard/assets"))) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(DashboardEndpoint.ASSETS);
        }
    }
}
