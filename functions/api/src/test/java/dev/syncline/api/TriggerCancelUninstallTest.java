package dev.syncline.api;

import static dev.syncline.api.Manifests.valid;
import static dev.syncline.api.Manifests.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.adapters.config.Config;
import dev.syncline.sampleapp.ReceivedRequest;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API's side of a run that must end whatever happens: a trigger whose prepare message cannot be queued, a cancel
 * while the run is being prepared, an uninstall while it is active. No planner runs here, so a triggered run stays
 * {@code preparing}, as it does while the planner works on it.
 */
@AwsIntegrationTest
class TriggerCancelUninstallTest {

    private static final String SNAPSHOT = """
            {"type":"product","sku":"SKU-1","product_type":"SIMPLE"}
            """;

    private AwsStack stack;
    private SampleApp app;
    private TestDeployment api;
    private String installation;

    @BeforeEach
    void start(AwsStack stack) throws IOException {
        this.stack = stack;
        app = SampleApp.start(0);
        api = TestDeployment.allowingLocalApps(stack);
        installation = installWith(api);
    }

    @AfterEach
    void stop() {
        api.close();
        app.close();
    }

    @Test
    void cancel_whilePreparing_answers200Cancelled_theAppHearsNothing_andTheNextTriggerIsAccepted() {
        TestDeployment.Response triggered = trigger(api);
        String run = triggered.json().path("synchronization").path("id").asText();
        assertThat(triggered.json().path("synchronization").path("status").asText()).isEqualTo("preparing");

        TestDeployment.Response cancelled = api.post("/v1/synchronizations/" + run + "/cancel", Map.of());

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().path("status").asText()).isEqualTo("cancelled");
        assertThat(api.get("/v1/synchronizations/" + run).json().path("status").asText()).isEqualTo("cancelled");
        assertThat(synchronizationNotices()).isEmpty();
        assertThat(trigger(api).status()).as("the installation is free").isEqualTo(202);
    }

    @Test
    void uninstall_whileARunIsActive_cancelsItFirst_andTheAppHearsOnlyAppUninstalled() {
        String run = trigger(api).json().path("synchronization").path("id").asText();

        TestDeployment.Response uninstalled = api.delete("/v1/installations/" + installation);

        assertThat(uninstalled.status()).isEqualTo(200);
        assertThat(uninstalled.json().path("status").asText()).isEqualTo("uninstalled");
        assertThat(api.get("/v1/synchronizations/" + run).json().path("status").asText()).isEqualTo("cancelled");
        // It was still preparing: the App never heard it started, so it hears of no end either.
        assertThat(app.receivedRequests()).extracting(ReceivedRequest::path)
                .filteredOn(path -> path.startsWith("/consume/"))
                .containsExactly("/consume/app_installed", "/consume/app_uninstalled");
    }

    @Test
    void trigger_whenThePrepareMessageCannotBeQueued_answersTheRunFailedWithWhy_andTheInstallationStaysFree() {
        try (TestDeployment broken = TestDeployment.start(stack, Map.of(Config.ALLOW_PRIVATE_APP_URLS, "true",
                Config.CONTROL_QUEUE_URL, stack.names().controlQueueUrl() + "-gone"))) {
            TestDeployment.Response failed = trigger(broken);

            assertThat(failed.status()).isEqualTo(202);
            JsonNode run = failed.json().path("synchronization");
            assertThat(run.path("status").asText()).isEqualTo("failed");
            assertThat(run.path("reason").asText()).startsWith("The run could not be queued for planning (")
                    .endsWith("); nothing was sent to the App. Trigger it again.");
            assertThat(api.get("/v1/synchronizations/" + run.path("id").asText()).json().path("status").asText()).isEqualTo("failed");
        }
        TestDeployment.Response next = trigger(api);
        assertThat(next.status()).as("no run holds the installation").isEqualTo(202);
        assertThat(next.json().path("synchronization").path("status").asText()).isEqualTo("preparing");
        assertThat(synchronizationNotices()).isEmpty();
    }

    private String installWith(TestDeployment deployment) {
        deployment.register("shop-export", with(valid(app.baseUri(), "1.0.0"), "events",
                List.of("app_installed", "app_uninstalled", "product_created", "synchronization_started", "synchronization_ended")));
        return deployment.install("shop-export").path("id").asText();
    }

    private TestDeployment.Response trigger(TestDeployment deployment) {
        TestDeployment.Response stored = deployment.send(TestDeployment.event("POST", "/v1/installations/" + installation + "/snapshots",
                Map.of("authorization", "Bearer " + TestDeployment.API_KEY, "content-type", "application/x-ndjson"), SNAPSHOT));
        assertThat(stored.status()).isEqualTo(201);
        return deployment.post("/v1/installations/" + installation + "/synchronizations",
                Map.of("snapshot_id", stored.json().path("snapshot_id").asText(), "mode", "incremental"));
    }

    private List<String> synchronizationNotices() {
        return app.receivedRequests().stream().map(ReceivedRequest::path).filter(path -> path.startsWith("/consume/synchronization_")).toList();
    }
}
