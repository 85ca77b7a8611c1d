package dev.syncline.api;

import static dev.syncline.api.Manifests.valid;
import static dev.syncline.api.Manifests.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.sampleapp.SampleApp;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Once an installation is uninstalled, its feed is closed everywhere, and no new feed URL is handed out. */
@AwsIntegrationTest
class FeedAfterUninstallTest {

    private SampleApp app;
    private TestDeployment api;
    private String installation;
    private String feedUrl;

    @BeforeEach
    void start(AwsStack stack) throws IOException {
        app = SampleApp.start(0);
        api = TestDeployment.allowingLocalApps(stack);
        api.register("shop-feed", with(valid(app.baseUri(), "1.0.0"), "features", List.of("synchronization", "synchronization_full",
                "synchronization_file_download", "synchronization_file_download_latest")));
        installation = api.install("shop-feed").path("id").asText();
        feedUrl = api.get("/v1/installations/" + installation + "/feed").json().path("feed_url").asText();
        assertThat(api.delete("/v1/installations/" + installation).status()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        api.close();
        app.close();
    }

    @Test
    void theFeedUrl_answers404LikeAnUnknownToken() {
        TestDeployment.Response response = api.send(TestDeployment.event("GET", feedUrl.substring(feedUrl.indexOf("/feeds/")), Map.of(), null));

        TestDeployment.Response unknown = api.send(TestDeployment.event("GET", "/feeds/" + "0".repeat(64), Map.of(), null));

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().path("detail").asText()).isEqualTo(unknown.json().path("detail").asText())
                .isEqualTo("No feed has this URL: the token is unknown or was rotated; ask for the current feed URL.");
    }

    @Test
    void everyFeedEndpoint_answers409SayingTheInstallationIsUninstalled() {
        String feed = "/v1/installations/" + installation + "/feed";
        List<TestDeployment.Response> answers = List.of(
                api.get(feed),
                api.post("/v1/installations/" + installation + "/feed-token", null),
                api.put(feed + "/basic-auth", Map.of("username", "pim", "password", "a-long-password")),
                api.delete(feed + "/basic-auth"));

        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.status()).isEqualTo(409);
            assertThat(answer.json().path("type").asText()).isEqualTo("https://syncline.dev/problems/conflict");
            assertThat(answer.json().path("detail").asText()).startsWith("Installation " + installation + " was uninstalled at ")
                    .endsWith("; its feed is closed: the feed URL answers 404 and no new one is handed out.");
        });
    }

    @Test
    void theInstallation_showsNoFeedUrl_andRotatingHandsNoneOut() {
        api.post("/v1/installations/" + installation + "/feed-token", null);

        TestDeployment.Response shown = api.get("/v1/installations/" + installation);

        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.json().path("status").asText()).isEqualTo("uninstalled");
        assertThat(shown.json().has("feed_url")).isFalse();
        assertThat(shown.body()).doesNotContain("/feeds/");
        // The old URL still answers 404: the refused rotation made no token.
        assertThat(api.send(TestDeployment.event("GET", feedUrl.substring(feedUrl.indexOf("/feeds/")), Map.of(), null)).status())
                .isEqualTo(404);
    }
}
