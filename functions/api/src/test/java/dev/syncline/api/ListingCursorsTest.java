package dev.syncline.api;

import static dev.syncline.api.Manifests.valid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Paged listings: cursors open only the listing that issued them, and the last page has no cursor. */
@AwsIntegrationTest
class ListingCursorsTest {

    private SampleApp app;
    private TestDeployment api;

    @BeforeEach
    void start(AwsStack stack) throws IOException {
        app = SampleApp.start(0);
        api = TestDeployment.allowingLocalApps(stack);
        api.register("shop-export", valid(app.baseUri(), "1.0.0"));
    }

    @AfterEach
    void stop() {
        api.close();
        app.close();
    }

    @Test
    void installations_pageThatEndsTheListing_hasNoNextCursor_evenWhenItIsFull() {
        String first = api.install("shop-export").path("id").asText();
        String second = api.install("shop-export").path("id").asText();

        JsonNode whole = api.get("/v1/installations?limit=2").json();
        JsonNode page = api.get("/v1/installations?limit=1").json();
        JsonNode last = api.get("/v1/installations?limit=1&cursor=" + page.path("next_cursor").asText()).json();

        assertThat(whole.path("installations").findValuesAsText("id")).containsExactly(second, first);
        assertThat(whole.path("next_cursor").isNull()).isTrue();
        assertThat(page.path("installations").findValuesAsText("id")).containsExactly(second);
        assertThat(last.path("installations").findValuesAsText("id")).containsExactly(first);
        assertThat(last.path("next_cursor").isNull()).isTrue();
    }

    @Test
    void installationsOfAnApp_comeInOneAnswer_soALimitThereAnswers422() {
        api.install("shop-export");
        api.install("shop-export");

        TestDeployment.Response response = api.get("/v1/installations?app_id=shop-export&limit=1");

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().path("violations").get(0).path("message").asText())
                .isEqualTo("limit pages the listing without app_id; with app_id every installation of the App comes in one answer: drop limit");
    }

    @Test
    void snapshots_honourLimit_andTheLastPageHasNoNextCursor() {
        String installation = api.install("shop-export").path("id").asText();
        newSnapshot(installation);
        newSnapshot(installation);

        JsonNode page = api.get(snapshots(installation) + "?limit=1").json();
        JsonNode last = api.get(snapshots(installation) + "?limit=1&cursor=" + page.path("next_cursor").asText()).json();

        assertThat(page.path("snapshots")).hasSize(1);
        assertThat(last.path("snapshots")).hasSize(1);
        assertThat(last.path("snapshots").get(0).path("snapshot_id").asText())
                .isNotEqualTo(page.path("snapshots").get(0).path("snapshot_id").asText());
        assertThat(last.path("next_cursor").isNull()).isTrue();
    }

    @Test
    void aCursorOfAnotherInstallationsSnapshots_answers422SayingToRestartWithoutCursor() {
        String mine = api.install("shop-export").path("id").asText();
        String theirs = api.install("shop-export").path("id").asText();
        newSnapshot(theirs);
        newSnapshot(theirs);
        newSnapshot(mine);
        String theirCursor = api.get(snapshots(theirs) + "?limit=1").json().path("next_cursor").asText();

        TestDeployment.Response response = api.get(snapshots(mine) + "?limit=1&cursor=" + theirCursor);

        assertRefusedCursor(response);
    }

    @Test
    void aCursorOfTheInstallationsListing_answers422OnARunHistory() {
        api.install("shop-export");
        String installation = api.install("shop-export").path("id").asText();
        String listingCursor = api.get("/v1/installations?limit=1").json().path("next_cursor").asText();

        TestDeployment.Response response = api.get("/v1/installations/" + installation + "/synchronizations?cursor=" + listingCursor);

        assertRefusedCursor(response);
    }

    @Test
    void anAlteredCursor_answers422() {
        api.install("shop-export");
        api.install("shop-export");
        String cursor = api.get("/v1/installations?limit=1").json().path("next_cursor").asText();
        // The same position with another tag, and a position a client wrote itself.
        String altered = (cursor.charAt(0) == 'A' ? 'B' : 'A') + cursor.substring(1);

        assertRefusedCursor(api.get("/v1/installations?limit=1&cursor=" + altered));
        assertRefusedCursor(api.get("/v1/installations?limit=1&cursor=bm9wZQ"));
    }

    @Test
    void history_ofOneRun_withLimitOne_hasNoNextCursor() {
        String installation = api.install("shop-export").path("id").asText();
        String run = trigger(installation);

        JsonNode page = api.get("/v1/installations/" + installation + "/synchronizations?limit=1").json();

        assertThat(page.path("synchronizations").findValuesAsText("id")).containsExactly(run);
        assertThat(page.path("next_cursor").isNull()).isTrue();
    }

    @Test
    void entries_withAnUnknownEvent_answers422ListingTheEvents() {
        String installation = api.install("shop-export").path("id").asText();
        String run = trigger(installation);

        TestDeployment.Response response = api.get("/v1/synchronizations/" + run + "/entries?event=product_renamed");

        assertThat(response.status()).isEqualTo(422);
        JsonNode violation = response.json().path("violations").get(0);
        assertThat(violation.path("field").asText()).isEqualTo("event");
        assertThat(violation.path("message").asText()).isEqualTo("event must be one of attribute_created, attribute_updated,"
                + " attribute_deleted, category_created, category_updated, category_deleted, product_created, product_updated,"
                + " product_deleted; got 'product_renamed'");
    }

    @Test
    void entries_withACursorOfAnotherListing_answers422() {
        api.install("shop-export");
        String installation = api.install("shop-export").path("id").asText();
        String run = trigger(installation);
        String listingCursor = api.get("/v1/installations?limit=1").json().path("next_cursor").asText();

        assertRefusedCursor(api.get("/v1/synchronizations/" + run + "/entries?cursor=" + listingCursor));
    }

    private static void assertRefusedCursor(TestDeployment.Response response) {
        assertThat(response.status()).isEqualTo(422);
        JsonNode violation = response.json().path("violations").get(0);
        assertThat(violation.path("field").asText()).isEqualTo("cursor");
        assertThat(violation.path("message").asText()).contains("restart the listing without cursor");
    }

    private static String snapshots(String installation) {
        return "/v1/installations/" + installation + "/snapshots";
    }

    /** A snapshot record with an upload URL, nothing uploaded. */
    private void newSnapshot(String installation) {
        TestDeployment.Response response = api.post(snapshots(installation), null);
        assertThat(response.status()).isEqualTo(201);
    }

    /** A full run of a one-product catalog; it stays queued, as no planner runs here. */
    private String trigger(String installation) {
        TestDeployment.Response stored = api.send(TestDeployment.event("POST", snapshots(installation),
                Map.of("authorization", "Bearer " + TestDeployment.API_KEY, "content-type", "application/x-ndjson"),
                "{\"type\":\"product\",\"sku\":\"SKU-1\",\"template\":\"shirt\"}\n"));
        assertThat(stored.status()).isEqualTo(201);
        TestDeployment.Response run = api.post("/v1/installations/" + installation + "/synchronizations",
                Map.of("mode", "full", "snapshot_id", stored.json().path("snapshot_id").asText()));
        assertThat(run.status()).as(run.body()).isEqualTo(202);
        return run.json().path("synchronization").path("id").asText();
    }
}
