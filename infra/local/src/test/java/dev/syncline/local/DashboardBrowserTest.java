package dev.syncline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.syncline.sampleapp.Faults;
import dev.syncline.sampleapp.SampleApp;
import dev.syncline.testing.AwsIntegrationTest;
import dev.syncline.testing.AwsStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import org.openqa.selenium.support.ui.Select;

/**
 * The operator dashboard in a real browser (Debian's headless chromium) against the whole local stack and the
 * sample App: signing in, starting runs, live progress, failed entries, cancelling, and the run's file. Saves
 * screenshots of the main pages, at laptop and phone width, under {@code target/screenshots}. Skipped, saying why,
 * where chromium is not installed.
 */
@AwsIntegrationTest
class DashboardBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> EVENTS = List.of("app_installed", "app_uninstalled", "attribute_created", "attribute_updated",
            "attribute_deleted", "category_created", "category_updated", "category_deleted", "product_created", "product_updated",
            "product_deleted", "synchronization_started", "synchronization_ended");

    private SampleApp app;
    private LocalSyncline syncline;
    private ApiClient api;
    private DashboardBrowser browser;

    @BeforeAll
    static void needsChromium() {
        Assumptions.assumeTrue(DashboardBrowser.unavailable().isEmpty(), () -> "Skipped: " + DashboardBrowser.unavailable().orElseThrow());
    }

    @BeforeEach
    void start(AwsStack stack) throws Exception {
        app = SampleApp.start(0);
        syncline = LocalSyncline.start(LocalSyncline.Options.forTests(stack));
        api = new ApiClient(syncline.apiUri(), syncline.apiKey());
        browser = DashboardBrowser.start();
    }

    @AfterEach
    void stop() {
        try {
            browser.close();
        } finally {
            syncline.close();
            app.close();
        }
    }

    @Test
    void signIn_refusesAWrongKey_thenListsInstallationsWithTheirLastRun_andA401ReturnsToSignIn() {
        String installation = install(List.of("synchronization", "synchronization_full"));
        api.awaitRun(trigger(installation, "incremental", snapshot(installation)), WAIT);

        browser.driver.get(syncline.apiUri() + "/");
        WebElement key = browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
        assertThat(browser.driver.switchTo().activeElement()).isEqualTo(key);
        browser.screenshot("sign-in-1280");
        key.sendKeys("not-a-key");
        browser.driver.findElement(By.cssSelector("form.sign-in button[type=submit]")).click();
        browser.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-error"), "not one of this deployment's keys"));

        signIn();
        WebElement row = browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#installations tr[data-installation='" + installation + "']")));
        browser.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElement(row, "finished"));
        assertThat(row.getText()).contains("Sample feed").contains("sample-feed").contains("active").contains("incremental");
        browser.screenshot("installations-1280");
        browser.width(390);
        browser.screenshot("installations-390");
        browser.width(1280);

        // A key the API no longer accepts (rotated away meanwhile) sends the operator back to sign-in.
        browser.script("sessionStorage.setItem('syncline.apiKey', 'rotated-away')");
        row.findElement(By.linkText("Sample feed")).click();
        browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
        assertThat(browser.driver.findElement(By.cssSelector("form.sign-in")).getText()).contains("refused the key");
    }

    @Test
    void aRunStartedFromAnUploadedFile_showsLiveProgressTo100_andItsFailedEntryWithTheAppsAnswer() throws Exception {
        app.setFaults(Faults.none().withLatency(Duration.ofMillis(120)).withResourceStatus("SKU-007", 422, "price below cost"));
        String installation = install(List.of("synchronization", "synchronization_full"));
        Path file = Files.createTempFile("catalog-", ".ndjson");
        Files.writeString(file, TestCatalog.standard().ndjson());

        signIn();
        browser.driver.get(syncline.apiUri() + "/#/installations/" + installation);
        WebElement start = browser.waitUpTo(WAIT).until(ExpectedConditions.elementToBeClickable(By.id("start-run")));
        assertThat(start.getText()).isEqualTo("Start incremental run from a file…");
        browser.screenshot("installation-empty-1280");
        start.click();
        browser.driver.findElement(By.id("snapshot-file")).sendKeys(file.toAbsolutePath().toString());

        // The history redraws every 1.5 s: a link found just before a redraw is gone by the click, so retry.
        browser.waitUpTo(WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(driver -> {
            driver.findElement(By.cssSelector("#runs tbody tr[data-run] a")).click();
            return true;
        });
        WebElement overall = browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".overall [role=progressbar]")));
        List<Integer> seen = new ArrayList<>();
        boolean shotWhileRunning = false;
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            int percent = Integer.parseInt(overall.getAttribute("aria-valuenow"));
            if (seen.isEmpty() || seen.getLast() != percent) {
                seen.add(percent);
            }
            if (!shotWhileRunning && percent > 0 && percent < 100) {
                browser.screenshot("run-running-1280");
                shotWhileRunning = true;
            }
            if (percent == 100 && statusOfRun().equals("finished_with_errors")) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(seen).as("progress values the page showed").isSorted().endsWith(100);
        assertThat(seen.size()).as("the page updated progress without a reload: " + seen).isGreaterThan(1);
        assertThat(statusOfRun()).isEqualTo("finished_with_errors");
        assertThat(browser.driver.findElement(By.cssSelector("[data-phase=products] .counts")).getText()).contains("52").contains("51");
        browser.screenshot("run-1280");

        new Select(browser.driver.findElement(By.id("filter-status"))).selectByValue("failed");
        browser.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("entries-status"), "Showing 1 entry"));
        WebElement failed = browser.driver.findElement(By.cssSelector("#entries tbody tr[data-status=failed]"));
        assertThat(failed.getText()).contains("product SKU-007").contains("product_created").contains("422").contains("created");
        assertThat(browser.driver.findElement(By.cssSelector("#entries tr.error-row")).getText())
                .contains("HTTP 422 after 1 attempt").contains("price below cost");
        assertThat(browser.driver.getCurrentUrl()).endsWith("?status=failed");

        new Select(browser.driver.findElement(By.id("filter-event"))).selectByValue("product_updated");
        browser.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("entries-status"), "No entries match"));
        new Select(browser.driver.findElement(By.id("filter-event"))).selectByValue("product_created");
        browser.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("entries-status"), "Showing 1 entry"));
        browser.screenshot("run-failed-entries-1280");
        browser.width(390);
        browser.screenshot("run-failed-entries-390");
        browser.width(1280);

        // Paging: a page at a time, never the whole run (the API ends a page with a whole chunk: 61 entries here).
        new Select(browser.driver.findElement(By.id("filter-event"))).selectByValue("");
        new Select(browser.driver.findElement(By.id("filter-status"))).selectByValue("");
        new Select(browser.driver.findElement(By.id("filter-limit"))).selectByValue("25");
        browser.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("entries-status"), "Showing 61 entries on page 1."));
        assertThat(browser.driver.getCurrentUrl()).endsWith("?limit=25");
        browser.driver.findElement(By.id("entries-next")).click();
        browser.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("entries-status"), "page 2"));
        browser.driver.findElement(By.id("entries-previous")).click();
        browser.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("entries-status"), "on page 1"));
    }

    @Test
    void aSlowRun_startedWithTheLastSnapshot_isCancelledFromTheInstallationPage() {
        String installation = install(List.of("synchronization", "synchronization_full"));
        api.awaitRun(trigger(installation, "incremental", snapshot(installation)), WAIT);
        app.setFaults(Faults.none().withLatency(Duration.ofSeconds(3)));

        signIn();
        browser.driver.get(syncline.apiUri() + "/#/installations/" + installation);
        WebElement toggle = browser.waitUpTo(WAIT).until(ExpectedConditions.elementToBeClickable(By.id("start-run-menu-button")));
        assertThat(browser.driver.findElement(By.id("start-run")).getText()).isEqualTo("Re-run incremental with last snapshot");
        toggle.click();
        WebElement menu = browser.driver.findElement(By.id("start-run-menu"));
        assertThat(menu.findElements(By.cssSelector("[role=menuitem]"))).extracting(WebElement::getText).containsExactly(
                "Incremental run, last snapshot", "Incremental run, upload NDJSON…", "Full run, last snapshot", "Full run, upload NDJSON…");
        assertThat(browser.driver.switchTo().activeElement().getText()).isEqualTo("Incremental run, last snapshot");
        browser.screenshot("installation-menu-1280");
        menu.findElement(By.cssSelector("[data-mode=full][data-source=last]")).click();

        WebElement cancel = browser.waitUpTo(WAIT).until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#runs tbody tr[data-status=execution] button.danger, #runs tbody tr[data-status=preparing] button.danger")));
        String runId = cancel.findElement(By.xpath("ancestor::tr")).getAttribute("data-run");
        browser.waitUpTo(WAIT).until(ExpectedConditions.attributeToBe(By.cssSelector("#runs tbody tr[data-run='" + runId + "']"), "data-status", "execution"));
        assertThat(browser.driver.findElement(By.id("start-run")).isEnabled()).as("no second run while one is active").isFalse();
        browser.screenshot("installation-running-1280");
        browser.width(390);
        browser.screenshot("installation-running-390");
        browser.width(1280);

        browser.waitUpTo(WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(driver -> {
            driver.findElement(By.cssSelector("#runs tbody tr[data-run='" + runId + "'] button.danger")).click();
            return true;
        });
        browser.waitUpTo(WAIT).until(ExpectedConditions.attributeToBe(By.cssSelector("#runs tbody tr[data-run='" + runId + "']"), "data-status", "cancelled"));
        assertThat(api.get("/v1/synchronizations/" + runId).json("status").asText()).isEqualTo("cancelled");
        assertThat(api.get("/v1/synchronizations/" + runId).json("mode").asText()).isEqualTo("full");
        browser.waitUpTo(WAIT).until(ExpectedConditions.elementToBeClickable(By.id("start-run")));
        browser.screenshot("installation-1280");
    }

    @Test
    void aRunsFile_isDownloaded_andTheLatestFeedUrlCanBeCopied() throws Exception {
        String installation = install(List.of("synchronization", "synchronization_full", "synchronization_file_download",
                "synchronization_file_download_latest"));
        JsonNode run = api.awaitRun(trigger(installation, "incremental", snapshot(installation)), WAIT);
        Assumptions.assumeTrue(run.has("file"), "Skipped: the run view has no 'file' yet (the file feature is not in this build)");
        ApiClient.Answer link = api.get("/v1/synchronizations/" + run.path("id").asText() + "/file", Map.of("Accept", "application/json"));
        // A page cannot read a redirect's Location, so the dashboard asks for the link as JSON and follows it itself.
        assertThat(link.status()).isEqualTo(200);
        assertThat(link.body().path("download_url").asText()).startsWith("http");

        signIn();
        browser.driver.get(syncline.apiUri() + "/#/runs/" + run.path("id").asText());
        browser.waitUpTo(WAIT).until(ExpectedConditions.elementToBeClickable(By.id("download-file"))).click();
        browser.waitUpTo(WAIT).until(driver -> !browser.downloadedFiles().isEmpty());
        assertThat(Files.readString(browser.downloadedFiles().getFirst())).contains("SKU-050");
        browser.screenshot("run-file-1280");
    }

    @Test
    void aRunHeldByTheDeletionGuard_showsWhatItWouldDelete_andIsCancelledOrConfirmedFromTheRunPage() {
        String installation = install(List.of("synchronization"));
        api.awaitRun(trigger(installation, "incremental", snapshot(installation)), WAIT);
        signIn();

        String cancelled = heldRun(installation);
        browser.driver.get(syncline.apiUri() + "/#/runs/" + cancelled);
        WebElement notice = browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#deletion-guard.notice")));
        assertThat(notice.getText()).contains("would delete 47 of the 61 resources the App holds").contains("Nothing was sent");
        assertThat(statusOfRun()).isEqualTo("awaiting_confirmation");
        assertThat(browser.driver.findElement(By.id("confirm-run")).getText()).isEqualTo("Confirm deletions");
        browser.screenshot("run-awaiting-confirmation-1280");
        browser.width(390);
        browser.screenshot("run-awaiting-confirmation-390");
        browser.width(1280);
        browser.driver.findElement(By.id("cancel-run")).click();
        browser.waitUpTo(WAIT).until(driver -> statusOfRun().equals("cancelled"));
        assertThat(browser.driver.findElements(By.id("confirm-run"))).isEmpty();
        assertThat(browser.driver.findElements(By.cssSelector("#deletion-guard.notice"))).isEmpty();
        assertThat(app.receivedRequests(r -> cancelled.equals(r.synchronizationId().orElse(null)))).isEmpty();

        String confirmed = heldRun(installation);
        browser.driver.get(syncline.apiUri() + "/#/runs/" + confirmed);
        browser.waitUpTo(WAIT).until(ExpectedConditions.elementToBeClickable(By.id("confirm-run"))).click();
        browser.waitUpTo(WAIT).until(driver -> statusOfRun().equals("finished"));
        assertThat(app.receivedRequests(r -> confirmed.equals(r.synchronizationId().orElse(null)) && r.event().equals("product_deleted")))
                .hasSize(47);
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** Triggers a run of a truncated catalog and waits until the deletion guard holds it. */
    private String heldRun(String installation) {
        ApiClient.Answer snapshot = api.postNdjson("/v1/installations/" + installation + "/snapshots", TestCatalog.truncatedNdjson());
        String runId = trigger(installation, "incremental", snapshot.json("snapshot_id").asText());
        browser.waitUpTo(WAIT).until(driver -> !api.get("/v1/synchronizations/" + runId).json("status").asText().equals("preparing"));
        assertThat(api.get("/v1/synchronizations/" + runId).json("status").asText()).isEqualTo("awaiting_confirmation");
        return runId;
    }

    private void signIn() {
        browser.driver.get(syncline.apiUri() + "/");
        WebElement key = browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
        key.clear();
        key.sendKeys(syncline.apiKey());
        browser.driver.findElement(By.cssSelector("form.sign-in button[type=submit]")).click();
        browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-out")));
    }

    private String statusOfRun() {
        return browser.driver.findElement(By.cssSelector("#run-status .badge")).getAttribute("data-status");
    }

    private String install(List<String> features) {
        assertThat(api.registerSampleFeed(app.baseUri(), features, EVENTS).status()).isIn(200, 201);
        ApiClient.Answer installed = api.post("/v1/installations",
                Map.of("app_id", "sample-feed", "api_url", "https://pim.example.com/api", "retry_budget", 2));
        assertThat(installed.status()).as(String.valueOf(installed.body())).isEqualTo(201);
        return installed.json("id").asText();
    }

    private String snapshot(String installation) {
        ApiClient.Answer snapshot = api.postNdjson("/v1/installations/" + installation + "/snapshots", TestCatalog.standard().ndjson());
        assertThat(snapshot.status()).isEqualTo(201);
        return snapshot.json("snapshot_id").asText();
    }

    private String trigger(String installation, String mode, String snapshotId) {
        ApiClient.Answer triggered = api.post("/v1/installations/" + installation + "/synchronizations", Map.of("mode", mode, "snapshot_id", snapshotId));
        assertThat(triggered.status()).as(String.valueOf(triggered.body())).isEqualTo(202);
        return triggered.json("synchronization").path("id").asText();
    }
}
