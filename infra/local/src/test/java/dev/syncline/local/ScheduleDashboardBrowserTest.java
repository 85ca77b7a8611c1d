package dev.syncline.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncline.sampleapp.SampleApp;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * An installation's schedule on the dashboard's installation page, in a real browser: the expression, the next
 * scheduled run and what the last firing did. Skipped, saying why, where chromium is not installed.
 */
@AwsIntegrationTest
class ScheduleDashboardBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final ScheduleEndToEndTest.MovableClock clock = new ScheduleEndToEndTest.MovableClock();
    private SampleApp app;
    private final List<String> installations = new java.util.ArrayList<>();
    private LocalSyncline syncline;
    private ApiClient api;
    private DashboardBrowser browser;

    @BeforeAll
    static void needsChromium() {
        Assumptions.assumeTrue(DashboardBrowser.unavailable().isEmpty(), () -> "Skipped: " + DashboardBrowser.unavailable().orElseThrow());
    }

    @BeforeEach
    void start(AwsStack stack) throws IOException {
        app = SampleApp.start(0);
        syncline = LocalSyncline.start(LocalSyncline.Options.forTests(stack), clock);
        api = new ApiClient(syncline.apiUri(), syncline.apiKey());
        browser = DashboardBrowser.start();
    }

    @AfterEach
    void stop() {
        // The emulators outlive this test: its schedules must not fire on the stacks of the tests after it.
        installations.forEach(id -> api.delete("/v1/installations/" + id + "/schedule"));
        try {
            browser.close();
        } finally {
            syncline.close();
            app.close();
        }
    }

    @Test
    void theInstallationPage_showsTheScheduleItsNextRun_andWhyTheLastScheduledRunFailed() throws Exception {
        String installation = install();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String source = "http://127.0.0.1:" + closedPort + "/export.ndjson";
        assertThat(api.put("/v1/installations/" + installation + "/schedule",
                Map.of("expression", "rate(1 minute)", "mode", "full", "snapshot_source", Map.of("url", source))).status()).isEqualTo(200);
        Instant deadline = Instant.now().plus(WAIT);
        while (!api.get("/v1/installations/" + installation + "/schedule").body().path("last_outcome").isObject()) {
            assertThat(Instant.now()).as("the schedule fired").isBefore(deadline);
            clock.advance(Duration.ofSeconds(30));
            Thread.sleep(LocalSyncline.SCHEDULER_TICK.toMillis() + 200);
        }

        signIn();
        browser.driver.get(syncline.apiUri() + "/#/installations/" + installation);
        WebElement details = browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dl.facts")));
        browser.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElement(details, "Last scheduled run"));

        assertThat(details.getText())
                .contains("Schedule\nrate(1 minute) UTC, full, from the snapshot source")
                .contains("Next scheduled run")
                .contains("Last scheduled run\nfailed: the snapshot source failed: the request to 127.0.0.1:" + closedPort
                        + " failed: the connection was refused at ");
        browser.screenshot("installation-schedule-1280");
    }

    private void signIn() {
        browser.driver.get(syncline.apiUri() + "/");
        WebElement key = browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
        key.sendKeys(syncline.apiKey());
        browser.driver.findElement(By.cssSelector("form.sign-in button[type=submit]")).click();
        browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-out")));
    }

    private String install() {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("name", "Sample feed");
        manifest.put("description", "Builds a CSV product feed from the catalog");
        manifest.put("version", "1.0.0");
        manifest.put("compatible", "1.0.0");
        manifest.put("url", app.baseUri().toString());
        manifest.put("features", List.of("synchronization", "synchronization_full", "synchronization_scheduler"));
        manifest.put("events", List.of("product_created", "product_updated", "product_deleted"));
        assertThat(api.put("/v1/apps/sample-feed", manifest).status()).isIn(200, 201);
        ApiClient.Answer installed = api.post("/v1/installations", Map.of("app_id", "sample-feed", "api_url", "https://pim.example.com/api"));
        assertThat(installed.status()).as(String.valueOf(installed.body())).isEqualTo(201);
        installations.add(installed.json("id").asText());
        return installed.json("id").asText();
    }
}
